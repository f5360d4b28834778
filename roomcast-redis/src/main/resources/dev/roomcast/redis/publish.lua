-- roomcast: publish one message into a room, atomically.
-- Assigns the room's next offset, appends to the room's stream, refreshes the TTL and
-- forwards the message on the room's channel, all in one step, so every node agrees on
-- offsets and history never has a hole.
--
-- KEYS[1] room meta hash (fields: epoch, head)   KEYS[2] room stream
-- ARGV[1] channel  ARGV[2] max stream length (approximate)  ARGV[3] TTL seconds
-- ARGV[4] epoch to use if the room has none  ARGV[5] header (origin\nclient\ntimestamp)
-- ARGV[6] content (compact JSON)  ARGV[7] PUBLISH, or SPUBLISH for Redis Cluster's sharded pub/sub
-- ARGV[8] the sender's identity (user\nname, escaped), empty for anonymous senders
-- Returns {epoch, offset}.
local meta, log = KEYS[1], KEYS[2]
local state = redis.call('HMGET', meta, 'epoch', 'head')
local epoch = state[1]
local offset = 1
if epoch then
  offset = tonumber(state[2] or '0') + 1
else
  -- New room, or its state is gone (expired, evicted, Redis restarted without persistence):
  -- start a new epoch and drop any stream left from an older life.
  epoch = ARGV[4]
  redis.call('DEL', log)
end
-- XADD first: scripts are not rolled back, so if it fails nothing else has changed and no
-- offset is used up without a message.
if ARGV[8] == '' then
  redis.call('XADD', log, 'MAXLEN', '~', ARGV[2], offset .. '-0', 'h', ARGV[5], 'c', ARGV[6])
else
  redis.call('XADD', log, 'MAXLEN', '~', ARGV[2], offset .. '-0', 'h', ARGV[5], 'c', ARGV[6], 'u', ARGV[8])
end
redis.call('HSET', meta, 'epoch', epoch, 'head', offset)
redis.call('EXPIRE', meta, ARGV[3])
redis.call('EXPIRE', log, ARGV[3])
if ARGV[8] == '' then
  redis.call(ARGV[7], ARGV[1], 'm\n' .. epoch .. '\n' .. offset .. '\n' .. ARGV[5] .. '\n' .. ARGV[6])
else
  redis.call(ARGV[7], ARGV[1], 'M\n' .. epoch .. '\n' .. offset .. '\n' .. ARGV[5] .. '\n' .. ARGV[8] .. '\n' .. ARGV[6])
end
return {epoch, offset}
