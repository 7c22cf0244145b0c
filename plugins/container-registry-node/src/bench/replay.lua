-- wrk script: replays a recorded request set once, in order.
-- Usage: wrk -t T -c C -d 10m -s replay.lua <origin> -- <request file> <thread count>
-- Each line of the request file is "METHOD<TAB>PATH<TAB>ACCEPT" (ACCEPT may be empty).
-- Thread i of T sends requests i, i+T, i+2T, … so the set goes out in recorded order.
-- A thread that has all its answers stops and prints "replay-thread-done"; wrk itself runs
-- until its duration ends, so the caller sends it SIGINT once every thread is done.

local threads = {}
local nextId = 0

function setup(thread)
  thread:set("id", nextId)
  nextId = nextId + 1
  table.insert(threads, thread)
end

local requests = {}
local expected = 0
local sent = 0
local spare
-- Globals, so that done() can read them from each thread.
answered = 0
failures = 0

function init(args)
  -- The API version check: its answer, "{}", is one no recorded request gets, so it is not
  -- counted. (Formatted here: wrk knows the Host header only once init runs.)
  spare = wrk.format("GET", "/v2/")
  -- wrk calls request() once before the run to check the script, without sending what it
  -- returns: that call gets the spare, so no recorded request is lost.
  table.insert(requests, spare)
  local file = assert(io.open(args[1], "r"))
  local count = tonumber(args[2])
  local index = 0
  for line in file:lines() do
    if index % count == id then
      local method, path, accept = line:match("^(%u+)\t([^\t]*)\t?(.*)$")
      local headers = {}
      if accept ~= "" then headers["Accept"] = accept end
      table.insert(requests, wrk.format(method, path, headers))
    end
    index = index + 1
  end
  file:close()
  expected = #requests - 1
end

-- A connection that comes free after the last request still asks for one: it gets the spare.
function request()
  sent = sent + 1
  return requests[sent] or spare
end

function response(status, headers, body)
  if body == "{}" then return end
  answered = answered + 1
  if status >= 400 then failures = failures + 1 end
  if answered == expected then
    io.write("replay-thread-done\n")
    io.stdout:flush()
    wrk.thread:stop()
  end
end

function done(summary)
  local total, failed = 0, 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("answered")
    failed = failed + thread:get("failures")
  end
  io.write(string.format(
    '{"responses":%d,"failures":%d,"microseconds":%d}\n',
    total, failed, summary.duration))
end
