"""Facts the deployment files must agree with, read from their sources of truth rather than
repeated in the tests: the topics of Shared/Contracts/Topics/Topic.swift, the service products of
Package.swift, the development broker's partition count, and the configuration variables and
ports of the public contract (CONTRACT.md)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def contract_path() -> Path:
    """CONTRACT.md: $LMS_CONTRACT_FILE, else the repository's own docs/contract/CONTRACT.md (the
    authority for the public surface)."""
    override = os.environ.get("LMS_CONTRACT_FILE")
    if override:
        return Path(override)
    return REPO_ROOT / "docs" / "contract" / "CONTRACT.md"


@dataclass(frozen=True)
class Topic:
    case: str
    name: str
    compacted: bool


def parse_topics(swift_source: str) -> list[Topic]:
    """The cases of `enum Topic` with their raw values, and which of them `isCompacted` names."""
    enum = re.search(r"enum\s+Topic\b[^{]*\{(?P<body>.*)", swift_source, re.S)
    if not enum:
        raise ValueError("no `enum Topic` in the Swift source")
    body = enum.group("body")
    cases = re.findall(r'^\s*case\s+(\w+)\s*=\s*"([^"]+)"', body, re.M)
    if not cases:
        raise ValueError("`enum Topic` has no `case name = \"topic\"` lines")

    compacted_block = re.search(r"var\s+isCompacted\s*:\s*Bool\s*\{(?P<block>.*?)\n    \}", body, re.S)
    if not compacted_block:
        raise ValueError("no `var isCompacted: Bool` in `enum Topic`")
    compacted_cases: set[str] = set()
    for case_list, value in re.findall(r"case\s+([.\w\s,]+?)\s*:\s*(true|false)", compacted_block.group("block")):
        if value == "true":
            compacted_cases |= {name.strip().lstrip(".") for name in case_list.split(",")}
    known = {case for case, _ in cases}
    if not compacted_cases <= known:
        raise ValueError(f"isCompacted names unknown cases {sorted(compacted_cases - known)}")
    return [Topic(case=case, name=name, compacted=case in compacted_cases) for case, name in cases]


def parse_service_products(package_swift: str) -> list[str]:
    """The kebab-case products of the `services` list in Package.swift."""
    block = re.search(r"let\s+services\s*(?::[^=]*)?=\s*\[(?P<body>.*?)\n\]", package_swift, re.S)
    if not block:
        raise ValueError("no `let services = [...]` in Package.swift")
    products = re.findall(r'ServiceTargets\(\s*product:\s*"([a-z0-9-]+)"\s*,\s*module:\s*"\w+"', block.group("body"))
    if not products:
        raise ValueError("`let services` lists no ServiceTargets(product:module:)")
    return products


def parse_dev_broker_partitions(swift_source: str) -> int:
    match = re.search(r"var\s+partitions\s*:\s*Int32\s*=\s*(\d+)", swift_source)
    if not match:
        raise ValueError("no `var partitions: Int32 = N` in the development broker")
    return int(match.group(1))


def markdown_section(markdown: str, heading: str) -> str:
    """The text under the `## heading` (up to the next heading of level 1 or 2)."""
    match = re.search(rf"^##\s+{re.escape(heading)}.*?$(?P<body>.*?)(?=^#{{1,2}}\s|\Z)", markdown, re.M | re.S)
    if not match:
        raise ValueError(f"no section '## {heading}'")
    return match.group("body")


def parse_configuration_variables(contract: str) -> list[list[str]]:
    """The `LMS_*` variables of the contract's Configuration section, as groups: a group of several
    names (`A` or `B`) means one of them is enough."""
    section = markdown_section(contract, "Configuration")
    groups: list[list[str]] = []
    # Split the list at commas / sentence ends that are outside backticks, then group by " or ".
    text = " ".join(section.strip().split("\n\n")[0].split())
    for part in re.split(r",\s+(?=`)|\.\s", text):
        names = re.findall(r"`(LMS_[A-Z0-9_]+)`", part)
        if not names:
            continue
        if re.search(r"`LMS_[A-Z0-9_]+`(?:\s*\([^)]*\))?\s+or\s+`LMS_", part):
            groups.append(names)
        else:
            groups.extend([name] for name in names)
    if not groups:
        raise ValueError("the Configuration section names no LMS_* variable")
    return groups


def parse_service_ports(contract: str) -> dict[str, int]:
    """`| service | default port | ...` rows of the contract's HTTP table."""
    section = markdown_section(contract, "HTTP")
    ports: dict[str, int] = {}
    header_seen = False
    for line in section.splitlines():
        cells = [cell.strip().strip("`") for cell in line.strip().strip("|").split("|")]
        if len(cells) < 2:
            continue
        if cells[0] == "service" and "port" in cells[1]:
            header_seen = True
            continue
        if header_seen and re.fullmatch(r"[a-z][a-z0-9-]*", cells[0]) and cells[1].isdigit():
            ports[cells[0]] = int(cells[1])
    if not ports:
        raise ValueError("no `| service | default port |` table in the HTTP section")
    return ports


