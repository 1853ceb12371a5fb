"""The compose file: valid against the Compose Specification, and what a deployer relies on."""

import copy
import json
import shutil
import subprocess
from pathlib import Path

import jsonschema
import pytest

from tests.deploy.deployment import (COMPOSE_FILE, ENV_EXAMPLES, HEALTH_PATHS, NEEDS, NGINX_TEMPLATE, SECRET_NAME,
                                     compose, compose_part, env_file_keys, template_variables)

SCHEMA = json.loads((Path(__file__).parent / "schemas" / "compose-spec.json").read_text())


def schema_errors(document: dict) -> list:
    return [f"{e.json_path}: {e.message}" for e in jsonschema.Draft7Validator(SCHEMA).iter_errors(document)]


def test_compose_file_follows_the_compose_specification():
    assert schema_errors(compose()) == []


def test_the_schema_check_catches_a_mistyped_compose_file():
    broken = copy.deepcopy(compose())
    broken["services"]["rasa-1"]["restart_policy"] = "always"
    broken["services"]["nginx"]["ports"] = "80:80"
    assert len(schema_errors(broken)) == 2


@pytest.mark.skipif(not shutil.which("docker"), reason="no docker client here")
def test_docker_compose_accepts_the_file(tmp_path):
    if subprocess.run(["docker", "compose", "version"], capture_output=True).returncode != 0:
        pytest.skip("the docker client here has no compose plugin")
    env_file = tmp_path / "clinic.env"
    env_file.write_text("".join(f"{key}=example-{key.lower()}\n" for key in env_file_keys(ENV_EXAMPLES["compose"])))
    result = subprocess.run(["docker", "compose", "--env-file", str(env_file), "-f", str(COMPOSE_FILE), "config",
                             "--quiet"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_only_nginx_publishes_ports():
    services = compose()["services"]
    assert {name for name, service in services.items() if service.get("ports")} == {"nginx"}
    # The console's listen is on the host's loopback only.
    assert [p for p in services["nginx"]["ports"] if ":8001" in p] == ["127.0.0.1:${CONSOLE_PORT:-8001}:8001"]


def test_two_rasa_replicas_share_postgres_and_redis_and_keep_the_http_api_behind_a_token():
    services = compose()["services"]
    replicas = [name for name in services if compose_part(name) == "rasa"]
    assert replicas == ["rasa-1", "rasa-2"]
    for name in replicas:
        env = services[name]["environment"]
        assert "@postgres:5432/" in env["TRACKER_STORE_URL"] and env["REDIS_HOST"] == "redis"
        assert env["RASA_API_TOKEN"].startswith("${RASA_API_TOKEN:?")
    upstreams = services["nginx"]["environment"]["RASA_UPSTREAM_SERVERS"]
    assert upstreams == "server rasa-1:5005; server rasa-2:5005;"


def test_nginx_uses_the_projects_template_with_every_variable_set():
    nginx = compose()["services"]["nginx"]
    mounts = [volume.split(":") for volume in nginx["volumes"]]
    assert [(COMPOSE_FILE.parent / source).resolve() for source, target, _ in mounts
            if target.startswith("/etc/nginx/templates/")] == [NGINX_TEMPLATE]
    assert template_variables(NGINX_TEMPLATE) <= set(nginx["environment"])


def test_every_service_gets_what_its_code_reads():
    for name, service in compose()["services"].items():
        part = compose_part(name)
        if part in NEEDS:
            assert NEEDS[part] <= set(service.get("environment", {})), name


def test_secrets_come_from_the_env_file_never_from_the_compose_file():
    for name, service in compose()["services"].items():
        for key, value in (service.get("environment") or {}).items():
            if SECRET_NAME.search(key) or "URL" in key and "@" in str(value):
                assert "${" in str(value), f"{name}: {key} holds a value"
    documented = set(env_file_keys(ENV_EXAMPLES["compose"]))
    assert template_variables(COMPOSE_FILE) <= documented


@pytest.mark.parametrize("part", sorted(HEALTH_PATHS))
def test_servers_have_a_health_check_on_their_health_path(part):
    services = {compose_part(name): service for name, service in compose()["services"].items()}
    check = services[part]["healthcheck"]["test"]
    assert check[:3] == ["CMD", "python", "scripts/check_health.py"]
    assert check[3].endswith(HEALTH_PATHS[part]) and check[3].startswith("http://127.0.0.1:")


def test_databases_have_health_checks_and_every_long_running_service_restarts():
    services = compose()["services"]
    assert "pg_isready" in services["postgres"]["healthcheck"]["test"][1]
    assert services["redis"]["healthcheck"]["test"] == ["CMD", "redis-cli", "ping"]
    assert {name for name, service in services.items() if service.get("restart") != "unless-stopped"} == set()
