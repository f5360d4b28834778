-- roomcast: a room's position, and optionally its history after an offset, atomically.
--
-- KEYS[1] room meta hash   KEYS[2] room stream
-- ARGV[1] TTL seconds  ARGV[2] epoch to use if the room has none
-- ARGV[3] the caller's epoch ('' = any)  ARGV[4] after offset  ARGV[5] limit (0 = position only)
-- ARGV[6] first stream id to read ('<after+1>-0')
-- Returns {epoch, head} for a position, else {epoch, head, complete(0/1), entries}.
local meta, log = KEYS[1], KEYS[2]
local epoch = redis.call('HGET', meta, 'epoch')
if not epoch then
  -- Fix the epoch now, so a member that joins an empty room and later resumes
  -- presents the epoch its first message will carry.
  epoch = ARGV[2]
  redis.call('DEL', log)
  redis.call('HSET', meta, 'epoch', epoch, 'head', 0)
  redis.call('EXPIRE', meta, ARGV[1])
end
local head = tonumber(redis.call('HGET', meta, 'head') or '0')
local limit = tonumber(ARGV[5])
if limit == 0 then
  return {epoch, head}
end
if ARGV[3] ~= '' and ARGV[3] ~= epoch then
  return {epoch, head, 0, {}}
end
local after = tonumber(ARGV[4])
if after > head then
  return {epoch, head, 0, {}}
end
if after == head then
  return {epoch, head, 1, {}}
end
-- The stream is trimmed from the front only (MAXLEN), so it is complete when its oldest
-- entry is at or before after+1.
local first = redis.call('XRANGE', log, '-', '+', 'COUNT', 1)
if #first == 0 or tonumber(string.match(first[1][1], '^%d+')) > after + 1 then
  return {epoch, head, 0, {}}
end
return {epoch, head, 1, redis.call('XRANGE', log, ARGV[6], '+', 'COUNT', limit)}
