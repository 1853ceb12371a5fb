"""The real action server, Rasa server (trained model) and widget server on free 127.0.0.1 ports.

Used by the tests' fixtures (tests/conftest.py, tests/widget/conftest.py) and by bench/.
"""

import os
import random
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, Optional, Tuple

import requests
import yaml

from harness.webhook_receiver import WebhookReceiver

ROOT = Path(__file__).resolve().parents[1]
MODEL = ROOT / "models" / "clinic-assistant.tar.gz"
START_TIMEOUT_SECONDS = 180


# Below Linux's range for the local ends of outgoing connections (32768-60999): a server stopped
# and started again must find its port free, and a port of that range may meanwhile have become
# the local end of some connection (to nginx, PostgreSQL, ...), so the restart could not listen.
SERVER_PORTS = range(20000, 32000)
_given_ports: set = set()


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now, outside the range of outgoing connections, never given twice."""
    while True:
        port = random.choice(SERVER_PORTS)
        if port in _given_ports:
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
        _given_ports.add(port)
        return port


def wait_until_up(url: str, process: subprocess.Popen, log: Path, timeout: float = START_TIMEOUT_SECONDS) -> None:
    """Poll `url` until it answers; fail with the log's tail if the process exits or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited early:\n{log.read_text()[-3000:]}")
        try:
            if requests.get(url, timeout=2).ok:
                return
        except (requests.ConnectionError, requests.Timeout):  # a server still loading may accept and not answer
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} not up after {timeout:.0f}s:\n{log.read_text()[-3000:]}")


def write_clinic_config(workdir: Path, web_origin: str, real_limits: bool = False) -> Path:
    """A copy of clinic.yml in `workdir` allowing `web_origin` (without `real_limits`: no rate limits or caps)."""
    config = yaml.safe_load((ROOT / "clinic.yml").read_text())
    config["web_origins"] = [web_origin]
    if not real_limits:
        config["limits"] = {**(config.get("limits") or {}), "messages_per_minute_per_sender": 100_000,
                            "messages_per_minute_per_ip": 100_000, "followups_per_conversation_per_hour": 0,
                            "followups_per_address_per_hour": 0}
    path = workdir / "clinic.yml"
    path.write_text(yaml.safe_dump(config))
    return path


