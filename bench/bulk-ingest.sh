#!/usr/bin/env bash
# Bulk ingest benchmark: seconds from POST /api/calls/bulk-queue (10,000 calls) to its 202, and until every dial job
# exists. Starts its own redis-server and a Release build of the service on free ports; prints one line per run and
# the medians. Usage: bench/bulk-ingest.sh [runs=5] [calls=10000] [queue_workers=0]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
runs=${1:-5}; calls=${2:-10000}; workers=${3:-0}
work=$(mktemp -d); trap 'kill $app_pid 2>/dev/null || true; redis-cli -p $redis_port shutdown nosave >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
redis_port=$(free_port); app_port=$(free_port)

redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --dir "$work" --daemonize yes >/dev/null
dotnet build -c Release CallQueue.Api -v q -nologo >/dev/null
(cd CallQueue.Api/bin/Release/net10.0 && REDIS_URL="redis://127.0.0.1:$redis_port" PORT=$app_port HOST=127.0.0.1 QUEUE_WORKERS=$workers \
    ASPNETCORE_ENVIRONMENT=Development LOG_LEVEL=WARNING exec dotnet CallQueue.Api.dll >"$work/app.log" 2>&1) &
app_pid=$!
until curl -sf "http://127.0.0.1:$app_port/api/health" >/dev/null; do sleep 0.2; done

python3 - "$work" "$runs" "$calls" <<'PY'
import json, sys
work, runs, calls = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for r in range(runs + 1):  # run 0 warms the JIT up and is not counted
    body = {"batch_id": f"bench-{r}", "calls": [
        {"phone_number": f"+1415555{i % 10000:04d}", "campaign_id": "bench",
         "call_config": {"flow_name": "wishfin-test", "answer_url": "https://your-domain.com/outbound-answer",
                         "variables": {"name": "John Doe", "row": i}}} for i in range(calls)]}
    json.dump(body, open(f"{work}/batch{r}.json", "w"))
PY

accepted=(); jobs=()
for r in $(seq 0 "$runs"); do
    start=$(date +%s.%N)
    code=$(curl -s -o "$work/out.json" -w '%{http_code}' -X POST "http://127.0.0.1:$app_port/api/calls/bulk-queue" \
        -H 'Content-Type: application/json' --data-binary "@$work/batch$r.json")
    t202=$(echo "$(date +%s.%N) - $start" | bc)
    while [ "$(redis-cli -p "$redis_port" zcard '{callqueue}:awaiting-job')" != "0" ]; do sleep 0.05; done
    tjobs=$(echo "$(date +%s.%N) - $start" | bc)
    if [ "$r" -eq 0 ]; then label="warm-up"; else label="run $r"; accepted+=("$t202"); jobs+=("$tjobs"); fi
    printf '%-8s HTTP %s  202 after %6.3f s  all %d dial jobs after %6.3f s\n' "$label" "$code" "$t202" "$calls" "$tjobs"
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
printf 'median over %d runs: 202 after %.3f s, every dial job after %.3f s (%d calls, QUEUE_WORKERS=%s, %s cores)\n' \
    "$runs" "$(median "${accepted[@]}")" "$(median "${jobs[@]}")" "$calls" "$workers" "$(nproc)"
