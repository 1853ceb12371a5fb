"""The systemd units: accepted by systemd itself, hardened, and a health check that restarts a silent server."""

import os
import shutil
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from harness.servers import free_port
from tests.deploy.deployment import (ENV_EXAMPLES, NEEDS, NGINX_TEMPLATE, ROOT, SECRET_NAME, SYSTEMD, env_file_keys,
                                     unit_settings)

INSTALL_ROOT = "/srv/clinic"
ENV_FILE = "/etc/clinic/clinic.env"
SERVERS = ["clinic-rasa@.service", "clinic-actions.service", "clinic-notifier.service", "clinic-widget.service",
           "clinic-console.service"]
UNITS = sorted(p.name for p in SYSTEMD.iterdir() if p.suffix in (".service", ".timer", ".target"))


def installed_here(tmp_path: Path) -> Path:
    """The units as if this checkout were installed at /srv/clinic, with the example env file."""
    folder = tmp_path / "units"
    folder.mkdir()
    for name in UNITS:
        text = (SYSTEMD / name).read_text().replace(INSTALL_ROOT, str(ROOT))
        (folder / name).write_text(text.replace(ENV_FILE, str(ENV_EXAMPLES["systemd"])))
    return folder


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze is not installed here")
def test_systemd_accepts_every_unit(tmp_path):
    folder = installed_here(tmp_path)
    instance = folder / "clinic-rasa@5005.service"
    instance.write_text((folder / "clinic-rasa@.service").read_text())
    result = subprocess.run(["systemd-analyze", "verify", "--man=no", *sorted(str(p) for p in folder.iterdir())],
                            capture_output=True, text=True, timeout=60, cwd=folder)
    # verify also warns (unknown keys, programs that are missing) without failing: any output is a finding.
    assert result.returncode == 0 and result.stdout + result.stderr == "", result.stdout + result.stderr


@pytest.mark.parametrize("name", SERVERS)
def test_servers_restart_run_as_their_own_user_and_are_hardened(name):
    settings = unit_settings(SYSTEMD / name)
    assert settings["Restart"] == ["always"] and settings["EnvironmentFile"] == [ENV_FILE]
    assert settings["User"] == ["clinic"] and settings["NoNewPrivileges"] == ["yes"]
    assert settings["ProtectSystem"] == ["strict"] and settings["ReadWritePaths"] == [f"{INSTALL_ROOT}/var"]
    assert settings["PrivateTmp"] == ["yes"]
    assert not any(SECRET_NAME.search(value.split("=")[0]) for value in settings.get("Environment", [])
                   for value in value.split())


def test_rasa_is_a_template_by_port_and_every_server_is_in_the_target():
    (exec_start,) = unit_settings(SYSTEMD / "clinic-rasa@.service")["ExecStart"]
    assert "--port %i" in exec_start and "--endpoints deploy/endpoints.scale.yml" in exec_start
    assert "--enable-api" in exec_start and "--auth-token ${RASA_API_TOKEN}" in exec_start
    wanted = unit_settings(SYSTEMD / "clinic.target")["Wants"][0].split()
    assert {"clinic-rasa@5005.service", "clinic-rasa@5006.service", "clinic-purge.timer",
            "clinic-healthcheck.timer"} <= set(wanted)
    assert unit_settings(SYSTEMD / "clinic-purge.timer")["OnCalendar"] == ["daily"]


def test_the_env_file_example_documents_everything_the_servers_read():
    documented = set(env_file_keys(ENV_EXAMPLES["systemd"]))
    assert set().union(*NEEDS.values()) <= documented


@pytest.mark.skipif(not shutil.which("nginx"), reason="nginx is not installed here")
def test_nginx_accepts_the_template_filled_in_for_one_server(tmp_path):
    values = {"LISTEN": f"127.0.0.1:{free_port()}", "CONSOLE_LISTEN": f"127.0.0.1:{free_port()}",
              "RASA_UPSTREAM_SERVERS": "server 127.0.0.1:5005; server 127.0.0.1:5006;",
              "WIDGET_SERVER": "127.0.0.1:8080", "CONSOLE_SERVER": "127.0.0.1:8001"}
    site = NGINX_TEMPLATE.read_text()
    for name, value in values.items():
        site = site.replace("${" + name + "}", value)
    (tmp_path / "clinic.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid; error_log stderr; events {{}}\n"
        f"http {{ access_log off; client_body_temp_path {tmp_path}; include {tmp_path}/clinic.conf; }}\n")
    result = subprocess.run(["nginx", "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr


class Answering(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def rasa_answering():
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Answering)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1]
    server.shutdown()


FAKE_SYSTEMCTL = """#!/usr/bin/env bash
# systemctl as the health check sees it: UNITS are active, STARTED_NOW ones became active just now.
echo "$*" >> "$CALLS"
case "$1" in
  list-units) for unit in $UNITS; do case "$unit" in clinic-rasa@*) echo "$unit loaded active running";; esac; done;;
  is-active) [[ " $UNITS " == *" ${@: -1} "* ]];;
  show) if [[ " $STARTED_NOW " == *" ${@: -1} "* ]]; then awk '{ printf "%d\\n", $1 * 1000000 }' /proc/uptime;
        else echo 0; fi;;
esac
"""


def run_health_check(tmp_path: Path, units: list, started_now: list = ()) -> list:
    """Run deploy/systemd/clinic-healthcheck.sh against a fake systemctl; the units it restarted."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    (bin_dir / "systemctl").write_text(FAKE_SYSTEMCTL)
    (bin_dir / "systemctl").chmod(0o755)
    calls = tmp_path / "calls"
    calls.write_text("")
    # The script runs CLINIC_ROOT/.venv/bin/python: this interpreter, in a folder shaped like an install.
    root = tmp_path / "root"
    (root / ".venv" / "bin").mkdir(parents=True, exist_ok=True)
    (root / "scripts").mkdir(exist_ok=True)
    if not (root / ".venv" / "bin" / "python").exists():
        (root / ".venv" / "bin" / "python").symlink_to(sys.executable)
        (root / "scripts" / "check_health.py").symlink_to(ROOT / "scripts" / "check_health.py")
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}", "CALLS": str(calls), "CLINIC_ROOT": str(root),
           "UNITS": " ".join(units), "STARTED_NOW": " ".join(started_now), "GRACE_SECONDS": "60",
           "ACTIONS_HEALTH_URL": f"http://127.0.0.1:{free_port()}/health"}
    subprocess.run([str(SYSTEMD / "clinic-healthcheck.sh")], env=env, check=True, timeout=60, capture_output=True)
    return [line.split()[1] for line in calls.read_text().splitlines() if line.startswith("restart ")]


def test_the_health_check_restarts_a_server_that_stopped_answering(tmp_path, rasa_answering):
    silent = f"clinic-rasa@{free_port()}.service"
    answering = f"clinic-rasa@{rasa_answering}.service"
    restarted = run_health_check(tmp_path, [answering, silent, "clinic-actions.service"])
    assert restarted == [silent, "clinic-actions.service"]


def test_the_health_check_leaves_alone_a_server_still_starting_or_stopped(tmp_path):
    starting = f"clinic-rasa@{free_port()}.service"
    assert run_health_check(tmp_path, [starting], started_now=[starting]) == []
