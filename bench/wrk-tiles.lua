-- wrk script for bench/tiles.sh: cycles through a fixed tile path list
-- (one path a line, given after `--`), each thread starting at its own
-- offset, with Accept-Encoding: gzip as a browser sends it; with a second
-- argument "identity", without Accept-Encoding (curl, scripts, load tools).
local paths = {}
local i = 0
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end

function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then paths[#paths + 1] = line end
  end
  i = (id or 0) * 7919
  if args[2] ~= "identity" then
    wrk.headers["Accept-Encoding"] = "gzip"
  end
end

function request()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