class Servers:
    """The servers of one run, each on a free port, with their own databases under `workdir`."""

    def __init__(self, workdir: Path, webhook: WebhookReceiver, real_limits: bool = False, model: Path = MODEL,
                 endpoints: Path = ROOT / "endpoints.yml", extra_env: Optional[Dict[str, str]] = None,
                 start_timeout_s: float = START_TIMEOUT_SECONDS):
        self.workdir = workdir
        self.model = model
        self.endpoints = endpoints
        self.start_timeout_s = start_timeout_s
        self.webhook = webhook
        # The tests and benchmarks send far more from one address than a visitor would: clinic.yml's
        # rate limits and follow-up caps apply only where asked for (tests/security).
        self.real_limits = real_limits
        self.rasa_port, self.actions_port, self.widget_port = free_port(), free_port(), free_port()
        self.rasa_url = f"http://127.0.0.1:{self.rasa_port}"
        self.widget_url = f"http://127.0.0.1:{self.widget_port}"
        self.tracker_db = workdir / "tracker.db"
        self.tracker_db_url = f"sqlite:///{self.tracker_db}"
        self.followup_db_url = f"sqlite:///{workdir / 'followups.db'}"
        # As `make run` does when none is set: random tokens for the HTTP API and the action server, and a
        # random key for the widget's session ids (in the environment below).
        self.api_token = secrets.token_urlsafe(32)
        self.action_token = secrets.token_urlsafe(32)
        self.env = {
            **os.environ,
            "TRACKER_STORE_URL": self.tracker_db_url,
            # The same file for Rasa's own SQL tracker store, configured by fields (bench's stock Rasa side).
            "TRACKER_STORE_SQLITE_FILE": str(self.tracker_db),
            "FOLLOWUP_DB_URL": self.followup_db_url,
            "NOTIFY_WEBHOOK_URL": webhook.url,
            "CLINIC_CONFIG": str(self._clinic_config()),
            "TF_CPP_MIN_LOG_LEVEL": "3",
            "ACTION_SERVER_TOKEN": self.action_token,
            "SESSION_SIGNING_KEY": secrets.token_urlsafe(32),
            **(extra_env or {}),
        }
        self.processes = []
        # name -> (process, time.monotonic() when it was started): for cold starts and memory figures.
        self.started: Dict[str, Tuple[subprocess.Popen, float]] = {}

    def _clinic_config(self) -> Path:
        """clinic.yml, with this run's widget page as the allowed web origin (rate limits and follow-up caps off)."""
        return write_clinic_config(self.workdir, self.widget_url, self.real_limits)

    def start(self, widget: bool = False, actions: bool = True) -> None:
        """Start the action server and Rasa server (and the widget server); return when all answer.

        Without `actions`, Rasa's action endpoint points at a port where nothing listens: the action
        server is down.
        """
        endpoints = self.workdir / "endpoints.yml"
        endpoints.write_text(
            self.endpoints.read_text().replace("127.0.0.1:5055", f"127.0.0.1:{self.actions_port}")
        )
        bin_dir = Path(sys.executable).parent
        if actions:
            self._spawn("actions", [sys.executable, "-m", "actions.server", "--port", str(self.actions_port)],
                        f"http://127.0.0.1:{self.actions_port}/health")
        self._spawn("rasa", [str(bin_dir / "rasa"), "run", "--model", str(self.model), "--enable-api",
                             "--auth-token", self.api_token, "--interface", "127.0.0.1", "--port", str(self.rasa_port),
                             "--endpoints", str(endpoints), "--credentials", str(ROOT / "credentials.yml")],
                    f"{self.rasa_url}/status?token={self.api_token}")
        if widget:
            self._spawn("widget", [sys.executable, "-m", "widget.serve", "--port",
                                   str(self.widget_port), "--rasa-url", self.rasa_url], self.widget_url)

    def _spawn(self, name, command, ready_url) -> None:
        log = self.workdir / f"{name}.log"
        started = time.monotonic()
        process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=log.open("w"), stderr=subprocess.STDOUT)
        self.processes.append(process)
        self.started[name] = (process, started)
        wait_until_up(ready_url, process, log, self.start_timeout_s)

    def stop(self) -> None:
        """Stop every server started."""
        for process in reversed(self.processes):
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()

    def say(self, sender: str, message) -> list:
        """Send one visitor message through the REST channel; return the bot's messages."""
        response = requests.post(f"{self.rasa_url}/webhooks/rest/webhook",
                                 json={"sender": sender, "message": message}, timeout=60)
        response.raise_for_status()
        return response.json()

    def texts(self, sender: str, message) -> str:
        """The bot's reply texts to one message, one a line."""
        return "\n".join(m.get("text", "") for m in self.say(sender, message))

    def api(self, method: str, path: str, **kwargs) -> requests.Response:
        """A call to Rasa's HTTP API, with the token."""
        params = {**kwargs.pop("params", {}), "token": self.api_token}
        return requests.request(method, f"{self.rasa_url}{path}", params=params, timeout=kwargs.pop("timeout", 30),
                                **kwargs)

    def tracker(self, sender: str) -> dict:
        """The conversation's tracker from Rasa's HTTP API."""
        return self.api("GET", f"/conversations/{sender}/tracker").json()


class NoModel(RuntimeError):
    """There is no trained model to serve."""


def running_servers(workdir: Path, widget: bool = False, real_limits: bool = False, actions: bool = True,
                    model: Path = MODEL, **options):
    """Start the servers; a generator that yields them running and stops them when closed.

    `options` are Servers' own: the endpoints file and extra environment (the benchmarks' variants).
    """
    if not model.exists():
        raise NoModel(f"No trained model at {model}: run 'make train' first (make test does).")
    with WebhookReceiver() as webhook:
        running = Servers(workdir, webhook, real_limits=real_limits, model=model, **options)
        try:
            running.start(widget=widget, actions=actions)
            yield running
        finally:
            running.stop()
