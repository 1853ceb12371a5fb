"""The deployment files as data, and what each part of the project reads from its environment."""

import copy
import re
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
COMPOSE_FILE = DEPLOY / "compose" / "docker-compose.yml"
KUBERNETES = DEPLOY / "kubernetes"
SYSTEMD = DEPLOY / "systemd"
NGINX_TEMPLATE = DEPLOY / "nginx" / "clinic.conf.template"
ENDPOINTS = DEPLOY / "endpoints.scale.yml"
ENV_EXAMPLES = {
    "compose": DEPLOY / "compose" / "clinic.env.example",
    "kubernetes": KUBERNETES / "clinic.env.example",
    "systemd": SYSTEMD / "clinic.env.example",
}

# What each part reads from its environment (clinic/settings.py, console/settings.py,
# clinic/session_ids.py, deploy/endpoints.scale.yml, and RASA_API_TOKEN for `rasa run --auth-token`).
NOTIFY = {"NOTIFY_WEBHOOK_URL", "NOTIFY_WEBHOOK_TOKEN", "SMTP_USERNAME", "SMTP_PASSWORD"}
DATABASES = {"TRACKER_STORE_URL", "FOLLOWUP_DB_URL", "CONSOLE_DB_URL"}
NEEDS = {
    "rasa": {"CLINIC_CONFIG", "RASA_API_TOKEN", "SESSION_SIGNING_KEY", "ACTION_SERVER_URL", "ACTION_SERVER_TOKEN",
             "TRACKER_STORE_URL", "REDIS_HOST", "REDIS_PORT", "REDIS_PASSWORD"},
    "actions": {"CLINIC_CONFIG", "ACTION_SERVER_TOKEN", "FOLLOWUP_DB_URL"} | NOTIFY,
    "notifier": {"CLINIC_CONFIG", "FOLLOWUP_DB_URL"} | NOTIFY,
    "console": {"CLINIC_CONFIG", "CONSOLE_SECRET_KEY", "CONSOLE_SECURE_COOKIES"} | DATABASES,
    "purge": {"CLINIC_CONFIG"} | DATABASES,
    "widget": {"CLINIC_CONFIG"},
}
# Where the code reads its environment.
ENV_READERS = ["clinic/settings.py", "console/settings.py", "clinic/session_ids.py"]
# Health-check path of each server, as probes and health checks use it.
HEALTH_PATHS = {"rasa": "/", "actions": "/health", "console": "/login", "widget": "/"}
SECRET_NAME = re.compile(r"PASSWORD|TOKEN|SECRET|_KEY$")


def variables_read_by_code() -> set:
    """Every environment variable name the code and endpoints.scale.yml read."""
    names = set()
    for path in ENV_READERS:
        names |= set(re.findall(r"""env(?:iron)?(?:\.get\(|\[)["']([A-Z_]+)["']""", (ROOT / path).read_text()))
    return names | template_variables(ENDPOINTS)


def template_variables(path: Path) -> set:
    """The ${VAR} names in a file, outside its comments."""
    lines = [line for line in path.read_text().splitlines() if not line.lstrip().startswith("#")]
    return set(re.findall(r"\$\{([A-Z_]+)", "\n".join(lines)))


def compose() -> dict:
    """The compose file, parsed (YAML merge keys resolved, variables not interpolated)."""
    return yaml.safe_load(COMPOSE_FILE.read_text())


def compose_part(service: str) -> str:
    """The project part a compose service runs: rasa-1 and rasa-2 are both `rasa`."""
    return re.sub(r"-\d+$", "", service)


def kubernetes_resources() -> list:
    """Every resource `kubectl apply -k deploy/kubernetes` would send: rendered by kustomize when kubectl is
    here, else the plain files kustomization.yaml lists (without its generated ConfigMaps)."""
    return copy.deepcopy(_kubernetes_resources())


@lru_cache(maxsize=1)
def _kubernetes_resources() -> list:
    if shutil.which("kubectl"):
        rendered = subprocess.run(["kubectl", "kustomize", str(KUBERNETES)], capture_output=True, text=True,
                                  check=True, timeout=60).stdout
        return [doc for doc in yaml.safe_load_all(rendered) if doc]
    kustomization = yaml.safe_load((KUBERNETES / "kustomization.yaml").read_text())
    return [doc for name in kustomization["resources"]
            for doc in yaml.safe_load_all((KUBERNETES / name).read_text()) if doc]


def pod_spec(resource: dict) -> dict:
    """The pod template's spec of a Deployment, StatefulSet or CronJob."""
    if resource["kind"] == "CronJob":
        return resource["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    return resource["spec"]["template"]["spec"]


def workloads(resources: list) -> dict:
    """Deployments, StatefulSets and CronJobs by name."""
    return {r["metadata"]["name"]: r for r in resources if r["kind"] in ("Deployment", "StatefulSet", "CronJob")}


def env_file_keys(path: Path) -> dict:
    """KEY=value lines of an env file (comments and blank lines skipped)."""
    pairs = {}
    for line in path.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            pairs[key.strip()] = value.strip()
    return pairs


def unit_settings(path: Path) -> dict:
    """A systemd unit's Key=value settings, each key with the list of its values."""
    settings = {}
    for line in path.read_text().splitlines():
        if "=" in line and not line.startswith(("#", "[")):
            key, _, value = line.partition("=")
            settings.setdefault(key, []).append(value)
    return settings
