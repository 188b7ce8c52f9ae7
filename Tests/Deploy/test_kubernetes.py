"""deploy/: the base and the production overlay, rendered (kustomize_lite), validated against the
Kubernetes API schemas (kubernetes-validate, offline), and checked against the contract."""

from __future__ import annotations

import re
from collections import Counter

import kubernetes_validate
import pytest

from project import REPO_ROOT, parse_quantity

# The Kubernetes version the manifests are validated for (strict: unknown fields are errors).
KUBERNETES_VERSION = "1.30"

# Built-in API groups that kubernetes-validate has schemas for; everything else is a custom resource.
CORE_GROUPS = {"", "apps", "policy", "autoscaling", "batch", "networking.k8s.io", "rbac.authorization.k8s.io"}

# Services that consume heavily and scale with load (user-service runs a fixed replica count).
AUTOSCALED = {"enrollment-service", "rules-worker", "progress-service", "report-service"}

# Secrets that the operator creates by hand (docs/deployment.md explains how).
OPERATOR_SECRETS = {"lms-jwt"}


def group_of(doc: dict) -> str:
    api_version = doc["apiVersion"]
    return api_version.split("/")[0] if "/" in api_version else ""


def by_kind(resources: list[dict], kind: str) -> dict[str, dict]:
    return {doc["metadata"]["name"]: doc for doc in resources if doc["kind"] == kind}


def container(deployment: dict) -> dict:
    containers = deployment["spec"]["template"]["spec"]["containers"]
    assert len(containers) == 1, f"{deployment['metadata']['name']}: one container expected"
    return containers[0]


def selects(selector: dict, labels: dict) -> bool:
    match_labels = selector.get("matchLabels", {})
    return bool(match_labels) and all(labels.get(key) == value for key, value in match_labels.items())


def env_names(resources: list[dict], deployment: dict) -> dict[str, dict]:
    """Every environment variable of the service container: {name: source}, envFrom expanded."""
    configmaps = by_kind(resources, "ConfigMap")
    names: dict[str, dict] = {}
    box = container(deployment)
    for source in box.get("envFrom", []):
        if "configMapRef" in source:
            ref = source["configMapRef"]["name"]
            assert ref in configmaps, f"envFrom names a ConfigMap {ref} that is not deployed"
            for key in configmaps[ref].get("data", {}):
                names[key] = {"configMap": ref}
        else:
            pytest.fail(f"unexpected envFrom source {source}")
    for item in box.get("env", []):
        names[item["name"]] = item
    return names


# --- rendering and schema validation ----------------------------------------------------------------


def test_render_has_every_kind(overlay):
    name, resources = overlay
    kinds = Counter(doc["kind"] for doc in resources)
    for kind in ("Deployment", "Service", "ConfigMap", "PodDisruptionBudget", "HorizontalPodAutoscaler",
                 "KafkaTopic", "Kafka", "KafkaNodePool", "Cluster"):
        assert kinds[kind] > 0, f"{name}: no {kind}"


def test_core_resources_validate_against_the_kubernetes_schema(overlay):
    name, resources = overlay
    validated, errors = 0, []
    for doc in resources:
        if group_of(doc) not in CORE_GROUPS:
            continue
        try:
            kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)
        except kubernetes_validate.ValidationError as error:
            errors.append(f"{doc['kind']}/{doc['metadata']['name']}: {error.message} at {'/'.join(map(str, error.path))}")
        validated += 1
    assert not errors, f"{name}: " + "; ".join(errors)
    assert validated >= 15


def test_schema_validation_catches_errors():
    # The validator must reject what Kubernetes would reject (offline, with the bundled schemas).
    broken = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "x"},
        "spec": {"selector": {"matchLabels": {"a": "b"}}, "template": {"spec": {"containers": [{"name": "x", "imagee": "y"}]}}},
    }
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, KUBERNETES_VERSION, strict=True)


def test_names_are_unique(overlay):
    name, resources = overlay
    ids = Counter((doc["apiVersion"], doc["kind"], doc["metadata"]["name"]) for doc in resources)
    assert [key for key, count in ids.items() if count > 1] == []


