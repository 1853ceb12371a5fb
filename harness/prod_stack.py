"""The production profile for real on 127.0.0.1: PostgreSQL, Redis, Rasa replicas, nginx in front.

Every part listens on a free port with its files in one temporary folder, and each can be stopped
(or killed) and started again, for the fault tests in tests/prod/. The parts are the ones
`PROFILE=prod scripts/run.sh` starts: Rasa with deploy/endpoints.scale.yml (tracker store on
PostgreSQL, lock store on Redis), the action server, the widget and the console, the notifier,
nginx from deploy/nginx/clinic.conf.template; a webhook receiver stands in for staff.
"""

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable, Dict, List, Optional

import requests

from harness.postgres_server import PostgresServer
from harness.servers import MODEL, ROOT, START_TIMEOUT_SECONDS, free_port, wait_until_up, write_clinic_config
from harness.webhook_receiver import WebhookReceiver

SCALE_ENDPOINTS = ROOT / "deploy" / "endpoints.scale.yml"
BIN = Path(sys.executable).parent
# Two replicas loading the model side by side on 2 busy cores take minutes, not seconds.
REPLICA_START_TIMEOUT_SECONDS = 420
def port_open(port: int) -> bool:
    """Something accepts TCP connections on 127.0.0.1:port."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


class Part:
    """One server process, restartable: its output is appended to workdir/NAME.log."""

    def __init__(self, name: str, command: List[str], env: Dict[str, str], workdir: Path,
                 ready: Callable[["Part"], None]):
        self.name, self.command, self.env, self.ready = name, command, env, ready
        self.log = workdir / f"{name}.log"
        self.process: Optional[subprocess.Popen] = None

    def start(self, wait: bool = True) -> "Part":
        """Start the process; with `wait`, return once it answers."""
        self.process = subprocess.Popen(self.command, cwd=ROOT, env=self.env, stdout=self.log.open("a"),
                                        stderr=subprocess.STDOUT, start_new_session=True)
        if wait:
            self.wait_ready()
        return self

    def wait_ready(self) -> None:
        """Return once the process answers (fail with its log's tail if it exits first)."""
        self.ready(self)

    @property
    def state(self) -> str:
        """"running (pid N)", "exited with N" or "never started"."""
        if self.process is None:
            return "never started"
        code = self.process.poll()
        return f"running (pid {self.process.pid})" if code is None else f"exited with {code}"

    def log_tail(self, lines: int = 15) -> str:
        """The last `lines` lines of the log that are not Python warnings."""
        if not self.log.exists():
            return ""
        kept = [line for line in self.log.read_text(errors="replace").splitlines()
                if line[:4].isdigit() or "Error" in line or "Traceback" in line]
        return "\n".join(kept[-lines:])

    @property
    def running(self) -> bool:
        """The process is alive."""
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        """SIGTERM, then SIGKILL if it is still there after 20 s."""
        if not self.running:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.kill()

    def kill(self) -> None:
        """SIGKILL (kill -9): no chance to finish what it was doing."""
        if self.running:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=20)


def ready_at(url: str, timeout: float = START_TIMEOUT_SECONDS) -> Callable[[Part], None]:
    """Readiness: `url` answers (harness.servers.wait_until_up)."""
    return lambda part: wait_until_up(url, part.process, part.log, timeout)


def ready_on_port(port: int) -> Callable[[Part], None]:
    """Readiness: the port accepts connections."""
    def wait(part: Part) -> None:
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while not port_open(port):
            if not part.running or time.monotonic() > deadline:
                raise RuntimeError(f"{part.name} did not start:\n{part.log.read_text()[-3000:]}")
            time.sleep(0.2)
    return wait


def no_readiness(part: Part) -> None:
    """For a process with nothing to ask (the notifier)."""


