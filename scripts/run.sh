#!/usr/bin/env bash
# Starts five processes on 127.0.0.1: the action server, the notifier (re-sends staff notifications
# that failed), the Rasa server, the widget demo page and the staff console; each logs to var/logs/,
# redacted and rotated daily (clinic/logs.py keeps clinic.yml's retention_days of them). A process
# that dies is started again (var/logs/supervisor.log says when); for a real server, see deploy/systemd/.
# Rasa's HTTP API needs RASA_API_TOKEN, the action server ACTION_SERVER_TOKEN, and the widget's session
# ids are signed with SESSION_SIGNING_KEY: when one is not set, a random one is made once and kept in
# var/ (git-ignored, readable by this user only).
# Ctrl-C stops all of them. `scripts/run.sh --shell` starts the action server and the notifier, then
# chats in the terminal instead of serving.
# PROFILE=prod (in the environment or .env) starts the production profile instead: RASA_REPLICAS Rasa
# servers on PostgreSQL and Redis (deploy/endpoints.scale.yml) behind nginx; deploy/prod.env.example
# lists its settings.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f .env ] && set -a && . ./.env && set +a
mkdir -p var/logs
export TF_CPP_MIN_LOG_LEVEL=3 SQLALCHEMY_SILENCE_UBER_WARNING=1
BIN=.venv/bin
MODEL=models/clinic-assistant.tar.gz
RASA_PORT=${RASA_PORT:-5005}
ACTIONS_PORT=${ACTIONS_PORT:-5055}
WIDGET_PORT=${WIDGET_PORT:-8080}
CONSOLE_PORT=${CONSOLE_PORT:-8001}
PROFILE=${PROFILE:-default}

# The production profile refuses to start on what cannot be shared between replicas.
check_prod_profile() {
  local name
  for name in TRACKER_STORE_URL FOLLOWUP_DB_URL CONSOLE_DB_URL; do
    case "${!name:-}" in
      "") echo "PROFILE=prod: $name is not set; it must be a PostgreSQL URL (deploy/prod.env.example)." >&2; exit 2 ;;
      sqlite*) echo "PROFILE=prod: $name is SQLite; replicas need PostgreSQL (postgresql://...)." >&2; exit 2 ;;
    esac
  done
  if [ -z "${REDIS_HOST:-}" ]; then
    echo "PROFILE=prod: REDIS_HOST is not set: the replicas need Redis for their conversation locks." >&2; exit 2
  fi
  command -v nginx >/dev/null || { echo "PROFILE=prod: nginx is not installed (apt-get install nginx)." >&2; exit 2; }
  export REDIS_PORT=${REDIS_PORT:-6379} REDIS_PASSWORD=${REDIS_PASSWORD:-}
  export ACTION_SERVER_URL=${ACTION_SERVER_URL:-http://127.0.0.1:$ACTIONS_PORT/webhook}
  RASA_REPLICAS=${RASA_REPLICAS:-2}
  NGINX_LISTEN=${NGINX_LISTEN:-127.0.0.1:8000}
  NGINX_CONSOLE_LISTEN=${NGINX_CONSOLE_LISTEN:-127.0.0.1:8002}
  PUBLIC_URL=${PUBLIC_URL:-http://$NGINX_LISTEN}
}
case "$PROFILE" in
  prod) check_prod_profile ;;
  default) ;;
  *) echo "PROFILE must be 'default' or 'prod', not '$PROFILE'." >&2; exit 2 ;;
esac

# Each background job gets its own process group, so stopping one stops its server and its log writer.
set -m
trap 'trap - EXIT INT TERM; for job in $(jobs -p); do kill -- -"$job" 2>/dev/null; done; wait 2>/dev/null; echo "Stopped."' EXIT INT TERM

# secret NAME FILE: keep $NAME if set, else use (or first create) a random value in var/FILE.
secret() {
  local name=$1 file=var/$2
  if [ -n "${!name:-}" ]; then return; fi
  if [ ! -s "$file" ]; then
    (umask 077 && $BIN/python -c 'import secrets; print(secrets.token_urlsafe(32))' >"$file")
    echo "$name was not set: created a random one in $file (set $name in .env to choose your own)."
  fi
  export "$name=$(cat "$file")"
}
secret RASA_API_TOKEN rasa_api_token
secret ACTION_SERVER_TOKEN action_server_token
secret SESSION_SIGNING_KEY session_signing_key

# logged NAME COMMAND...: run COMMAND in the background, its output redacted into var/logs/NAME.log,
# and start it again (after RESTART_DELAY seconds) whenever it exits.
RESTART_DELAY=${RESTART_DELAY:-3}
logged() {
  local name=$1
  shift
  (
    while true; do
      # Process substitution, not a pipe: the writer ends when the server's output does.
      "$@" > >($BIN/python -m clinic.logs "var/logs/$name.log") 2>&1 && status=0 || status=$?
      echo "$(date -u +%FT%TZ) $name exited with status $status; starting it again" >>var/logs/supervisor.log
      sleep "$RESTART_DELAY"
    done
  ) &
}

# The action server binds 127.0.0.1 and refuses calls without ACTION_SERVER_TOKEN (actions/server.py).
logged actions $BIN/python -m actions.server --port "$ACTIONS_PORT"
logged notifier $BIN/python -m clinic.followups --watch 30
# Retention: once a day, delete what is older than clinic.yml's retention_days (make purge).
logged purge bash -c "while true; do $BIN/python -m console purge; sleep 86400; done"

