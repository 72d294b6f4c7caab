#!/usr/bin/env bash
# The test command (README, .ci/run): installs what the tests need, then runs every test in the solution.
#   ./run-tests.sh                                   all tests
#   ./run-tests.sh --filter FullyQualifiedName~Redis  any extra arguments go to `dotnet test`
# Tests start their own redis-server (on free ports; redis-cli from redis-tools joins three of them into a Redis Cluster)
# and chromium, parse deploy/docker-compose.yml with docker-compose and /metrics with Prometheus' Python parser
# (python3-prometheus-client), and cross-check the webhook signer with the official Standard Webhooks package under node
# (npm's standardwebhooks, pinned in tools/standardwebhooks); this script only makes sure all of them are installed.
# Results: console, plus TRX files in TestResults/ (what .ci/run counts).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

say() { printf '==> %s\n' "$*"; }

missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
# Debian's redis-server depends on redis-tools; a redis-server installed some other way may come without redis-cli.
command -v redis-cli >/dev/null 2>&1 || missing+=(redis-tools)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v docker-compose >/dev/null 2>&1 || docker compose version >/dev/null 2>&1 || missing+=(docker-compose)
# The Prometheus project's text-format parser, which the /metrics tests parse with (Debian's python3).
/usr/bin/python3 -c 'import prometheus_client.parser' >/dev/null 2>&1 || missing+=(python3-prometheus-client)
# Node.js and npm run the official Standard Webhooks implementation (StandardWebhookSignerOfficialTests).
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)

if ((${#missing[@]} > 0)); then
    say "Installing ${missing[*]} with apt-get"
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "error: ${missing[*]} not installed and apt-get is not available; install them and re-run." >&2
        exit 1
    fi
    sudo=()
    if [[ $(id -u) -ne 0 ]]; then
        if ! command -v sudo >/dev/null 2>&1; then
            echo "error: ${missing[*]} not installed; run as root or install sudo (apt-get install -y ${missing[*]})." >&2
            exit 1
        fi
        sudo=(sudo)
    fi
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
    for package in "${missing[@]}"; do
        case $package in
            python3-prometheus-client) continue ;;
            redis-tools) binary=redis-cli ;;
            nodejs) binary=node ;;
            *) binary=$package ;;
        esac
        if ! command -v "$binary" >/dev/null 2>&1; then
            echo "error: $binary is still not on PATH after apt-get install $package." >&2
            exit 1
        fi
    done
fi
say "redis-server: $(command -v redis-server) ($(redis-server --version | cut -d' ' -f3)), redis-cli: $(command -v redis-cli)"
say "chromium: $(command -v chromium)"

# The official Standard Webhooks package, at the version package.json pins (npm ci, from the lock file). A failed install
# does not stop the run: StandardWebhookSignerOfficialTests then fails and says how to install it.
webhooks_tool=tools/standardwebhooks
webhooks_wanted=$(node -p "require('./$webhooks_tool/package.json').dependencies.standardwebhooks")
webhooks_installed=$(node -p "require('./$webhooks_tool/node_modules/standardwebhooks/package.json').version" 2>/dev/null || true)
if [[ $webhooks_installed != "$webhooks_wanted" ]]; then
    say "Installing standardwebhooks $webhooks_wanted with npm ci in $webhooks_tool"
    npm ci --prefix "$webhooks_tool" --no-audit --no-fund --loglevel=error \
        || echo "warning: npm ci in $webhooks_tool failed; StandardWebhookSignerOfficialTests will fail until it is installed." >&2
fi
say "standardwebhooks (npm): $(node -p "require('./$webhooks_tool/node_modules/standardwebhooks/package.json').version" 2>/dev/null || echo 'not installed')"

if ! command -v dotnet >/dev/null 2>&1; then
    echo "error: dotnet not found: install the .NET 10 SDK (https://dot.net/download) and re-run." >&2
    exit 1
fi
say "dotnet SDK $(dotnet --version)"

say "dotnet test CallQueueSystem.sln $*"
status=0
dotnet test CallQueueSystem.sln \
    --logger "console;verbosity=normal" \
    --logger "trx;LogFilePrefix=results" \
    --results-directory "$PWD/TestResults" \
    "$@" || status=$?

if ((status == 0)); then
    say "Tests passed (TRX in TestResults/)"
else
    say "dotnet test failed with exit code $status (TRX in TestResults/, if the build got that far)"
fi
exit "$status"
