"""A minimal Dockerfile reader: instructions (continuation lines joined, comments dropped), build
stages, and ARG defaults, enough to check the image's structure without a Docker engine."""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field


@dataclass
class Instruction:
    keyword: str
    arguments: str
    line: int


@dataclass
class Stage:
    base: str  # the FROM image with build arguments substituted by their defaults
    name: str | None
    instructions: list[Instruction] = field(default_factory=list)

    def all(self, keyword: str) -> list[Instruction]:
        return [item for item in self.instructions if item.keyword == keyword]

    def run_text(self) -> str:
        return "\n".join(item.arguments for item in self.all("RUN"))

    def arg_defaults(self) -> dict[str, str]:
        return parse_args(self.all("ARG"))

    def apt_packages(self) -> set[str]:
        """Packages named by `apt-get install` in this stage's RUN instructions."""
        packages: set[str] = set()
        for item in self.all("RUN"):
            for command in re.split(r"&&|;|\|\|", item.arguments):
                words = command.split()
                if "apt-get" in words and "install" in words:
                    after = words[words.index("install") + 1:]
                    packages |= {word for word in after if not word.startswith("-")}
        return packages


@dataclass
class Dockerfile:
    global_args: dict[str, str]
    stages: list[Stage]

    @classmethod
    def parse(cls, text: str) -> "Dockerfile":
        instructions = list(logical_lines(text))
        global_args: dict[str, str] = {}
        stages: list[Stage] = []
        for item in instructions:
            if item.keyword == "FROM":
                words = item.arguments.split()
                words = [word for word in words if not word.startswith("--")]
                image = substitute(words[0], global_args)
                name = words[2] if len(words) >= 3 and words[1].lower() == "as" else None
                stages.append(Stage(base=image, name=name))
            elif not stages:
                if item.keyword == "ARG":
                    global_args.update(parse_args([item]))
            else:
                stages[-1].instructions.append(item)
        return cls(global_args=global_args, stages=stages)

    def stage(self, name: str) -> Stage:
        for stage in self.stages:
            if stage.name == name:
                return stage
        raise KeyError(f"no stage named {name}")

    @property
    def final(self) -> Stage:
        return self.stages[-1]


def logical_lines(text: str):
    """Instructions with backslash continuations joined; comment lines dropped (also inside a
    continued instruction, as Docker does)."""
    buffer: list[str] = []
    start = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if stripped.startswith("#") or (not stripped and not buffer):
            continue
        if not buffer:
            start = number
        if stripped.endswith("\\"):
            buffer.append(stripped[:-1])
            continue
        buffer.append(stripped)
        joined = " ".join(part.strip() for part in buffer if part.strip())
        buffer = []
        keyword, _, arguments = joined.partition(" ")
        yield Instruction(keyword=keyword.upper(), arguments=arguments.strip(), line=start)
    if buffer:
        raise ValueError(f"Dockerfile ends inside a continued instruction (line {start})")


def parse_args(items: list[Instruction]) -> dict[str, str]:
    values: dict[str, str] = {}
    for item in items:
        for token in shlex.split(item.arguments):
            name, _, default = token.partition("=")
            values[name] = default
    return values


def substitute(text: str, values: dict[str, str]) -> str:
    return re.sub(r"\$\{(\w+)\}|\$(\w+)", lambda m: values.get(m.group(1) or m.group(2), m.group(0)), text)