if [ "${1:-}" = "--shell" ]; then
  $BIN/rasa shell --model "$MODEL" --endpoints endpoints.yml
  exit 0
fi

# The HTTP API answers only requests with ?token=$RASA_API_TOKEN (or a JWT signed with
# RASA_JWT_SECRET, when that is set). No --cors: browsers may reach only the widget's socket.io
# channel, and only from clinic.yml's web_origins (addons/socketio_channel.py).
auth=(--auth-token "$RASA_API_TOKEN")
[ -n "${RASA_JWT_SECRET:-}" ] && auth+=(--jwt-secret "$RASA_JWT_SECRET")
rasa_server() {  # rasa_server NAME PORT ENDPOINTS
  logged "$1" $BIN/rasa run --model "$MODEL" --enable-api --interface 127.0.0.1 --port "$2" \
    --endpoints "$3" --credentials credentials.yml "${auth[@]}"
}
wait_for() {  # wait_for URL: until it answers
  until curl -sf "$1" >/dev/null 2>&1; do sleep 1; done
}

if [ "$PROFILE" = prod ]; then
  # The first replica creates the tracker store's tables; the others start once it has.
  rasa_server rasa-1 "$RASA_PORT" deploy/endpoints.scale.yml
  wait_for "http://127.0.0.1:$RASA_PORT/"
  for ((i = 1; i < RASA_REPLICAS; i++)); do
    rasa_server "rasa-$((i + 1))" "$((RASA_PORT + i))" deploy/endpoints.scale.yml
  done
  logged widget $BIN/python -m widget.serve --port "$WIDGET_PORT" --rasa-url "$PUBLIC_URL"
  logged console $BIN/python -m console run --port "$CONSOLE_PORT"
  upstreams=""
  for ((i = 0; i < RASA_REPLICAS; i++)); do upstreams+="server 127.0.0.1:$((RASA_PORT + i)); "; done
  LISTEN=$NGINX_LISTEN CONSOLE_LISTEN=$NGINX_CONSOLE_LISTEN RASA_UPSTREAM_SERVERS=$upstreams \
    WIDGET_SERVER=127.0.0.1:$WIDGET_PORT CONSOLE_SERVER=127.0.0.1:$CONSOLE_PORT \
    $BIN/python scripts/nginx_conf.py var/nginx >/dev/null
  logged nginx nginx -p var/nginx -c "$PWD/var/nginx/nginx.conf"
else
  rasa_server rasa "$RASA_PORT" endpoints.yml
  logged widget $BIN/python -m widget.serve --port "$WIDGET_PORT" --rasa-url "http://127.0.0.1:$RASA_PORT"
  logged console $BIN/python -m console run --port "$CONSOLE_PORT"
fi

if ! $BIN/python -c 'import sys; from clinic.followups.delivery import notifier_for; sys.exit(not notifier_for().has_targets)'; then
  cat >&2 <<WARN
************************************************************************************************
* WARNING: no staff notification target is configured (clinic.yml notifications, or            *
* NOTIFY_WEBHOOK_URL). Leads, handoff requests and URGENT complication alerts are stored and    *
* shown in the console, but nobody is notified; they are sent once a target is configured.      *
************************************************************************************************
WARN
fi

echo "Starting... (logs in var/logs/)"
wait_for "http://127.0.0.1:$RASA_PORT/"
if [ "$PROFILE" = prod ]; then
  for ((i = 1; i < RASA_REPLICAS; i++)); do wait_for "http://127.0.0.1:$((RASA_PORT + i))/"; done
  cat <<MSG
Clinic assistant is running, production profile (Ctrl-C stops everything):
  Public entry    $PUBLIC_URL   (nginx: chat channels, widget; no HTTP API, no action server)
  Staff console   http://$NGINX_CONSOLE_LISTEN   (through nginx; keep it off the internet or behind HTTPS)
  Rasa replicas   $RASA_REPLICAS, from http://127.0.0.1:$RASA_PORT   (HTTP API with ?token=, not routed by nginx)
  Action server   http://127.0.0.1:$ACTIONS_PORT   (Rasa only, with its token; never expose it)
Conversations, follow-ups and staff accounts in PostgreSQL; conversation locks in Redis ($REDIS_HOST).
MSG
  wait
  exit 0
fi
cat <<MSG
Clinic assistant is running (Ctrl-C stops everything):
  Rasa server     http://127.0.0.1:$RASA_PORT   (REST and socket.io channels; HTTP API with ?token=)
  Action server   http://127.0.0.1:$ACTIONS_PORT   (Rasa only, with its token; never expose it)
  Widget demo     http://127.0.0.1:$WIDGET_PORT   (the clinic page with the chat widget)
  Staff console   http://127.0.0.1:$CONSOLE_PORT   (create an account: make create-user NAME=yourname)
  Notifier        (no port)   re-sends staff notifications that failed
  Purge           (no port)   daily: deletes data older than clinic.yml's retention_days
Tokens: RASA_API_TOKEN, ACTION_SERVER_TOKEN and SESSION_SIGNING_KEY from .env, else in var/rasa_api_token,
var/action_server_token and var/session_signing_key.
Chat with it in the demo page, or:
  curl -s http://127.0.0.1:$RASA_PORT/webhooks/rest/webhook -H 'Content-Type: application/json' \\
       -d '{"sender": "visitor-1", "message": "How long does Botox last?"}'
MSG
wait
