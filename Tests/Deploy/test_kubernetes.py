"""deploy/: the base and the production overlay, rendered (`kubectl kustomize`), validated against the
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

# Secrets that the operator creates by hand (docs/deployment.md explains how): the JWT secret and
# each service's database credentials (`lms-db-<service>`, also the CloudNativePG role's password).
OPERATOR_SECRETS = {"lms-jwt"}


def database_secret(service_name: str) -> str:
    return f"lms-db-{service_name}"


def consumed_topics(project, service_name: str) -> set[str]:
    """The topics a service consumes, read from its sources (`runtime.consumer(..., topics: [.x])`)."""
    cases = {topic.case: topic.name for topic in project.topics}
    topics: set[str] = set()
    for source in (REPO_ROOT / "Services" / service_name / "Sources").rglob("*.swift"):
        for listed in re.findall(r"\.consumer\(\s*name:[^)]*?topics:\s*\[([^\]]*)\]", source.read_text(encoding="utf-8")):
            topics |= {cases[case] for case in re.findall(r"\.(\w+)", listed)}
    return topics


def volume_secret(deployment: dict, path: str) -> tuple[str, str]:
    """(Secret name, key) of the file at `path` in the service container."""
    box = container(deployment)
    volumes = {volume["name"]: volume for volume in deployment["spec"]["template"]["spec"]["volumes"]}
    for mount in box.get("volumeMounts", []):
        if path.startswith(mount["mountPath"].rstrip("/") + "/"):
            secret = volumes[mount["name"]]["secret"]
            relative = path[len(mount["mountPath"].rstrip("/")) + 1:]
            key = next((item["key"] for item in secret.get("items", []) if item["path"] == relative), relative)
            return secret["secretName"], key
    raise AssertionError(f"nothing is mounted at {path}")


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
        elif ref["name"] == database_secret(service_name):
            assert 'create secret generic "lms-db-$1"' in docs and f"new_db_secret {service_name} {service_name.replace('-', '_')}" in docs, (
                f"docs/deployment.md must tell how to create {ref['name']}"
            )
        else:
            cluster = ref["name"].removesuffix("-app")
            assert ref["name"].endswith("-app") and cluster in clusters, f"{variable}: unknown Secret {ref['name']}"
            assert ref["key"] == "uri", "CloudNativePG's app Secret carries the connection URL in `uri`"
    assert env["LMS_DATABASE_URL"]["valueFrom"]["secretKeyRef"], "the database URL holds a password: Secret only"
    assert env["LMS_DATABASE_URL"]["valueFrom"]["secretKeyRef"]["name"] == database_secret(service_name), (
        "each service has its own database role and Secret (L9)"
    )


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
    """M5: the services use the TLS listener with SCRAM-SHA-512 and verify the brokers against the
    cluster CA that Strimzi publishes."""
    _, resources = overlay
    config = by_kind(resources, "ConfigMap")["lms-config"]["data"]
    (kafka,) = by_kind(resources, "Kafka").values()
    listeners = {item["name"]: item for item in kafka["spec"]["kafka"]["listeners"]}
    expected = {f"{kafka['metadata']['name']}-kafka-bootstrap:{item['port']}" for item in listeners.values()
                if item["type"] == "internal" and item.get("tls") is True
                and item.get("authentication", {}).get("type") == "scram-sha-512"}
    assert config["LMS_KAFKA_BROKERS"] in expected
    assert not any(not item.get("tls") for item in listeners.values()), "no plaintext listener"
    assert config["LMS_KAFKA_SECURITY_PROTOCOL"] == "sasl_ssl"
    assert config["LMS_KAFKA_SASL_MECHANISM"] == "SCRAM-SHA-512"
    for deployment in by_kind(resources, "Deployment").values():
        assert volume_secret(deployment, config["LMS_KAFKA_SSL_CA_LOCATION"]) == (f"{kafka['metadata']['name']}-cluster-ca-cert", "ca.crt")
    assert config["LMS_LOG_FORMAT"] in ("json", "text")


def test_kafka_users_may_touch_only_their_topics(overlay, project, service_name):
    """M5: one SCRAM KafkaUser per service; Read on the topics its sources consume and on its own
    consumer groups, Write on its output topics and the DLQ, nothing else."""
    _, resources = overlay
    (kafka,) = by_kind(resources, "Kafka").values()
    assert kafka["spec"]["kafka"]["authorization"]["type"] == "simple"
    assert "userOperator" in kafka["spec"]["entityOperator"]
    user = by_kind(resources, "KafkaUser")[service_name]
    assert user["metadata"]["labels"]["strimzi.io/cluster"] == kafka["metadata"]["name"]
    assert user["spec"]["authentication"]["type"] == "scram-sha-512"
    read, write, groups = set(), set(), set()
    for acl in user["spec"]["authorization"]["acls"]:
        resource, operations = acl["resource"], set(acl["operations"])
        assert resource["name"] != "*", f"{service_name}: no wildcard ACLs"
        if resource["type"] == "group":
            assert resource["patternType"] == "prefix" and operations == {"Read"}
            groups.add(resource["name"])
        else:
            assert resource["type"] == "topic" and resource["patternType"] == "literal"
            assert resource["name"] in project.topic_names, f"{service_name}: ACL for an unknown topic {resource['name']}"
            assert operations in ({"Read", "Describe"}, {"Write", "Describe"}), f"{service_name}: {operations}"
            (read if "Read" in operations else write).add(resource["name"])
    assert read == consumed_topics(project, service_name), f"{service_name}: read ACLs differ from the topics it consumes"
    assert groups == {f"{service_name}."}, "the consumer groups are <service>.<consumer>"
    assert "lms.dlq.v1" in write, "every consumer dead-letters"
    assert not read & write or read & write <= {"lms.dlq.v1"}
    env = env_names(resources, by_kind(resources, "Deployment")[service_name])
    assert env["LMS_KAFKA_SASL_USERNAME"]["value"] == service_name
    deployment = by_kind(resources, "Deployment")[service_name]
    assert volume_secret(deployment, env["LMS_KAFKA_SASL_PASSWORD_FILE"]["value"]) == (service_name, "password")


def test_every_produced_topic_has_one_writer_and_its_readers(overlay, project):
    _, resources = overlay
    writers: dict[str, set[str]] = {}
    for name, user in by_kind(resources, "KafkaUser").items():
        for acl in user["spec"]["authorization"]["acls"]:
            if "Write" in acl["operations"]:
                writers.setdefault(acl["resource"]["name"], set()).add(name)
    for service_name in project.services:
        for topic in consumed_topics(project, service_name):
            if not topic.startswith("platform."):
                assert topic in writers, f"{service_name} consumes {topic}, which no service may write"
    for topic, names in writers.items():
        assert topic == "lms.dlq.v1" or topic == "lms.resync.v1" or len(names) == 1, f"{topic} has several writers: {names}"


def test_network_policies_deny_by_default(overlay, project):
    """L11: every service pod is selected by a policy that denies ingress and egress, and the
    allowances are DNS, Kafka's TLS listener and PostgreSQL out, the API port in."""
    _, resources = overlay
    policies = by_kind(resources, "NetworkPolicy")
    deployments = by_kind(resources, "Deployment")

    def selected(policy: dict, labels: dict) -> bool:
        selector = policy["spec"]["podSelector"]
        for expression in selector.get("matchExpressions", []):
            if expression["operator"] != "In" or labels.get(expression["key"]) not in expression["values"]:
                return False
        return all(labels.get(key) == value for key, value in selector.get("matchLabels", {}).items())

    for service_name in project.services:
        labels = deployments[service_name]["spec"]["template"]["metadata"]["labels"]
        mine = [policy for policy in policies.values() if selected(policy, labels)]
        assert any(
            set(policy["spec"]["policyTypes"]) == {"Ingress", "Egress"} and not policy["spec"].get("ingress") and not policy["spec"].get("egress")
            for policy in mine
        ), f"{service_name}: no default-deny policy"
        egress_ports = {port["port"] for policy in mine for rule in policy["spec"].get("egress", []) for port in rule.get("ports", [])}
        assert {53, 9093, 5432} <= egress_ports, f"{service_name}: egress allowances {egress_ports}"
        assert all(rule.get("ports") and rule.get("to") for policy in mine for rule in policy["spec"].get("egress", [])), "no open egress"
        ingress_ports = {port["port"] for policy in mine for rule in policy["spec"].get("ingress", []) for port in rule.get("ports", [])}
        assert ingress_ports == {"http"}, f"{service_name}: only the API port is reachable"
        assert all(rule.get("from") for policy in mine for rule in policy["spec"].get("ingress", [])), "no ingress from everywhere"


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
    # Rebuilds use the resync topics, not replays: event topics keep 7 days, resync topics 1 day.
    for doc in topics.values():
        topic, config = doc["spec"].get("topicName", doc["metadata"]["name"]), doc["spec"]["config"]
        if topic in ("lms.resync-requests.v1", "lms.resync.v1"):
            assert int(config["retention.ms"]) == 24 * 3600 * 1000, topic
        elif config["cleanup.policy"] == "delete" and topic != "lms.dlq.v1":
            assert int(config["retention.ms"]) == 7 * 24 * 3600 * 1000, topic


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