# --- the services -------------------------------------------------------------------------------------


def test_one_deployment_service_and_pdb_per_product(overlay, project):
    name, resources = overlay
    for kind in ("Deployment", "Service", "PodDisruptionBudget"):
        assert set(by_kind(resources, kind)) == set(project.services), f"{name}: {kind}s"


def test_deployment_runs_its_binary_on_its_port(overlay, project, service_name):
    _, resources = overlay
    deployment = by_kind(resources, "Deployment")[service_name]
    box = container(deployment)
    assert box["command"] == [f"/app/{service_name}"]
    ports = {port["name"]: port["containerPort"] for port in box["ports"]}
    assert ports == {"http": project.ports[service_name]}
    env = env_names(resources, deployment)
    assert env["LMS_HTTP_PORT"].get("value") == str(project.ports[service_name])


def test_deployment_environment_uses_contract_names(overlay, project, service_name):
    _, resources = overlay
    env = env_names(resources, by_kind(resources, "Deployment")[service_name])
    unknown = set(env) - project.configuration_names
    assert not unknown, f"{service_name}: variables not in CONTRACT.md: {sorted(unknown)}"
    for group in project.configuration_groups:
        assert any(name in env for name in group), f"{service_name}: none of {group} is set"


def test_secrets_come_from_cnpg_or_the_operator(overlay, service_name):
    _, resources = overlay
    env = env_names(resources, by_kind(resources, "Deployment")[service_name])
    clusters = by_kind(resources, "Cluster")
    docs = (REPO_ROOT / "docs" / "deployment.md").read_text(encoding="utf-8")
    for variable, item in env.items():
        ref = item.get("valueFrom", {}).get("secretKeyRef")
        if not ref:
            continue
        if ref["name"] in OPERATOR_SECRETS:
            assert f"create secret generic {ref['name']}" in docs, f"docs/deployment.md must tell how to create {ref['name']}"
        else:
            cluster = ref["name"].removesuffix("-app")
            assert ref["name"].endswith("-app") and cluster in clusters, f"{variable}: unknown Secret {ref['name']}"
            assert ref["key"] == "uri", "CloudNativePG's app Secret carries the connection URL in `uri`"
    assert env["LMS_DATABASE_URL"]["valueFrom"]["secretKeyRef"], "the database URL holds a password: Secret only"


def test_probes(overlay, service_name):
    _, resources = overlay
    box = container(by_kind(resources, "Deployment")[service_name])
    port_names = {port["name"] for port in box["ports"]} | {port["containerPort"] for port in box["ports"]}
    expected = {"readinessProbe": "/health/ready", "livenessProbe": "/health/live"}
    for probe, path in expected.items():
        assert box[probe]["httpGet"]["path"] == path, f"{service_name}: {probe}"
        assert box[probe]["httpGet"]["port"] in port_names
    if "startupProbe" in box:
        assert box["startupProbe"]["httpGet"]["path"] == "/health/live"


def test_resources(overlay, service_name):
    _, resources = overlay
    box = container(by_kind(resources, "Deployment")[service_name])
    requests, limits = box["resources"]["requests"], box["resources"]["limits"]
    for key in ("cpu", "memory"):
        assert parse_quantity(requests[key]) <= parse_quantity(limits[key]), f"{service_name}: {key} request > limit"
    # The services are built to stay under 100 MB RSS: leave headroom, but not unbounded.
    assert parse_quantity(requests["memory"]) >= 100 * 2**20
    assert parse_quantity(limits["memory"]) <= 1 * 2**30


def test_security_context(overlay, service_name):
    _, resources = overlay
    deployment = by_kind(resources, "Deployment")[service_name]
    pod = deployment["spec"]["template"]["spec"]
    box = container(deployment)
    pod_context, context = pod.get("securityContext", {}), box.get("securityContext", {})
    assert context.get("runAsNonRoot", pod_context.get("runAsNonRoot")) is True
    assert context.get("runAsUser", pod_context.get("runAsUser", 0)) != 0
    assert context["readOnlyRootFilesystem"] is True
    assert context["allowPrivilegeEscalation"] is False
    assert "ALL" in context["capabilities"]["drop"]
    assert not context["capabilities"].get("add")
    assert pod.get("automountServiceAccountToken") is False


