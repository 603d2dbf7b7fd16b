"""The audit actions of benchmarking (registered by the app factory)."""

DOMAIN = "Benchmarking"
ACTIONS = {
    "benchmark.run": "A benchmark of prices was run over the recorded payments",
    "benchmark.reply_added": "A provider added its reply to a benchmark run",
    "benchmark.reply_changed": "A provider changed its reply to a benchmark run",
}
