#!/usr/bin/env bash
# Every benchmark of issue 7, one after another, with the parameters docs/benchmarks.md records. Each scenario starts its
# own redis-server and Release build of the service on free loopback ports. ~20 minutes on 2 cores.
# Usage: bench/run-all.sh [quick|console]   (quick: fewer runs and samples, to check the scripts; not for the figures.
#        console: only the CallQueue.Bench scenarios, with the documented parameters)
# It also runs issue 15's million (scale --batches 100: 1,000,000 queued calls, about 1.5 GB of Redis, 7 minutes on a
# quiet 2-core machine); SCALE_MILLION=0 leaves it out.
# Output: the console, and bench/results/run-all-<UTC time>.txt (git-ignored).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
quick=${1:-}
mkdir -p bench/results
out="bench/results/run-all-$(date -u +%Y%m%dT%H%M%SZ).txt"
exec > >(tee "$out") 2>&1

section() { printf '\n=== %s\n$ %s\n' "$1" "${*:2}"; "${@:2}" || echo "=== FAILED: $1 (exit $?)"; }
echo "commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . ':!bench/results' || echo ' + uncommitted changes'), $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "dotnet $(dotnet --version), $(redis-server --version | cut -d' ' -f3)"
dotnet build -c Release CallQueue.Api -v q -nologo >/dev/null
dotnet build -c Release bench/CallQueue.Bench -v q -nologo >/dev/null
bench=(dotnet bench/CallQueue.Bench/bin/Release/net10.0/CallQueue.Bench.dll)

if [[ $quick == quick ]]; then
    section "single enqueue" "${bench[@]}" enqueue --runs 1 --seconds 3 --warmup 3
    section "idle latency" "${bench[@]}" idle --runs 1 --samples 20 --warmup 3
    section "scale" "${bench[@]}" scale --batches 2 --rounds 1 --requests 100 --page-requests 10 --drain 1000
    section "ceiling of one Redis" "${bench[@]}" ceiling --processes 2 --workers 10 --calls 5000 --warmup 3 --seconds 5
    section "do-not-call list" "${bench[@]}" dnc --numbers 100000
    section "bulk as CSV vs JSON" "${bench[@]}" csv --calls 1000 --rounds 1
    section "campaigns: ETA and a paused campaign" "${bench[@]}" campaigns --calls 100 --paused 2000 --idle-seconds 3
    exit 0
fi
if [[ $quick != console ]]; then
    section "bulk ingest, QUEUE_WORKERS=0" bench/bulk-ingest.sh 5 10000 0
    section "bulk ingest, QUEUE_WORKERS=10" bench/bulk-ingest.sh 3 10000 10
    section "dispatch, rate-bound" bench/dispatch.py --calls 600 --max-concurrent 10 --rate 5 --talk 1
    section "dispatch, cap-bound" bench/dispatch.py --calls 600 --max-concurrent 10 --rate 50 --talk 2
fi
section "single enqueue" "${bench[@]}" enqueue --runs 5 --clients 16 --seconds 5
section "idle latency" "${bench[@]}" idle --runs 3 --samples 100 --warmup 10
section "scale" "${bench[@]}" scale --batches 10 --batch-size 10000 --rounds 3 --requests 300 --page-requests 50 --drain 10000
section "scale, redis-server --hash-max-listpack-value 1024" "${bench[@]}" scale --batches 10 --batch-size 10000 --rounds 3 --requests 300 --page-requests 50 --drain 0 --redis-config "--hash-max-listpack-value 1024"
if [[ ${SCALE_MILLION:-1} != 0 ]]; then
    section "scale, 1,000,000 queued" "${bench[@]}" scale --batches 100 --batch-size 10000 --rounds 3 --requests 300 --page-requests 50 --drain 10000
fi
section "ceiling of one Redis" "${bench[@]}" ceiling --processes 3 --workers 20 --calls 30000 --warmup 10 --seconds 30
section "do-not-call list, 1,000,000 numbers" "${bench[@]}" dnc --numbers 1000000
section "do-not-call list, 1,000,000 numbers with a reason" "${bench[@]}" dnc --numbers 1000000 --reason "customer request"
section "bulk as CSV vs JSON, 10,000 rows (issue 12)" "${bench[@]}" csv --calls 10000 --rounds 9
section "campaigns: ETA vs reality (600 calls), 100,000 paused calls (issue 12)" "${bench[@]}" campaigns --calls 600 --rate 10 --max-concurrent 50 --paused 100000 --idle-seconds 20
echo; echo "results in $out"