class Project:
    """The parsed sources of truth, read once per test session."""

    def __init__(self, root: Path = REPO_ROOT, contract: Path | None = None):
        self.root = root
        self.contract_file = contract or contract_path()

    def read(self, relative: str) -> str:
        return (self.root / relative).read_text(encoding="utf-8")

    @cached_property
    def topics(self) -> list[Topic]:
        return parse_topics(self.read("Shared/Contracts/Topics/Topic.swift"))

    @cached_property
    def topic_names(self) -> set[str]:
        return {topic.name for topic in self.topics}

    @cached_property
    def compacted_topics(self) -> set[str]:
        return {topic.name for topic in self.topics if topic.compacted}

    @cached_property
    def services(self) -> list[str]:
        return parse_service_products(self.read("Package.swift"))

    @cached_property
    def partitions(self) -> int:
        return parse_dev_broker_partitions(self.read("Tools/lms-dev-broker/DevBroker.swift"))

    @cached_property
    def contract(self) -> str:
        if not self.contract_file.is_file():
            raise FileNotFoundError(
                f"CONTRACT.md not found at {self.contract_file}: the deployment checks compare against it "
                "(set LMS_CONTRACT_FILE to its path)"
            )
        return self.contract_file.read_text(encoding="utf-8")

    @cached_property
    def configuration_groups(self) -> list[list[str]]:
        return parse_configuration_variables(self.contract)

    @cached_property
    def configuration_names(self) -> set[str]:
        """Every `LMS_*` variable of the Configuration section: the required groups of its first
        paragraph and the optional variables of the paragraphs after it."""
        optional = set(re.findall(r"`(LMS_[A-Z0-9_]+)`", markdown_section(self.contract, "Configuration")))
        return {name for group in self.configuration_groups for name in group} | optional | self.readme_configuration_names

    @cached_property
    def readme_configuration_names(self) -> set[str]:
        """The variables the README's Configuration table documents (the contract's and this
        implementation's own, such as the Kafka security settings)."""
        table = markdown_section(self.read("README.md"), "Configuration")
        return {name for line in table.splitlines() if line.startswith("| `") for name in re.findall(r"`(LMS_[A-Z0-9_]+)`", line.split("|")[1])}

    @cached_property
    def ports(self) -> dict[str, int]:
        return parse_service_ports(self.contract)


def parse_quantity(value: str | int | float) -> float:
    """A Kubernetes quantity (`128Mi`, `1Gi`, `250m`, `2`) as a number of base units."""
    text = str(value)
    suffixes = {
        "Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40,
        "k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12, "m": 1e-3,
    }
    for suffix, factor in suffixes.items():
        if text.endswith(suffix):
            return float(text[: -len(suffix)]) * factor
    return float(text)
