-- wrk script for bench/load.sh: cycles through mixed API queries (words, phrases, speaker and
-- date filters, sorting, paging). Paths are built once, deterministically.
-- Common words (broad searches) and words of the generated vocabulary (selective searches).
local words = {"tariff", "harbour", "council", "inquiry", "steel", "budget", "workers", "energy",
  "ferry", "strike", "housing", "election", "court", "museum", "tenants", "flood",
  "kalo", "lomi", "raven", "kaven", "mira", "dorsa", "telbri", "sano", "vilo", "gardre",
  "tavi", "kuber", "thosil", "monek", "rufen", "wenhal"}
local speakers = {"ka", "lo", "mi", "ra", "ven", "dor", "sa", "tel"}
local paths = {}
for i = 0, 999 do
  local w1 = words[(i % #words) + 1]
  local w2 = words[((i * 7 + math.floor(i / #words)) % #words) + 1]
  local kind = i % 5
  local p
  if kind == 0 then p = "/api/search?q=" .. w1 .. "&offset=" .. (20 * (math.floor(i / 5) % 10))
  elseif kind == 1 then p = "/api/search?q=" .. w1 .. "+" .. w2
  elseif kind == 2 then p = "/api/search?q=%22" .. w1 .. "+" .. w2 .. "%22&sort=newest"
  elseif kind == 3 then p = "/api/search?q=" .. w1 .. "&speaker=" .. speakers[(i % #speakers) + 1] .. "*"
  else p = "/api/search?q=" .. w1 .. "&since=" .. (2015 + i % 11) .. "&until=" .. (2015 + i % 11) .. "-12-31&offset=20"
  end
  paths[#paths + 1] = p
end
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n % #paths) + 1])
end
