#!/usr/bin/env bash
# Container health check for CallQueue (the runtime image has bash but neither curl nor wget):
# GET http://127.0.0.1:$PORT$HEALTHCHECK_PATH over bash's /dev/tcp; the path defaults to /healthz/ready, the readiness
# probe (503 while Redis is down). Exit 0 when it answers 200, 1 otherwise (503, or no answer within
# HEALTHCHECK_TIMEOUT seconds, default 5). HEALTHCHECK_PATH=/healthz/live checks only that the process answers.
#   PORT=8000 deploy/healthcheck.sh
set -uo pipefail

port="${PORT:-8000}"
timeout="${HEALTHCHECK_TIMEOUT:-5}"
path="${HEALTHCHECK_PATH:-/healthz/ready}"

if ! exec 3<>"/dev/tcp/127.0.0.1/${port}"; then
    echo "unhealthy: nothing listens on 127.0.0.1:${port}" >&2
    exit 1
fi

printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1:%s\r\nUser-Agent: callqueue-healthcheck\r\nConnection: close\r\n\r\n' "$path" "$port" >&3

status_line=""
if ! IFS= read -r -t "$timeout" status_line <&3; then
    echo "unhealthy: no answer from ${path} within ${timeout} s" >&2
    exit 1
fi
exec 3<&-

status_line="${status_line%$'\r'}"
case "$status_line" in
    "HTTP/1."?" 200"*)
        exit 0
        ;;
    *)
        echo "unhealthy: ${path} answered '${status_line}'" >&2
        exit 1
        ;;
esac
