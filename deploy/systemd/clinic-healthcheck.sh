#!/usr/bin/env bash
# Restart a clinic unit that is running but no longer answers: every Rasa server (clinic-rasa@PORT) on
# http://127.0.0.1:PORT/ and the action server on http://127.0.0.1:5055/health. systemd restarts a unit
# whose process ends (Restart=always) but has no HTTP check; clinic-healthcheck.timer runs this every minute.
# A unit started less than GRACE_SECONDS ago is left alone: Rasa takes a minute or two to load its model.
set -uo pipefail
CLINIC_ROOT=${CLINIC_ROOT:-/srv/clinic}
GRACE_SECONDS=${GRACE_SECONDS:-300}
ACTIONS_HEALTH_URL=${ACTIONS_HEALTH_URL:-http://127.0.0.1:5055/health}

answers() {
  "$CLINIC_ROOT/.venv/bin/python" "$CLINIC_ROOT/scripts/check_health.py" --timeout 10 "$1"
}

# Seconds since UNIT became active.
active_for() {
  local since_us now_us
  since_us=$(systemctl show -p ActiveEnterTimestampMonotonic --value "$1")
  now_us=$(awk '{ printf "%d", $1 * 1000000 }' /proc/uptime)
  echo $(( (now_us - ${since_us:-0}) / 1000000 ))
}

restart_if_silent() {
  local unit=$1 url=$2
  systemctl is-active --quiet "$unit" || return 0
  [ "$(active_for "$unit")" -ge "$GRACE_SECONDS" ] || return 0
  answers "$url" && return 0
  echo "$unit does not answer $url: restarting it"
  systemctl restart "$unit"
}

for unit in $(systemctl list-units --plain --no-legend --state=active 'clinic-rasa@*.service' | awk '{ print $1 }'); do
  port=${unit#clinic-rasa@}
  restart_if_silent "$unit" "http://127.0.0.1:${port%.service}/"
done
restart_if_silent clinic-actions.service "$ACTIONS_HEALTH_URL"
exit 0
