-- roomcast: after reconnecting (or when a room moves to another Cluster node), start a new epoch
-- for a room whose state went back in time: Redis restored an older snapshot, or a replica that
-- had not received the tail was promoted. Either its head is behind what this node already saw
-- in the same epoch, or the offset seen now holds another message (others published into the
-- lost offsets before this check ran). Reusing offsets for different messages would make
-- clients skip the new ones as duplicates and resumes report recovered for history that is gone.
--
-- KEYS[1] room meta hash   KEYS[2] room stream
-- ARGV[1] epoch seen  ARGV[2] highest offset seen  ARGV[3] new epoch  ARGV[4] TTL seconds
-- ARGV[5] header of the message seen at that offset  ARGV[6] its content
-- Returns 1 when a new epoch was started, else 0.
local meta, log = KEYS[1], KEYS[2]
if redis.call('HGET', meta, 'epoch') ~= ARGV[1] then
  return 0 -- another epoch already: clients of the old one are told recovered:false anyway
end
local seen = tonumber(ARGV[2])
local lost = tonumber(redis.call('HGET', meta, 'head') or '0') < seen
if not lost then
  local entry = redis.call('XRANGE', log, seen .. '-0', seen .. '-0')
  if #entry == 1 then -- (trimmed away: nothing to compare, the head check stands)
    local h, c
    local f = entry[1][2]
    for i = 1, #f, 2 do
      if f[i] == 'h' then h = f[i + 1] elseif f[i] == 'c' then c = f[i + 1] end
    end
    lost = h ~= ARGV[5] or c ~= ARGV[6]
  end
end
if lost then
  redis.call('DEL', log)
  redis.call('HSET', meta, 'epoch', ARGV[3], 'head', 0)
  redis.call('EXPIRE', meta, ARGV[4])
  return 1
end
return 0
