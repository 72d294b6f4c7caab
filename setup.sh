#!/usr/bin/env bash
# The seed's first step (MIGRATION_GUIDE.md: ./setup.sh): prepares this checkout on Debian/Ubuntu. Safe to run again:
# it installs only what is missing, never overwrites .env, and a second build is incremental.
#   ./setup.sh             check prerequisites (.NET 10 SDK; redis-server, installed with apt if missing), create .env
#                          from env.example if there is none, dotnet restore + dotnet build, then print the next steps
#   ./setup.sh --no-build  the same without restore and build
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

say() { printf '==> %s\n' "$*"; }
ok() { printf '    ok: %s\n' "$*"; }
fail() {
    printf 'error: %s\n' "$*" >&2
    exit 1
}

build=1
for argument in "$@"; do
    case "$argument" in
        --no-build) build=0 ;;
        -h | --help)
            sed -n '2,6p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
            exit 0
            ;;
        *) fail "unknown argument '$argument' (try --help)" ;;
    esac
done

# ---- the machine --------------------------------------------------------------------------------------------------
read_os_release() {
    # shellcheck source=/dev/null
    (. /etc/os-release 2>/dev/null && printf '%s|%s|%s' "${ID:-}" "${ID_LIKE:-}" "${VERSION_ID:-}") || true
}
IFS='|' read -r os_id os_like os_version <<<"$(read_os_release)"
os_like="$os_id $os_like"
debian_like=0
if [[ " $os_like " == *" debian "* || " $os_like " == *" ubuntu "* ]]; then
    debian_like=1
fi
say "Machine: ${os_id:-unknown OS} ${os_version}"
if ((!debian_like)); then
    echo "    note: this script installs packages on Debian/Ubuntu only; elsewhere install what it reports missing yourself."
fi

sudo_cmd=()
if [[ $(id -u) -ne 0 ]] && command -v sudo >/dev/null 2>&1; then
    sudo_cmd=(sudo)
fi
apt_updated=0
apt_install() {
    if ((!debian_like)) || ! command -v apt-get >/dev/null 2>&1; then
        return 1
    fi
    if [[ $(id -u) -ne 0 && ${#sudo_cmd[@]} -eq 0 ]]; then
        echo "    cannot install $*: not root and no sudo" >&2
        return 1
    fi
    if ((!apt_updated)); then
        "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
        apt_updated=1
    fi
    "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@"
}

# ---- .NET 10 SDK (global.json pins 10.0.x) ------------------------------------------------------------------------
say ".NET SDK"
if command -v dotnet >/dev/null 2>&1 && sdk_version="$(dotnet --version 2>/dev/null)" && [[ "$sdk_version" == 10.* ]]; then
    ok "dotnet SDK $sdk_version ($(command -v dotnet))"
else
    if command -v dotnet >/dev/null 2>&1; then
        echo "    the .NET 10 SDK is missing (installed: $(dotnet --list-sdks 2>/dev/null | cut -d' ' -f1 | paste -sd' ' - || true))." >&2
    else
        echo "    dotnet is not installed." >&2
    fi
    cat >&2 <<EOF
    Install the .NET 10 SDK, then run ./setup.sh again. One of:
      # Microsoft's packages (Debian 12, Ubuntu 22.04/24.04):
      wget https://packages.microsoft.com/config/${os_id:-debian}/${os_version:-12}/packages-microsoft-prod.deb -O /tmp/packages-microsoft-prod.deb
      sudo dpkg -i /tmp/packages-microsoft-prod.deb && sudo apt-get update && sudo apt-get install -y dotnet-sdk-10.0
      # or, for this user only (any Linux):
      curl -sSL https://dot.net/v1/dotnet-install.sh | bash -s -- --channel 10.0
      export DOTNET_ROOT="\$HOME/.dotnet" PATH="\$PATH:\$HOME/.dotnet"
    (https://learn.microsoft.com/dotnet/core/install/linux)
EOF
    exit 1
fi

# ---- Redis --------------------------------------------------------------------------------------------------------
say "Redis"
if command -v redis-server >/dev/null 2>&1; then
    ok "redis-server $(redis-server --version | sed -n 's/.*v=\([^ ]*\).*/\1/p') ($(command -v redis-server))"
else
    echo "    redis-server is missing: installing it with apt-get"
    if apt_install redis-server && command -v redis-server >/dev/null 2>&1; then
        ok "redis-server installed ($(command -v redis-server))"
    else
        fail "redis-server could not be installed: install Redis 7 (apt-get install redis-server) and run ./setup.sh again"
    fi
fi

# ---- .env ---------------------------------------------------------------------------------------------------------
say "Configuration (.env)"
if [[ -e .env ]]; then
    ok ".env exists: kept as it is (compare with env.example for new settings)"
else
    [[ -f env.example ]] || fail "env.example is missing: is this a CallQueue checkout?"
    cp env.example .env
    chmod 600 .env
    ok "created .env from env.example (every line commented out: the development defaults; it will hold secrets, so only you can read it)"
fi

# ---- restore and build --------------------------------------------------------------------------------------------
if ((build)); then
    say "dotnet restore"
    dotnet restore CallQueueSystem.sln
    say "dotnet build"
    dotnet build CallQueueSystem.sln --no-restore -nologo
else
    say "Restore and build skipped (--no-build)"
fi

cat <<'EOF'

==> Ready. Next steps (README.md, Quick start):
    dotnet run --project CallQueue.Api              # the service on http://localhost:8000, on its development defaults
    dotnet run --project CallQueue.Api -- check     # diagnostics: configuration, Redis, agent server, Plivo, a queue round trip
    ./run-tests.sh                                  # the whole test suite

    Keep calls across restarts with a real Redis:
      redis-server --appendonly yes --maxmemory-policy noeviction --daemonize yes
      echo 'REDIS_URL=redis://localhost:6379' >> .env
    Real calls: PLIVO_AUTH_ID, PLIVO_AUTH_TOKEN, PLIVO_NUMBER and AGENT_SERVER_URL in .env (see env.example).
    Containers: docker compose -f deploy/docker-compose.yml up -d --build   Cloud Run: deploy/cloudrun/README.md
EOF
