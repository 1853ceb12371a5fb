#!/usr/bin/env bash
# Starts five processes on 127.0.0.1: the action server, the notifier (re-sends staff notifications
# that failed), the Rasa server, the widget demo page and the staff console; each logs to var/logs/.
# Ctrl-C stops all of them. `scripts/run.sh --shell` starts the action server and the notifier, then
# chats in the terminal instead of serving.
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

trap 'trap - EXIT INT TERM; kill $(jobs -p) 2>/dev/null; wait 2>/dev/null; echo "Stopped."' EXIT INT TERM

# rasa_sdk binds to SANIC_HOST (0.0.0.0 unless set): keep it on this machine.
SANIC_HOST=127.0.0.1 $BIN/rasa run actions --actions actions --port "$ACTIONS_PORT" >var/logs/actions.log 2>&1 &
$BIN/python -m clinic.followups --watch 30 >var/logs/notifier.log 2>&1 &

if [ "${1:-}" = "--shell" ]; then
  $BIN/rasa shell --model "$MODEL" --endpoints endpoints.yml
  exit 0
fi

auth=()
[ -n "${RASA_API_TOKEN:-}" ] && auth=(--auth-token "$RASA_API_TOKEN")
# No --cors: browsers may reach only the widget's socket.io channel, and only from clinic.yml's
# web_origins (checked by addons/socketio_channel.py); the HTTP API is for servers, not pages.
$BIN/rasa run --model "$MODEL" --enable-api --interface 127.0.0.1 --port "$RASA_PORT" \
  --endpoints endpoints.yml --credentials credentials.yml "${auth[@]}" >var/logs/rasa.log 2>&1 &
$BIN/python -m widget.serve --port "$WIDGET_PORT" --rasa-url "http://127.0.0.1:$RASA_PORT" >var/logs/widget.log 2>&1 &
$BIN/python -m console run --port "$CONSOLE_PORT" >var/logs/console.log 2>&1 &

echo "Starting... (logs in var/logs/)"
until curl -sf "http://127.0.0.1:$RASA_PORT/" >/dev/null 2>&1; do
  if ! kill -0 $(jobs -p) 2>/dev/null; then echo "A server stopped; see var/logs/." >&2; exit 1; fi
  sleep 1
done
cat <<MSG
Clinic assistant is running (Ctrl-C stops everything):
  Rasa server     http://127.0.0.1:$RASA_PORT   (REST channel, HTTP API)
  Action server   http://127.0.0.1:$ACTIONS_PORT
  Widget demo     http://127.0.0.1:$WIDGET_PORT   (the clinic page with the chat widget)
  Staff console   http://127.0.0.1:$CONSOLE_PORT   (create an account: make create-user NAME=yourname)
  Notifier        (no port)   re-sends staff notifications that failed
Chat with it in the demo page, or:
  curl -s http://127.0.0.1:$RASA_PORT/webhooks/rest/webhook -H 'Content-Type: application/json' \\
       -d '{"sender": "visitor-1", "message": "How long does Botox last?"}'
MSG
wait -n
echo "A server stopped; see var/logs/." >&2
exit 1