def test_service_selects_its_pods(overlay, project, service_name):
    _, resources = overlay
    deployment = by_kind(resources, "Deployment")[service_name]
    service = by_kind(resources, "Service")[service_name]
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    assert selects({"matchLabels": service["spec"]["selector"]}, labels)
    assert selects(deployment["spec"]["selector"], labels)
    (port,) = service["spec"]["ports"]
    assert port["port"] == project.ports[service_name]
    assert port["targetPort"] in {item["name"] for item in container(deployment)["ports"]}
    # No other Deployment's pods are selected by this Service.
    for other_name, other in by_kind(resources, "Deployment").items():
        if other_name != service_name:
            assert not selects({"matchLabels": service["spec"]["selector"]}, other["spec"]["template"]["metadata"]["labels"])


def test_pdb_selects_its_pods(overlay, service_name):
    _, resources = overlay
    deployment = by_kind(resources, "Deployment")[service_name]
    pdb = by_kind(resources, "PodDisruptionBudget")[service_name]
    assert selects(pdb["spec"]["selector"], deployment["spec"]["template"]["metadata"]["labels"])
    assert "maxUnavailable" in pdb["spec"] or "minAvailable" in pdb["spec"]


def test_autoscalers(overlay, project):
    name, resources = overlay
    deployments = by_kind(resources, "Deployment")
    autoscalers = by_kind(resources, "HorizontalPodAutoscaler")
    targets = {hpa["spec"]["scaleTargetRef"]["name"] for hpa in autoscalers.values()}
    assert targets == AUTOSCALED, f"{name}: autoscaled deployments"
    partitions = min(topic["spec"]["partitions"] for topic in by_kind(resources, "KafkaTopic").values())
    for hpa in autoscalers.values():
        ref = hpa["spec"]["scaleTargetRef"]
        assert ref["kind"] == "Deployment" and ref["apiVersion"] == "apps/v1"
        assert ref["name"] in deployments, f"HPA {hpa['metadata']['name']} targets a missing Deployment"
        assert 1 <= hpa["spec"]["minReplicas"] <= hpa["spec"]["maxReplicas"] <= partitions, (
            f"{hpa['metadata']['name']}: more consumers than partitions would idle"
        )
        # An apply must not reset the replica count the autoscaler chose.
        assert "replicas" not in deployments[ref["name"]]["spec"], f"{ref['name']}: replicas is owned by the HPA"
    for deployment_name, deployment in deployments.items():
        if deployment_name not in targets:
            assert deployment["spec"].get("replicas", 1) >= 2, f"{deployment_name}: one replica is no HA"


def test_configmap_points_at_the_kafka_bootstrap_service(overlay):
    _, resources = overlay
    config = by_kind(resources, "ConfigMap")["lms-config"]["data"]
    (kafka,) = by_kind(resources, "Kafka").values()
    listeners = {item["name"]: item for item in kafka["spec"]["kafka"]["listeners"]}
    expected = {f"{kafka['metadata']['name']}-kafka-bootstrap:{item['port']}" for item in listeners.values()
                if item["type"] == "internal" and not item.get("tls")}
    assert config["LMS_KAFKA_BROKERS"] in expected
    assert config["LMS_LOG_FORMAT"] in ("json", "text")


# --- Kafka topics, Kafka cluster and PostgreSQL (custom resources: structural checks) -------------------


