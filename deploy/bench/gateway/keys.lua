-- wrk script: each request sends the next of the API keys in API_KEYS (comma-separated) as
-- its API-Key header (round robin), and prints headers.lua's RESULT line (that script is
-- loaded from WRK_SCRIPTS_DIR, without a header of its own).
local keys = {}
for key in string.gmatch(os.getenv("API_KEYS") or "", "[^,]+") do keys[#keys + 1] = key end
local counter = 0

function request()
  counter = counter + 1
  wrk.headers["API-Key"] = keys[counter % #keys + 1]
  return wrk.format(nil)
end

dofile(os.getenv("WRK_SCRIPTS_DIR") .. "/headers.lua")
