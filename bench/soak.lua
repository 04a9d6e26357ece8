-- wrk script for bench/soak.sh: the pages, feeds and API a crowd reads, in turn.
local paths = { "/", "/avvisi", "/servizi/anagrafe", "/api/v2/summary.json", "/api/v2/status.json",
                "/feed.atom", "/embed/badge.svg", "/avvisi?q=servizi", "/en/", "/health" }
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1], { ["Accept-Encoding"] = "gzip" })
end
local bad = 0
response = function(status, headers, body)
  if status >= 400 then bad = bad + 1 end
end
done = function(summary, latency, requests)
  io.write(string.format("SOAK requests=%d errors_connect=%d errors_read=%d errors_write=%d errors_status=%d errors_timeout=%d p50_ms=%.2f p99_ms=%.2f max_ms=%.2f\n",
    summary.requests, summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.status,
    summary.errors.timeout, latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
