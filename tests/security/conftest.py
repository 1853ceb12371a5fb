"""The abuse suite's servers (real rate limits) and its table: entry point x attack -> outcome."""

import threading

import pytest
from werkzeug.serving import make_server

from harness.servers import MODEL, running_servers

OUTCOMES = []


def record(entry_point: str, attack: str, outcome: str) -> None:
    """Note one row of the table printed at the end of the run."""
    OUTCOMES.append((entry_point, attack, outcome))


def pytest_terminal_summary(terminalreporter):
    """Print the table of every attack tried."""
    if not OUTCOMES:
        return
    terminalreporter.section("abuse suite: entry point x attack -> outcome")
    width = max(len(e) for e, _, _ in OUTCOMES), max(len(a) for _, a, _ in OUTCOMES)
    for entry_point, attack, outcome in OUTCOMES:
        terminalreporter.write_line(f"{entry_point:<{width[0]}}  {attack:<{width[1]}}  {outcome}")


@pytest.fixture(scope="package")
def target(tmp_path_factory):
    """Action server, Rasa server and widget server with clinic.yml's real limits; and the console."""
    from console.app import create_app
    from console.settings import ConsoleSettings
    from console.users import UserStore

    if not MODEL.exists():
        pytest.fail("No trained model: run 'make train' first (make test does).")
    workdir = tmp_path_factory.mktemp("abuse")
    servers_gen = running_servers(workdir, widget=True, real_limits=True)
    servers = next(servers_gen)
    settings = ConsoleSettings(tracker_db_url=servers.tracker_db_url, followup_db_url=servers.followup_db_url,
                               console_db_url=f"sqlite:///{workdir / 'console.db'}", secret_key="abuse-test",
                               secure_cookies=False)
    UserStore(settings.console_db_url).create("anna", "correct horse battery staple")
    console = make_server("127.0.0.1", 0, create_app(settings), threaded=True)
    threading.Thread(target=console.serve_forever, daemon=True).start()
    servers.console_url = f"http://127.0.0.1:{console.server_port}"
    yield servers
    console.shutdown()
    servers_gen.close()
