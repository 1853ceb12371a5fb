#!/usr/bin/env bash
# logged.sh NAME COMMAND...: run COMMAND as this process (so systemd watches the server itself), its output
# redacted again into var/logs/NAME.log, rotated daily and kept retention_days (clinic/logs.py), as
# scripts/run.sh does for `make run`.
set -euo pipefail
name=$1
shift
exec "$@" > >(exec .venv/bin/python -m clinic.logs "var/logs/$name.log") 2>&1
