"""docker-compose.yml: structure checks (no Docker engine runs here, so it is never started in CI)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from urllib.parse import urlparse

import pytest

from project import REPO_ROOT

INFRASTRUCTURE = ("kafka", "kafka-init", "postgres")


def environment(service: dict) -> dict[str, str]:
    env = service.get("environment", {})
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {key: str(value) for key, value in env.items()}


def default_of(value: str) -> str:
    """`${VAR:-default}` -> default; any other value unchanged."""
    match = re.fullmatch(r"\$\{\w+:?-(.*)\}", value)
    return match.group(1) if match else value


def healthcheck_command(service: dict) -> list[str]:
    test = service.get("healthcheck", {}).get("test")
    assert test, "no healthcheck test"
    if isinstance(test, str):
        return ["CMD-SHELL", test]
    return list(test)


def init_script(compose: dict) -> str:
    init = compose["services"]["kafka-init"]
    command = init.get("command")
    return "\n".join(command) if isinstance(command, list) else str(command)


def created_topics(script: str) -> dict[str, str]:
    """`create TOPIC POLICY ...` lines of the kafka-init script -> {topic: cleanup policy}."""
    topics: dict[str, str] = {}
    for topic, policy in re.findall(r"^\s*create\s+(\S+)\s+(\S+)", script, re.M):
        assert topic not in topics, f"topic {topic} created twice"
        topics[topic] = policy
    return topics


def test_required_services_exist(compose, project):
    services = set(compose["services"])
    missing = (set(INFRASTRUCTURE) | set(project.services)) - services
    assert not missing, f"missing services: {sorted(missing)}"


def test_kafka_is_apache_kafka_in_kraft_mode(compose):
    kafka = compose["services"]["kafka"]
    assert kafka["image"].startswith("apache/kafka:")
    env = environment(kafka)
    assert set(env["KAFKA_PROCESS_ROLES"].split(",")) == {"broker", "controller"}
    assert not any("ZOOKEEPER" in key for key in env), "KRaft mode needs no ZooKeeper"
    assert env["KAFKA_CONTROLLER_QUORUM_VOTERS"].startswith(f"{env['KAFKA_NODE_ID']}@")
    assert re.fullmatch(r"[A-Za-z0-9_-]{22}", env["CLUSTER_ID"]), "CLUSTER_ID must be a base64url UUID (22 chars)"

    listeners = dict(item.split("://", 1) for item in env["KAFKA_LISTENERS"].split(","))
    advertised = dict(item.split("://", 1) for item in env["KAFKA_ADVERTISED_LISTENERS"].split(","))
    protocols = dict(item.split(":", 1) for item in env["KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"].split(","))
    assert set(listeners) <= set(protocols), "every listener needs a security protocol"
    assert set(advertised) <= set(listeners), "advertised listeners must be listeners"
    assert env["KAFKA_CONTROLLER_LISTENER_NAMES"] in listeners
    assert env["KAFKA_CONTROLLER_LISTENER_NAMES"] not in advertised

    # The services' bootstrap address is a listener advertised under the compose service name.
    brokers = {environment(compose["services"][name])["LMS_KAFKA_BROKERS"] for name in compose["services"]
               if "LMS_KAFKA_BROKERS" in environment(compose["services"][name])}
    assert brokers, "no service sets LMS_KAFKA_BROKERS"
    for bootstrap in brokers:
        for address in bootstrap.split(","):
            assert address in advertised.values(), f"{address} is not an advertised Kafka listener"
            assert address.split(":")[0] == "kafka"
    assert "healthcheck" in kafka
    # Topics are created by kafka-init only.
    assert env.get("KAFKA_AUTO_CREATE_TOPICS_ENABLE") == "false"


def test_kafka_init_creates_exactly_the_contract_topics(compose, project):
    topics = created_topics(init_script(compose))
    assert set(topics) == project.topic_names, (
        f"missing: {sorted(project.topic_names - set(topics))}, unknown: {sorted(set(topics) - project.topic_names)}"
    )
    compacted = {topic for topic, policy in topics.items() if policy == "compact"}
    assert compacted == project.compacted_topics
    assert set(topics.values()) <= {"compact", "delete"}


def test_kafka_init_uses_the_partition_count_and_policy(compose, project):
    script = init_script(compose)
    assert re.search(rf"^\s*partitions={project.partitions}\s*$", script, re.M), "partition count differs from the dev broker"
    # The create function passes partitions and the policy argument on to kafka-topics.sh.
    assert "kafka-topics.sh" in script and "--create" in script and "--if-not-exists" in script
    assert re.search(r"--partitions\s+\"?\$\$?\{?partitions", script)
    assert re.search(r"cleanup\.policy=\$\$?\{?policy", script)
    assert "set -euo pipefail" in script or "set -e" in script, "a failed topic creation must fail the job"

    init = compose["services"]["kafka-init"]
    assert init["image"] == compose["services"]["kafka"]["image"]
    assert init["depends_on"]["kafka"]["condition"] == "service_healthy"
    assert init.get("restart", "no") == "no"


def test_postgres(compose, project):
    postgres = compose["services"]["postgres"]
    assert postgres["image"] == "postgres:15"
    assert healthcheck_command(postgres)
    env = environment(postgres)
    for name in project.services:
        url = urlparse(environment(compose["services"][name])["LMS_DATABASE_URL"])
        assert url.scheme in ("postgres", "postgresql")
        assert url.hostname == "postgres"
        assert url.username == env["POSTGRES_USER"] and url.password == env["POSTGRES_PASSWORD"]
        assert url.path.lstrip("/") == env["POSTGRES_DB"]


def test_service_is_built_from_the_dockerfile(compose, service_name):
    service = compose["services"][service_name]
    build = service["build"]
    context = REPO_ROOT / build.get("context", ".")
    assert context.resolve() == REPO_ROOT
    assert (context / build.get("dockerfile", "Dockerfile")).resolve() == REPO_ROOT / "Dockerfile"
    assert build["args"]["SERVICE"] == service_name
    assert service.get("image", "").split(":")[0].endswith(service_name)


def test_service_environment_uses_contract_names(compose, project, service_name):
    env = environment(compose["services"][service_name])
    unknown = {key for key in env if key not in project.configuration_names}
    assert not unknown, f"{service_name}: variables not in CONTRACT.md: {sorted(unknown)}"
    for group in project.configuration_groups:
        assert any(name in env for name in group), f"{service_name}: none of {group} is set"
    if "LMS_JWT_SECRET" in env:
        assert len(default_of(env["LMS_JWT_SECRET"]).encode()) >= 32, "the HS256 secret needs 32 bytes"
    assert default_of(env["LMS_LOG_FORMAT"]) in ("json", "text")


def test_service_port_matches_contract(compose, project, service_name):
    service = compose["services"][service_name]
    port = project.ports[service_name]
    assert environment(service)["LMS_HTTP_PORT"] == str(port)
    published = {str(item) for item in service.get("ports", [])}
    assert f"{port}:{port}" in published, f"{service_name} should publish {port}:{port}"


def test_service_health_and_startup_order(compose, project, dockerfile, service_name):
    service = compose["services"][service_name]
    command = healthcheck_command(service)
    text = " ".join(command)
    assert f":{project.ports[service_name]}/health/ready" in text
    # The health check's tool must exist in the runtime image.
    tool = command[1] if command[0] == "CMD" else shlex.split(command[1])[0]
    if tool in ("curl", "wget"):
        assert tool in dockerfile.final.apt_packages(), f"{tool} is not installed in the runtime image"
    depends = service["depends_on"]
    assert depends["postgres"]["condition"] == "service_healthy"
    assert depends["kafka-init"]["condition"] == "service_completed_successfully"
    assert service["restart"] == "unless-stopped"


def test_no_two_services_publish_the_same_host_port(compose):
    seen: dict[str, str] = {}
    for name, service in compose["services"].items():
        for mapping in service.get("ports", []):
            host = str(mapping).rsplit(":", 1)[0]
            assert host not in seen, f"{name} and {seen.get(host)} both publish {host}"
            seen[host] = name


def test_dockerignore_keeps_local_state_out():
    entries = {line.strip().rstrip("/") for line in Path(REPO_ROOT / ".dockerignore").read_text().splitlines()
               if line.strip() and not line.startswith("#")}
    assert {".build", ".lms", ".git", "Package.resolved"} <= entries