def test_postgres_roles_and_tls(overlay, project):
    """L9 and M5: CloudNativePG creates the services' roles and schemas with the same SQL as the
    local stack and compose, manages each role's password from the service's Secret, refuses
    unencrypted connections, and every service verifies the server against the cluster CA."""
    _, resources = overlay
    (cluster,) = by_kind(resources, "Cluster").values()
    spec = cluster["spec"]
    sql = (REPO_ROOT / "scripts/lib/service-roles.sql").read_text(encoding="utf-8")
    assert spec["bootstrap"]["initdb"]["postInitApplicationSQL"] == [sql], "keep it equal to scripts/lib/service-roles.sql"
    roles = {role["name"]: role for role in spec["managed"]["roles"]}
    assert set(roles) == {name.replace("-", "_") for name in project.services}
    for service_name in project.services:
        role = roles[service_name.replace("-", "_")]
        assert role["login"] is True and not role.get("superuser") and not role.get("createdb") and not role.get("createrole")
        assert role["passwordSecret"]["name"] == database_secret(service_name)
        deployment = by_kind(resources, "Deployment")[service_name]
        assert volume_secret(deployment, "/etc/lms/postgres-ca/ca.crt") == (f"{cluster['metadata']['name']}-ca", "ca.crt")
    assert any(line.split()[:1] == ["hostnossl"] and line.split()[-1] == "reject" for line in spec["postgresql"]["pg_hba"])
    docs = (REPO_ROOT / "docs" / "deployment.md").read_text(encoding="utf-8")
    assert "sslmode=verify-full" in docs and "sslrootcert=/etc/lms/postgres-ca/ca.crt" in docs


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
