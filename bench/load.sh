#!/usr/bin/env bash
# Load benchmark of `unspin serve` (issue 5): 50 concurrent clients for 30 s on loopback,
# POSTing 1,000-word articles cut at run time from ../shared/data/ptc-train/articles to
# /api/v1/analyze; reports successful analyses/s, the status codes, p50/p90/p99 latency of
# successes and the server's peak RSS, next to `unspin analyze --jobs 2` on the same articles.
#
# Usage: bench/load.sh [extra `unspin bench serve` options, e.g. --concurrency 2 --queue 2]
set -euo pipefail
cd "$(dirname "$0")/.."
articles=../shared/data/ptc-train/articles
if [ ! -d "$articles" ]; then
    echo "bench/load.sh: $articles is absent; it needs the PTC training articles" >&2
    exit 1
fi
cargo build --release --locked -p unspin-cli
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) before the run"
exec target/release/unspin bench serve "$articles" --clients 50 --duration 30 --words 1000 "$@"
