-- roomcast: after reconnecting, start a new epoch for a room whose state went back in time
-- (Redis restored an older snapshot: its head is behind what this node already saw in the
-- same epoch). Reusing those offsets would make clients skip new messages as duplicates.
--
-- KEYS[1] room meta hash   KEYS[2] room stream
-- ARGV[1] epoch seen  ARGV[2] highest offset seen  ARGV[3] new epoch  ARGV[4] TTL seconds
-- Returns 1 when a new epoch was started, else 0.
local meta, log = KEYS[1], KEYS[2]
local epoch = redis.call('HGET', meta, 'epoch')
if epoch == ARGV[1] and tonumber(redis.call('HGET', meta, 'head') or '0') < tonumber(ARGV[2]) then
  redis.call('DEL', log)
  redis.call('HSET', meta, 'epoch', ARGV[3], 'head', 0)
  redis.call('EXPIRE', meta, ARGV[4])
  return 1
end
return 0
