"""The readers of the sources of truth: if they silently read nothing, every other check would pass
vacuously, so they are checked against the real files and against small samples."""

from __future__ import annotations

import pytest

from project import (
    parse_configuration_variables,
    parse_dev_broker_partitions,
    parse_service_ports,
    parse_service_products,
    parse_topics,
    parse_quantity,
)


def test_topic_swift_is_read(project):
    names = [topic.name for topic in project.topics]
    assert len(names) == len(set(names)), "duplicate topic names in Topic.swift"
    # The enum documents every topic of the contract plus the two additions; none may be lost.
    assert len(names) >= 11
    assert "lms.dlq.v1" in names and "lms.segment-memberships.v1" in names
    assert project.compacted_topics, "isCompacted names no topic"
    assert project.compacted_topics < project.topic_names


def test_topic_parser_follows_is_compacted():
    source = '''
    public enum Topic: String {
        case alpha = "a.v1"
        case beta = "b.v1"
        case gamma = "c.v1"

        public var isCompacted: Bool {
            switch self {
            case .beta: true
            default: false
            }
        }
    }
    '''
    topics = parse_topics(source)
    assert [(t.name, t.compacted) for t in topics] == [("a.v1", False), ("b.v1", True), ("c.v1", False)]


def test_topic_parser_rejects_unknown_compacted_case():
    source = '''
    enum Topic {
        case alpha = "a.v1"
        var isCompacted: Bool {
            switch self {
            case .omega: true
            default: false
            }
        }
    }
    '''
    with pytest.raises(ValueError):
        parse_topics(source)


def test_package_products_and_partitions_are_read(project):
    assert len(project.services) == 5
    assert len(set(project.services)) == 5
    assert project.partitions > 0
    source = 'let services = [\n    ServiceTargets(product: "a-b", module: "AB", extra: [crypto]),\n    ServiceTargets(product: "c", module: "C"),\n]'
    assert parse_service_products(source) == ["a-b", "c"]
    with pytest.raises(ValueError):
        parse_dev_broker_partitions("var brokers = 3")


def test_contract_configuration_and_ports_are_read(project):
    groups = project.configuration_groups
    assert all(name.startswith("LMS_") for group in groups for name in group)
    # At least the database, Kafka, HTTP port and logging settings, and one alternative group (JWT).
    assert len(groups) >= 5
    assert any(len(group) > 1 for group in groups)
    assert set(project.ports) == set(project.services), "the contract's port table and Package.swift disagree"
    assert len(set(project.ports.values())) == len(project.ports), "two services share a port"


def test_configuration_parser_groups_alternatives():
    contract = """
## Configuration (environment)

`LMS_A` (x://...), `LMS_B` (list), `LMS_C` or `LMS_D`,
`LMS_E`. Each service owns one schema.

Another paragraph mentions `LMS_NOT_THIS`, which is no setting.

## Next
"""
    assert parse_configuration_variables(contract) == [["LMS_A"], ["LMS_B"], ["LMS_C", "LMS_D"], ["LMS_E"]]


def test_port_parser_reads_table_rows():
    contract = """
## HTTP

| service | default port | endpoints |
|---|---|---|
| alpha-service | 9001 | `GET /x` |
| beta | 9002 | |

## Roles
"""
    assert parse_service_ports(contract) == {"alpha-service": 9001, "beta": 9002}


@pytest.mark.parametrize(
    ("text", "value"),
    [("128Mi", 128 * 2**20), ("1Gi", 2**30), ("250m", 0.25), ("2", 2.0), ("1", 1.0), (3, 3.0)],
)
def test_quantities(text, value):
    assert parse_quantity(text) == pytest.approx(value)
