"""The audit actions of benchmarking (registered by the app factory)."""

DOMAIN = "Benchmarking"
ACTIONS = {
    "benchmark.run": "Providers' outcomes were benchmarked against their expected results (method, inputs hash)",
    "benchmark.reply_added": "A provider added its reply to a benchmark run",
    "benchmark.reply_changed": "A provider changed its reply to a benchmark run",
}
