-- wrk script for bench/load.sh with ENDPOINTS=pictures: cycles through /api/timeline (words,
-- speaker prefixes, dates, every interval) and /api/speaker (the speakers of
-- the file $SPEAKERS, one URL-encoded name a line, written by load.sh; some with
-- words or dates that narrow their page). Paths are built once, deterministically.
local words = {"tariff", "harbour", "council", "inquiry", "steel", "budget", "workers", "energy",
  "ferry", "strike", "housing", "election", "court", "museum", "tenants", "flood",
  "kalo", "lomi", "raven", "kaven", "mira", "dorsa", "telbri", "sano", "vilo", "gardre"}
local prefixes = {"ka", "lo", "mi", "ra", "ven", "dor", "sa", "tel"}
local intervals = {"year", "month", "day"}
local names = {}
local f = io.open(os.getenv("SPEAKERS") or "/tmp/quoth-load-speakers-7171.txt", "r")
if f then
  for line in f:lines() do if #line > 0 then names[#names + 1] = line end end
  f:close()
end
if #names == 0 then names = {"nobody"} end
local paths = {}
for i = 0, 999 do
  local w = words[(i % #words) + 1]
  local year = 2015 + i % 11
  local kind = i % 6
  local p
  if kind == 0 then p = "/api/timeline?q=" .. w
  elseif kind == 1 then p = "/api/timeline?q=" .. w .. "&speaker=" .. prefixes[(i % #prefixes) + 1] .. "*&by=month"
  elseif kind == 2 then p = "/api/timeline?q=" .. w .. "&since=" .. year .. "&until=" .. year .. "-12-31&by=" .. intervals[(i % 3) + 1]
  elseif kind == 3 then p = "/api/speaker?name=" .. names[(i % #names) + 1]
  elseif kind == 4 then p = "/api/speaker?name=" .. names[((i * 7) % #names) + 1] .. "&q=" .. w
  else p = "/api/speaker?name=" .. names[((i * 3) % #names) + 1] .. "&since=" .. year .. "&until=" .. year
  end
  paths[#paths + 1] = p
end
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n % #paths) + 1])
end