def test_kafka_topics_match_topic_swift(overlay, project):
    name, resources = overlay
    topics = by_kind(resources, "KafkaTopic")
    names = {doc["spec"].get("topicName", doc["metadata"]["name"]) for doc in topics.values()}
    assert names == project.topic_names, (
        f"{name}: missing {sorted(project.topic_names - names)}, unknown {sorted(names - project.topic_names)}"
    )
    clusters = by_kind(resources, "Kafka")
    pools = [pool for pool in by_kind(resources, "KafkaNodePool").values() if "broker" in pool["spec"]["roles"]]
    brokers = sum(pool["spec"]["replicas"] for pool in pools)
    for doc in topics.values():
        assert doc["apiVersion"] == "kafka.strimzi.io/v1beta2"
        topic = doc["spec"].get("topicName", doc["metadata"]["name"])
        assert doc["metadata"]["labels"]["strimzi.io/cluster"] in clusters
        assert doc["spec"]["partitions"] == project.partitions, f"{topic}: partitions differ from the dev broker"
        assert 1 <= doc["spec"]["replicas"] <= brokers
        config = doc["spec"]["config"]
        expected_policy = "compact" if topic in project.compacted_topics else "delete"
        assert config["cleanup.policy"] == expected_policy, topic
        assert int(config.get("min.insync.replicas", 1)) < doc["spec"]["replicas"] or doc["spec"]["replicas"] == 1
    dlq = next(doc for doc in topics.values() if doc["spec"].get("topicName") == "lms.dlq.v1")
    assert int(dlq["spec"]["config"]["retention.ms"]) >= 7 * 24 * 3600 * 1000, "the DLQ keeps messages for a week at least"


def test_kafka_cluster(overlay):
    _, resources = overlay
    (kafka,) = by_kind(resources, "Kafka").values()
    assert kafka["apiVersion"] == "kafka.strimzi.io/v1beta2"
    assert "zookeeper" not in kafka["spec"], "KRaft only"
    assert kafka["metadata"]["annotations"]["strimzi.io/node-pools"] == "enabled"
    assert kafka["spec"]["kafka"]["config"]["auto.create.topics.enable"] is False
    assert "topicOperator" in kafka["spec"]["entityOperator"], "KafkaTopic resources need the topic operator"
    pools = by_kind(resources, "KafkaNodePool")
    roles = {role for pool in pools.values() for role in pool["spec"]["roles"]}
    assert roles == {"controller", "broker"}
    for pool in pools.values():
        assert pool["metadata"]["labels"]["strimzi.io/cluster"] == kafka["metadata"]["name"]
        assert pool["spec"]["storage"]["volumes"][0]["size"]


def test_postgres_cluster(overlay):
    name, resources = overlay
    (cluster,) = by_kind(resources, "Cluster").values()
    assert cluster["apiVersion"] == "postgresql.cnpg.io/v1"
    spec = cluster["spec"]
    assert spec["instances"] >= 1
    assert parse_quantity(spec["storage"]["size"]) > 0
    assert spec["bootstrap"]["initdb"]["database"] and spec["bootstrap"]["initdb"]["owner"]
    assert re.search(r":15(\.|$)", spec["imageName"]), "PostgreSQL 15 like the development machines"


# --- production overlay -----------------------------------------------------------------------------------


def test_production_overlay(rendered):
    base, production = rendered["base"], rendered["production"]
    assert {doc["metadata"].get("namespace") for doc in production} == {"lms"}
    for deployment_name, deployment in by_kind(production, "Deployment").items():
        image = container(deployment)["image"]
        assert re.fullmatch(r".+/lms-enrollment:[\w.-]+", image) and not image.endswith(":latest"), image
        base_box = container(by_kind(base, "Deployment")[deployment_name])
        for key in ("cpu", "memory"):
            assert parse_quantity(container(deployment)["resources"]["limits"][key]) >= parse_quantity(
                base_box["resources"]["limits"][key]
            )
        assert deployment["spec"]["template"]["spec"].get("topologySpreadConstraints")
    for hpa in by_kind(production, "HorizontalPodAutoscaler").values():
        assert hpa["spec"]["minReplicas"] >= 3
    assert by_kind(production, "Deployment")["user-service"]["spec"]["replicas"] >= 3
    (cluster,) = by_kind(production, "Cluster").values()
    assert cluster["spec"]["instances"] >= 3, "an HA PostgreSQL in production"
    assert int(cluster["spec"]["postgresql"]["parameters"]["max_connections"]) >= 21 * 12, (
        "room for the connection pools of 12 replicas"
    )
