"""Fixtures of the deployment checks: the parsed sources of truth, docker-compose.yml, the
Dockerfile, and the rendered Kustomize overlays."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

import kustomize_lite  # noqa: E402
from dockerfile import Dockerfile  # noqa: E402
from project import REPO_ROOT, Project  # noqa: E402

# The kustomizations that are rendered and checked: the base and every overlay.
KUSTOMIZATIONS = {
    "base": REPO_ROOT / "deploy" / "base",
    "production": REPO_ROOT / "deploy" / "overlays" / "production",
}


@pytest.fixture(scope="session")
def project() -> Project:
    return Project()


@pytest.fixture(scope="session")
def compose() -> dict:
    with (REPO_ROOT / "docker-compose.yml").open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@pytest.fixture(scope="session")
def dockerfile() -> Dockerfile:
    return Dockerfile.parse((REPO_ROOT / "Dockerfile").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def rendered() -> dict[str, list[dict]]:
    return {name: kustomize_lite.render(path) for name, path in KUSTOMIZATIONS.items()}


@pytest.fixture(scope="session", params=sorted(KUSTOMIZATIONS))
def overlay(request, rendered) -> tuple[str, list[dict]]:
    """Each rendered kustomization in turn, as (name, resources)."""
    return request.param, rendered[request.param]


def pytest_generate_tests(metafunc):
    """Tests taking `service_name` run once per service product of Package.swift."""
    if "service_name" in metafunc.fixturenames:
        metafunc.parametrize("service_name", Project().services)
