-- wrk reports p50/p75/p90/p99 only; the search target is a p95, so print it here (microseconds).
done = function(summary, latency, requests)
  io.write(string.format("p95_us: %d\n", latency:percentile(95)))
end
