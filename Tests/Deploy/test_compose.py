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
        assert url.path.lstrip("/") == env["POSTGRES_DB"]


def test_each_service_connects_as_its_own_role(compose, project):
    """L9: the init scripts create one role per service (scripts/lib/service-roles.sql) and give it
    a development-only password; no service uses the administrator."""
    postgres = compose["services"]["postgres"]
    mounts = {str(volume).split(":")[1]: str(volume).split(":")[0] for volume in postgres["volumes"] if ":" in str(volume)}
    init = {target: source for target, source in mounts.items() if target.startswith("/docker-entrypoint-initdb.d/")}
    assert "./scripts/lib/service-roles.sql" in init.values(), "the roles come from the same SQL as the local stack's"
    passwords_file = next(source for source in init.values() if source != "./scripts/lib/service-roles.sql")
    passwords = dict(re.findall(r"ALTER ROLE (\w+) PASSWORD '([^']+)'", (REPO_ROOT / passwords_file).read_text()))
    roles_sql = (REPO_ROOT / "scripts/lib/service-roles.sql").read_text()
    for name in project.services:
        role = name.replace("-", "_")
        assert f"('{role}', '" in roles_sql, f"service-roles.sql creates no role for {name}"
        url = urlparse(environment(compose["services"][name])["LMS_DATABASE_URL"])
        assert url.username == role, f"{name} connects as {url.username}, not as its own role"
        assert url.password == passwords[role] and "dev-only" in url.password
        assert url.username != environment(postgres)["POSTGRES_USER"]


def test_no_default_jwt_secret_and_infrastructure_on_loopback_only(compose, project):
    """L8: compose refuses to start without LMS_JWT_SECRET; PostgreSQL and Kafka are published on
    127.0.0.1 only."""
    for name in project.services:
        value = environment(compose["services"][name]).get("LMS_JWT_SECRET", "")
        assert re.fullmatch(r"\$\{LMS_JWT_SECRET:\?[^}]+\}", value), f"{name}: LMS_JWT_SECRET must be required, not defaulted"
    for name in ("postgres", "kafka"):
        for mapping in compose["services"][name].get("ports", []):
            assert str(mapping).startswith("127.0.0.1:"), f"{name} publishes {mapping} on every interface"


def test_resync_topics_are_short_lived_and_event_topics_keep_seven_days(compose):
    script = init_script(compose)
    lines = {match.group(1): match.group(0) for match in re.finditer(r"^\s*create\s+(\S+)\s+\S+.*$", script, re.M)}
    for topic in ("lms.resync-requests.v1", "lms.resync.v1"):
        assert "retention.ms=86400000" in lines[topic], f"{topic} keeps one day"
    for topic, line in lines.items():
        if topic.startswith("lms.reports.") or topic in ("lms.resync-requests.v1", "lms.resync.v1", "lms.dlq.v1"):
            continue
        assert " delete" in line and "retention.ms" not in line, f"{topic}: delete with the broker's 7 days"


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


@pytest.mark.parametrize("ignore_file", [".gitignore", ".dockerignore"])
def test_secrets_are_ignored(ignore_file):
    """L8: an .env file or key material never reaches the repository or an image."""
    entries = {line.strip() for line in Path(REPO_ROOT / ignore_file).read_text().splitlines()
               if line.strip() and not line.startswith("#")}
    assert {".env", "*.pem", "*.key"} <= entries, f"{ignore_file} must ignore .env, *.pem and *.key"