class ProdStack:
    """The whole profile; `start()` brings up everything, each part is then an attribute."""

    def __init__(self, workdir: Path, webhook: WebhookReceiver, replicas: int = 2, notifier_seconds: int = 2):
        self.workdir, self.webhook = workdir, webhook
        self.postgres = PostgresServer()
        self.redis_port, self.actions_port, self.widget_port, self.console_port = (free_port() for _ in range(4))
        self.nginx_port, self.nginx_console_port = free_port(), free_port()
        self.replica_ports = [free_port() for _ in range(replicas)]
        self.url = f"http://127.0.0.1:{self.nginx_port}"
        self.console_url = f"http://127.0.0.1:{self.nginx_console_port}"
        self.api_token = secrets.token_urlsafe(32)
        self.notifier_seconds = notifier_seconds
        self.replicas: List[Part] = []
        self.nginx_prefix = Path(tempfile.mkdtemp(prefix="clinic-nginx-"))

    def _clinic_config(self) -> Path:
        """clinic.yml with nginx's address as the web origin; rate limits and follow-up caps off (one client)."""
        return write_clinic_config(self.workdir, self.url)

    def _environment(self) -> Dict[str, str]:
        """What `PROFILE=prod scripts/run.sh` gives every process (deploy/prod.env.example)."""
        return {
            **os.environ,
            "PROFILE": "prod",
            "TRACKER_STORE_URL": self.tracker_db_url,
            "FOLLOWUP_DB_URL": self.followup_db_url,
            "CONSOLE_DB_URL": self.console_db_url,
            "REDIS_HOST": "127.0.0.1", "REDIS_PORT": str(self.redis_port), "REDIS_PASSWORD": "",
            "ACTION_SERVER_URL": f"http://127.0.0.1:{self.actions_port}/webhook",
            "ACTION_SERVER_TOKEN": secrets.token_urlsafe(32),
            "SESSION_SIGNING_KEY": secrets.token_urlsafe(32),
            "CONSOLE_SECRET_KEY": secrets.token_urlsafe(32),
            "NOTIFY_WEBHOOK_URL": self.webhook.url,
            "CLINIC_CONFIG": str(self._clinic_config()),
            "TF_CPP_MIN_LOG_LEVEL": "3",
            "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        }

    def start(self) -> "ProdStack":
        """Databases first, then the servers (the replicas start side by side), nginx last."""
        if not MODEL.exists():
            raise RuntimeError("No trained model: run 'make train' first (make test does).")
        self.postgres.start()
        self.tracker_db_url = self.postgres.create_database("rasa")
        self.followup_db_url = self.postgres.create_database("followups")
        self.console_db_url = self.postgres.create_database("console")
        env = self._environment()
        self.redis = Part("redis", ["redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1",
                                    "--save", "", "--appendonly", "no", "--dir", str(self.workdir)],
                          env, self.workdir, ready_on_port(self.redis_port)).start()
        # Rasa creates its tables when it starts: two replicas doing it at once on an empty database race.
        self._create_tracker_tables(env)
        self.actions = Part("actions", [sys.executable, "-m", "actions.server", "--port", str(self.actions_port)],
                            env, self.workdir, ready_at(f"http://127.0.0.1:{self.actions_port}/health")).start(False)
        self.replicas = [self._replica(index, port, env).start(wait=False)
                         for index, port in enumerate(self.replica_ports)]
        self.widget = Part("widget", [sys.executable, "-m", "widget.serve", "--port", str(self.widget_port),
                                      "--rasa-url", self.url],
                           env, self.workdir, ready_at(f"http://127.0.0.1:{self.widget_port}")).start(False)
        self.console = Part("console", [sys.executable, "-m", "console", "run", "--port", str(self.console_port)],
                            env, self.workdir, ready_on_port(self.console_port)).start(False)
        self.notifier = Part("notifier", [sys.executable, "-m", "clinic.followups", "--watch",
                                          str(self.notifier_seconds)], env, self.workdir, no_readiness).start()
        for part in [self.actions, *self.replicas, self.widget, self.console]:
            part.wait_ready()
        self.nginx = self._nginx(env).start()
        self.env = env
        return self

    def _create_tracker_tables(self, env: Dict[str, str]) -> None:
        code = ("from addons.url_sql_tracker_store import URLSQLTrackerStore; from rasa.shared.core.domain "
                "import Domain; URLSQLTrackerStore(domain=Domain.empty())")
        subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True)

    def _replica(self, index: int, port: int, env: Dict[str, str]) -> Part:
        command = [str(BIN / "rasa"), "run", "--model", str(MODEL), "--enable-api", "--auth-token", self.api_token,
                   "--interface", "127.0.0.1", "--port", str(port), "--endpoints", str(SCALE_ENDPOINTS),
                   "--credentials", str(ROOT / "credentials.yml")]
        return Part(f"rasa-{index + 1}", command, env, self.workdir,
                    ready_at(f"http://127.0.0.1:{port}/status?token={self.api_token}", REPLICA_START_TIMEOUT_SECONDS))

    def _nginx(self, env: Dict[str, str]) -> Part:
        """The nginx part, configured as `PROFILE=prod scripts/run.sh` does it (scripts/nginx_conf.py)."""
        # Its workers may run as another user (nobody, when started as root): they must be able to
        # reach and write their temporary files, so not under pytest's root-only folders.
        prefix = self.nginx_prefix
        prefix.chmod(0o777)
        servers = " ".join(f"server 127.0.0.1:{port};" for port in self.replica_ports)
        values = {"LISTEN": f"127.0.0.1:{self.nginx_port}", "RASA_UPSTREAM_SERVERS": servers,
                  "WIDGET_SERVER": f"127.0.0.1:{self.widget_port}",
                  "CONSOLE_LISTEN": f"127.0.0.1:{self.nginx_console_port}",
                  "CONSOLE_SERVER": f"127.0.0.1:{self.console_port}"}
        subprocess.run([sys.executable, str(ROOT / "scripts" / "nginx_conf.py"), str(prefix)], env={**env, **values},
                       check=True, capture_output=True)
        return Part("nginx", ["nginx", "-p", str(prefix), "-c", str(prefix / "nginx.conf")], env, self.workdir,
                    ready_at(self.url + "/"))

    def replicas_serving(self) -> None:
        """Start any replica that is not running, wait for all, then check each answers on its own port."""
        for replica in self.replicas:
            replica.wait_ready() if replica.running else replica.start()
        for index, replica in enumerate(self.replicas):
            if not self.replica_api(index, "GET", "/status").ok:
                raise RuntimeError(f"{replica.name} is not answering:\n{replica.log_tail()}")

    def report(self) -> List[str]:
        """Each part's state and the end of the replicas' and nginx's logs: what to read when a test failed."""
        parts = [getattr(self, name, None) for name in ("redis", "actions", "widget", "console", "notifier", "nginx")]
        lines = [f"{part.name}: {part.state}" for part in [*self.replicas, *parts] if part is not None]
        for part in self.replicas:
            lines += [f"--- {part.name}.log (end)", *part.log_tail().splitlines()]
        error_log = self.nginx_prefix / "error.log"
        if error_log.exists():
            lines += ["--- nginx error.log (end)", *error_log.read_text().splitlines()[-20:]]
        return lines

    @property
    def access_log(self) -> Path:
        """The nginx access log: time, method, path, status, the replica that answered, time."""
        return self.nginx_prefix / "access.log"

    def requests_logged(self) -> List[Dict[str, str]]:
        """The requests in nginx's access log: for each, the client address, path, status and the replica(s) tried."""
        logged = []
        for line in self.access_log.read_text().splitlines():
            _time, client, _method, uri, status, rest = line.split(" ", 5)
            upstream = rest.rsplit(" ", 1)[0]  # "a:1, b:2" when nginx tried two replicas
            logged.append({"client": client, "uri": uri, "status": status, "upstream": upstream})
        return logged

    def served_by(self, uri: str = "/webhooks/rest/webhook") -> Dict[str, int]:
        """How many requests to `uri` each replica (or pair of replicas tried) answered."""
        counts: Dict[str, int] = {}
        for request in self.requests_logged():
            if request["uri"] == uri:
                counts[request["upstream"]] = counts.get(request["upstream"], 0) + 1
        return counts

    def replica_api(self, index: int, method: str, path: str, **kwargs) -> requests.Response:
        """A call to one replica's HTTP API (never reachable through nginx), with the token."""
        params = {**kwargs.pop("params", {}), "token": self.api_token}
        return requests.request(method, f"http://127.0.0.1:{self.replica_ports[index]}{path}", params=params,
                                timeout=30, **kwargs)

    def stop(self) -> None:
        """Stop everything started, then remove PostgreSQL's files."""
        for name in ("nginx", "notifier", "console", "widget", "actions", "redis"):
            part = getattr(self, name, None)
            if part is not None:
                part.stop()
        for replica in self.replicas:
            replica.stop()
        for log in ("access.log", "error.log"):
            if (self.nginx_prefix / log).exists():
                shutil.copy(self.nginx_prefix / log, self.workdir / f"nginx-{log}")
        shutil.rmtree(self.nginx_prefix, ignore_errors=True)
        try:
            self.postgres.stop()
        except RuntimeError:
            shutil.rmtree(self.postgres.workdir, ignore_errors=True)


def running_stack(workdir: Path, replicas: int = 2):
    """A generator that yields the started stack and stops it when closed."""
    with WebhookReceiver() as webhook:
        stack = ProdStack(workdir, webhook, replicas=replicas)
        try:
            yield stack.start()
        finally:
            stack.stop()
