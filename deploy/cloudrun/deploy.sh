#!/usr/bin/env bash
# Deploys CallQueue to Cloud Run as ONE service (the seed's `gcloud run deploy call-queue`): builds the image with Cloud
# Build from deploy/Dockerfile into Artifact Registry, then deploys it with secrets from Secret Manager.
#
#   GCP_PROJECT=my-project GCP_REGION=europe-west1 \
#   PLIVO_AUTH_ID=MA... PLIVO_NUMBER=14155550100 AGENT_SERVER_URL=https://agent.example.com \
#   REDIS_URL=redis://10.0.0.3:6379 VPC_NETWORK=default VPC_SUBNET=default \
#     deploy/cloudrun/deploy.sh [--dry-run]
#
# --dry-run prints the gcloud commands instead of running them (needs no gcloud). Every variable is read from the
# environment; see deploy/cloudrun/README.md for the whole list, Memorystore and the secrets to create first.
# Secret VALUES never pass through this script: it only names Secret Manager secrets.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

usage() {
    cat <<'EOF'
Usage: deploy/cloudrun/deploy.sh [--dry-run] [--help]

Required:
  GCP_PROJECT (or GOOGLE_CLOUD_PROJECT)   Google Cloud project id
  GCP_REGION                              Cloud Run / Artifact Registry region, e.g. europe-west1
  AGENT_SERVER_URL                        the voice-AI agent server, e.g. https://agent.example.com
  REDIS_URL or REDIS_URL_SECRET           Redis without a password (e.g. Memorystore: redis://10.0.0.3:6379), or the name of
                                          a Secret Manager secret holding a URL with one (rediss://:password@host:6378)
  PLIVO_AUTH_ID, PLIVO_NUMBER             the Plivo account and caller ID (not needed with PLIVO_MODE=sandbox)

Secrets (Secret Manager names, created beforehand; version SECRET_VERSION, default latest):
  PLIVO_AUTH_TOKEN_SECRET (plivo-auth-token)   API_KEYS_SECRET (callqueue-api-keys)
  DASHBOARD_PASSWORD_SECRET (callqueue-dashboard-password; DASHBOARD_USERNAME is required: Production refuses to start without a dashboard account)
  DASHBOARD_READONLY_PASSWORD_SECRET (callqueue-dashboard-readonly-password; only when DASHBOARD_READONLY_USERNAME is set)

Optional:
  SERVICE_NAME (call-queue)  IMAGE (skip the build and deploy this image)  AR_REPOSITORY (call-queue)  IMAGE_TAG (git sha)
  PUBLIC_BASE_URL (default: the service's URL, https://SERVICE-PROJECT_NUMBER.REGION.run.app; GCP_PROJECT_NUMBER avoids a lookup)
  VPC_CONNECTOR, or VPC_NETWORK + VPC_SUBNET (Direct VPC egress)   VPC_EGRESS (private-ranges-only)   SERVICE_ACCOUNT
  MIN_INSTANCES (1)  MAX_INSTANCES (3)  CPU (1)  MEMORY (1Gi)  CONCURRENCY (80)  REQUEST_TIMEOUT (300)
  ALLOW_UNAUTHENTICATED (true: Plivo's callbacks cannot authenticate to Google; the API checks API_KEYS itself)
  Passed to the service when set: REDIS_KEY_PREFIX QUEUE_WORKERS MAX_CONCURRENT_CALLS RATE_LIMIT_PER_SECOND RETRY_DELAY_SECONDS
  PROVIDER_RETRY_DELAY_SECONDS PLIVO_MODE PLIVO_API_URL PLIVO_TIMEOUT_SECONDS DASHBOARD_USERNAME LOG_LEVEL and the other
  settings of env.example.
EOF
}

dry_run=0
for argument in "$@"; do
    case "$argument" in
        --dry-run) dry_run=1 ;;
        -h | --help)
            usage
            exit 0
            ;;
        *)
            echo "error: unknown argument '$argument'" >&2
            usage >&2
            exit 2
            ;;
    esac
done

say() { printf '==> %s\n' "$*" >&2; }

missing=()
require() {
    local name
    for name in "$@"; do
        [[ -n "${!name:-}" ]] || missing+=("$name")
    done
}

# Prints a command as a shell line: words made only of safe characters as they are, the rest single-quoted.
print_command() {
    local word out=()
    for word in "$@"; do
        if [[ "$word" =~ ^[A-Za-z0-9_./:=@%+,^-]+$ ]]; then
            out+=("$word")
        else
            out+=("'${word//\'/\'\\\'\'}'")
        fi
    done
    printf '%s\n' "${out[*]}"
}

run() {
    if ((dry_run)); then
        print_command "$@"
    else
        "$@"
    fi
}

# ---- configuration ------------------------------------------------------------------------------------------------
project="${GCP_PROJECT:-${GOOGLE_CLOUD_PROJECT:-}}"
[[ -n "$project" ]] || missing+=("GCP_PROJECT")
# Production refuses to start without a dashboard account (and without API_KEYS, which always come from Secret Manager).
require GCP_REGION AGENT_SERVER_URL DASHBOARD_USERNAME
if [[ -z "${REDIS_URL:-}" && -z "${REDIS_URL_SECRET:-}" ]]; then
    missing+=("REDIS_URL (or REDIS_URL_SECRET)")
fi
if [[ "${PLIVO_MODE:-}" != "sandbox" ]]; then
    require PLIVO_AUTH_ID PLIVO_NUMBER
fi
if ((${#missing[@]} > 0)); then
    echo "error: missing required variable(s): ${missing[*]}" >&2
    echo "       export them (see deploy/cloudrun/README.md or --help) and run again." >&2
    exit 1
fi

region="$GCP_REGION"
service="${SERVICE_NAME:-call-queue}"
secret_version="${SECRET_VERSION:-latest}"
min_instances="${MIN_INSTANCES:-1}"

if [[ ! "$min_instances" =~ ^[0-9]+$ ]] || ((min_instances < 1)); then
    echo "error: MIN_INSTANCES must be at least 1: Hangfire's dial workers run outside requests and must stay alive." >&2
    exit 1
fi

# A password in REDIS_URL would land in the service's plain environment (and this script's output).
if [[ -n "${REDIS_URL:-}" ]]; then
    if [[ "$REDIS_URL" =~ ^rediss?://[^/@]*:[^/@]*@ || "$REDIS_URL" =~ [Pp][Aa][Ss][Ss][Ww][Oo][Rr][Dd]= ]]; then
        echo "error: REDIS_URL carries a password: store the URL in Secret Manager and set REDIS_URL_SECRET=<secret name> instead." >&2
        exit 1
    fi
fi

if ((!dry_run)) && ! command -v gcloud >/dev/null 2>&1; then
    echo "error: gcloud not found: install the Google Cloud CLI (https://cloud.google.com/sdk/docs/install), or use --dry-run." >&2
    exit 1
fi

if [[ -n "${IMAGE:-}" ]]; then
    image="$IMAGE"
    build=0
else
    repository="${AR_REPOSITORY:-call-queue}"
    tag="${IMAGE_TAG:-$(git -C "$root" rev-parse --short=12 HEAD 2>/dev/null || date -u +%Y%m%d%H%M%S)}"
    image="${region}-docker.pkg.dev/${project}/${repository}/${service}:${tag}"
    build=1
fi

# PLIVO callbacks go to PUBLIC_BASE_URL; by default the service's own deterministic URL.
public_base_url="${PUBLIC_BASE_URL:-}"
if [[ -z "$public_base_url" ]]; then
    project_number="${GCP_PROJECT_NUMBER:-}"
    if [[ -z "$project_number" ]]; then
        if ((dry_run)); then
            project_number="PROJECT_NUMBER"
            say "PUBLIC_BASE_URL and GCP_PROJECT_NUMBER are not set: the real run looks the project number up with gcloud"
        else
            if ! project_number="$(gcloud projects describe "$project" --format='value(projectNumber)')" || [[ -z "$project_number" ]]; then
                echo "error: could not read the project number of $project with gcloud (gcloud auth login?); set GCP_PROJECT_NUMBER or PUBLIC_BASE_URL." >&2
                exit 1
            fi
        fi
    fi
    public_base_url="https://${service}-${project_number}.${region}.run.app"
fi

# ---- environment and secrets of the service ---------------------------------------------------------------------
# Cloud Run collects stdout; a log file would only fill the instance's in-memory disk, so LOG_FILE is empty unless set.
env_vars=("AGENT_SERVER_URL=${AGENT_SERVER_URL}" "PUBLIC_BASE_URL=${public_base_url}" "LOG_FILE=${LOG_FILE:-}")
if [[ -n "${REDIS_URL:-}" && -z "${REDIS_URL_SECRET:-}" ]]; then
    env_vars+=("REDIS_URL=${REDIS_URL}")
fi
for name in PLIVO_AUTH_ID PLIVO_NUMBER PLIVO_MODE PLIVO_API_URL PLIVO_TIMEOUT_SECONDS REDIS_KEY_PREFIX QUEUE_WORKERS \
    MAX_CONCURRENT_CALLS RATE_LIMIT_PER_SECOND RETRY_DELAY_SECONDS PROVIDER_RETRY_DELAY_SECONDS SCHEDULE_POLLING_SECONDS \
    INGEST_WORKERS SLOT_WAIT_SECONDS AGENT_WAIT_SECONDS DEFAULT_MAX_DURATION_SECONDS RECONCILE_GRACE_SECONDS \
    HANGFIRE_SERVER_TIMEOUT_SECONDS AGENT_HEALTH_INTERVAL_SECONDS DASHBOARD_USERNAME DASHBOARD_READONLY_USERNAME LOG_LEVEL \
    LOG_FORMAT AUTH_FAILURES_PER_MINUTE; do
    if [[ -n "${!name:-}" ]]; then
        env_vars+=("${name}=${!name}")
    fi
done

secrets=("PLIVO_AUTH_TOKEN=${PLIVO_AUTH_TOKEN_SECRET:-plivo-auth-token}:${secret_version}"
    "API_KEYS=${API_KEYS_SECRET:-callqueue-api-keys}:${secret_version}")
if [[ -n "${DASHBOARD_USERNAME:-}" ]]; then # always, see require above
    secrets+=("DASHBOARD_PASSWORD=${DASHBOARD_PASSWORD_SECRET:-callqueue-dashboard-password}:${secret_version}")
fi
if [[ -n "${DASHBOARD_READONLY_USERNAME:-}" ]]; then
    secrets+=("DASHBOARD_READONLY_PASSWORD=${DASHBOARD_READONLY_PASSWORD_SECRET:-callqueue-dashboard-readonly-password}:${secret_version}")
fi
if [[ -n "${REDIS_URL_SECRET:-}" ]]; then
    secrets+=("REDIS_URL=${REDIS_URL_SECRET}:${secret_version}")
fi
if [[ "${PLIVO_MODE:-}" == "sandbox" ]]; then
    # A rehearsal: the sandbox's own credentials; no Plivo token.
    secrets=("${secrets[@]:1}")
fi

# gcloud splits KEY=VALUE lists on commas; values with commas need another delimiter (gcloud topic escaping).
join_list() {
    local item IFS=','
    for item in "$@"; do
        if [[ "$item" == *,* ]]; then
            IFS='|'
            printf '^|^%s' "$*"
            return 0
        fi
    done
    printf '%s' "$*"
}

network_flags=()
if [[ -n "${VPC_CONNECTOR:-}" ]]; then
    network_flags+=(--vpc-connector "$VPC_CONNECTOR" --vpc-egress "${VPC_EGRESS:-private-ranges-only}")
elif [[ -n "${VPC_NETWORK:-}" ]]; then
    network_flags+=(--network "$VPC_NETWORK" --subnet "${VPC_SUBNET:-$VPC_NETWORK}" --vpc-egress "${VPC_EGRESS:-private-ranges-only}")
else
    say "no VPC_CONNECTOR or VPC_NETWORK: the service reaches Redis over the internet (Memorystore needs a VPC path, see README.md)"
fi

access_flags=(--allow-unauthenticated)
if [[ "${ALLOW_UNAUTHENTICATED:-true}" == "false" ]]; then
    access_flags=(--no-allow-unauthenticated)
    say "ALLOW_UNAUTHENTICATED=false: Plivo's callbacks will be refused by Cloud Run's IAM check"
fi

account_flags=()
if [[ -n "${SERVICE_ACCOUNT:-}" ]]; then
    account_flags+=(--service-account "$SERVICE_ACCOUNT")
fi

# ---- build --------------------------------------------------------------------------------------------------------
if ((build)); then
    say "Building $image with Cloud Build (deploy/Dockerfile, context: the repository root)"
    if ((dry_run)); then
        print_command gcloud artifacts repositories describe "$repository" --project "$project" --location "$region"
        echo "# (only if it does not exist yet:)"
        print_command gcloud artifacts repositories create "$repository" --project "$project" --location "$region" --repository-format docker
    elif ! gcloud artifacts repositories describe "$repository" --project "$project" --location "$region" >/dev/null 2>&1; then
        gcloud artifacts repositories create "$repository" --project "$project" --location "$region" --repository-format docker
    fi
    run gcloud builds submit "$root" --project "$project" --region "$region" \
        --config "$root/deploy/cloudrun/cloudbuild.yaml" --substitutions "_IMAGE=${image}"
fi

# ---- deploy -------------------------------------------------------------------------------------------------------
# min-instances >= 1 and no CPU throttling: Hangfire's dial workers, the scheduler and the reconciler run outside
# requests, so an instance must stay up with its CPU allocated. Port 8000 is the app's PORT.
say "Deploying $service to Cloud Run in $region ($project)"
run gcloud run deploy "$service" \
    --project "$project" \
    --region "$region" \
    --image "$image" \
    --port 8000 \
    --min-instances "$min_instances" \
    --max-instances "${MAX_INSTANCES:-3}" \
    --no-cpu-throttling \
    --cpu-boost \
    --cpu "${CPU:-1}" \
    --memory "${MEMORY:-1Gi}" \
    --concurrency "${CONCURRENCY:-80}" \
    --timeout "${REQUEST_TIMEOUT:-300}" \
    --execution-environment gen2 \
    "${access_flags[@]}" \
    "${account_flags[@]}" \
    "${network_flags[@]}" \
    --set-env-vars "$(join_list "${env_vars[@]}")" \
    --set-secrets "$(join_list "${secrets[@]}")"

if ((dry_run)); then
    say "dry run: nothing was built or deployed"
    exit 0
fi

url="$(gcloud run services describe "$service" --project "$project" --region "$region" --format='value(status.url)')"
say "Deployed: $url"
if [[ "$url" != "$public_base_url" ]]; then
    say "note: PUBLIC_BASE_URL is $public_base_url, the service answers at $url: Plivo's callbacks must reach one of the service's URLs"
fi
say "Next: curl $url/api/health"
