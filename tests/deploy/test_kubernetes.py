"""The Kubernetes manifests: valid against Kubernetes' own schemas, and what a deployer relies on."""

import copy
import shutil

import kubernetes_validate
import pytest

from tests.deploy.deployment import (ENDPOINTS, ENV_EXAMPLES, HEALTH_PATHS, KUBERNETES, NEEDS, NGINX_TEMPLATE,
                                     SECRET_NAME, env_file_keys, kubernetes_resources, pod_spec,
                                     template_variables, workloads)

# The newest Kubernetes whose schemas kubernetes-validate (pinned in requirements-dev.txt) bundles.
KUBERNETES_VERSION = "1.28.0"


@pytest.fixture(scope="module")
def resources():
    return kubernetes_resources()


def containers(resource: dict) -> list:
    return pod_spec(resource)["containers"]


def env_names(resource: dict) -> set:
    return {var["name"] for container in containers(resource) for var in container.get("env", [])}


def test_every_resource_is_valid_for_kubernetes_strictly(resources):
    for resource in resources:
        kubernetes_validate.validate(resource, KUBERNETES_VERSION, strict=True)


def test_the_schema_check_catches_a_misspelt_field(resources):
    rasa = copy.deepcopy(workloads(resources)["rasa"])
    rasa["spec"]["template"]["spec"]["containers"][0]["readinesProbe"] = rasa["spec"]["template"]["spec"][
        "containers"][0].pop("readinessProbe")
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(rasa, KUBERNETES_VERSION, strict=True)


@pytest.mark.skipif(not shutil.which("kubectl"), reason="no kubectl here to render the kustomization")
def test_the_kustomization_renders_everything_in_one_namespace(resources):
    kinds = {r["kind"] for r in resources}
    assert {"Namespace", "ConfigMap", "Deployment", "StatefulSet", "CronJob", "Service", "NetworkPolicy"} <= kinds
    assert {r["metadata"].get("namespace") for r in resources if r["kind"] != "Namespace"} == {"clinic"}


def test_only_nginx_is_reachable_from_outside_the_cluster(resources):
    exposed = [r for r in resources if r["kind"] == "Service" and r["spec"].get("type") in ("LoadBalancer", "NodePort")]
    assert [(r["metadata"]["name"], r["spec"]["selector"]) for r in exposed] == [
        ("nginx", {"app.kubernetes.io/name": "nginx"})]
    assert [p["port"] for p in exposed[0]["spec"]["ports"]] == [80]
    host_ports = [p for r in workloads(resources).values() for c in containers(r) for p in c.get("ports", [])
                  if "hostPort" in p]
    assert host_ports == [] and not any(pod_spec(r).get("hostNetwork") for r in workloads(resources).values())


def test_rasa_runs_two_replicas_with_probes_and_resources(resources):
    rasa = workloads(resources)["rasa"]
    assert rasa["kind"] == "Deployment" and rasa["spec"]["replicas"] == 2
    (container,) = containers(rasa)
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        assert container[probe]["httpGet"]["path"] == HEALTH_PATHS["rasa"]
    assert container["resources"]["requests"] and container["resources"]["limits"]["memory"]


@pytest.mark.parametrize("part", ["actions", "console", "widget"])
def test_servers_are_probed_on_their_health_path(resources, part):
    (container,) = containers(workloads(resources)[part])
    assert container["readinessProbe"]["httpGet"]["path"] == HEALTH_PATHS[part]
    assert container["livenessProbe"]["httpGet"]["path"] == HEALTH_PATHS[part]


def test_single_replica_parts_and_a_daily_purge(resources):
    by_name = workloads(resources)
    assert all(by_name[name]["spec"]["replicas"] == 1 for name in ("actions", "console", "widget", "notifier"))
    purge = by_name["purge"]
    assert purge["kind"] == "CronJob" and purge["spec"]["schedule"].endswith("* * *")
    assert containers(purge)[0]["args"] == ["python", "-m", "console", "purge"]
    assert all(c.get("resources", {}).get("limits") for r in by_name.values() for c in containers(r))


def test_every_part_gets_what_its_code_reads(resources):
    by_name = workloads(resources)
    for part, needed in NEEDS.items():
        assert needed <= env_names(by_name[part]), part


def test_secrets_come_only_from_the_secret_whose_keys_are_documented(resources):
    documented = set(env_file_keys(ENV_EXAMPLES["kubernetes"]))
    for resource in workloads(resources).values():
        for container in containers(resource):
            for var in container.get("env", []):
                if SECRET_NAME.search(var["name"]) and var["name"] != "CONSOLE_SECURE_COOKIES":
                    assert "value" not in var, f"{resource['metadata']['name']}: {var['name']} holds a value"
                reference = var.get("valueFrom", {}).get("secretKeyRef")
                if reference:
                    assert reference["name"] == "clinic-secrets" and reference["key"] in documented
    assert not [r for r in resources if r["kind"] == "Secret"]


def ingress_sources(resources, target: str) -> list:
    """The pod names allowed in to `target` by the NetworkPolicies that select it."""
    sources = []
    for policy in (r for r in resources if r["kind"] == "NetworkPolicy"):
        selector = policy["spec"]["podSelector"].get("matchLabels", {})
        if selector and selector.get("app.kubernetes.io/name") != target:
            continue
        for rule in policy["spec"].get("ingress", []):
            for peer in rule.get("from", [{"anywhere": True}]):
                labels = peer.get("podSelector", {})
                names = labels.get("matchLabels", {}).get("app.kubernetes.io/name")
                expressions = [e["values"] for e in labels.get("matchExpressions", [])]
                sources += [names] if names else expressions[0] if expressions else ["anywhere"]
    return sources


def test_network_policies_let_only_nginx_reach_rasa_and_only_rasa_reach_the_action_server(resources):
    default_deny = [r for r in resources if r["kind"] == "NetworkPolicy" and r["spec"]["podSelector"] == {}]
    assert default_deny and "ingress" not in default_deny[0]["spec"]
    assert ingress_sources(resources, "rasa") == ["nginx"]
    assert ingress_sources(resources, "actions") == ["rasa"]
    assert ingress_sources(resources, "redis") == ["rasa"]
    assert ingress_sources(resources, "console") == ["nginx"]
    assert ingress_sources(resources, "nginx") == ["anywhere"]
    assert "nginx" not in ingress_sources(resources, "postgres")


def test_nginx_and_rasa_use_the_projects_own_files():
    assert (KUBERNETES / "config" / "default.conf.template").read_bytes() == NGINX_TEMPLATE.read_bytes(), \
        "copy deploy/nginx/clinic.conf.template to deploy/kubernetes/config/default.conf.template"
    assert (KUBERNETES / "config" / "endpoints.scale.yml").read_bytes() == ENDPOINTS.read_bytes(), \
        "copy deploy/endpoints.scale.yml to deploy/kubernetes/config/endpoints.scale.yml"


def test_nginx_gets_every_variable_of_its_template(resources):
    (container,) = containers(workloads(resources)["nginx"])
    assert template_variables(NGINX_TEMPLATE) <= {var["name"] for var in container["env"]}
    mounts = {m["mountPath"] for m in container["volumeMounts"]}
    assert "/etc/nginx/templates" in mounts
