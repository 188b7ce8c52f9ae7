"""Fixtures of the deployment checks: the parsed sources of truth, docker-compose.yml, the
Dockerfile, and the rendered Kustomize overlays."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

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


def kustomize(path: Path) -> list[dict]:
    """The resources `kubectl kustomize` renders from the kustomization in `path` (the kubectl of
    the development and CI image, /usr/bin/kubectl)."""
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        pytest.fail("kubectl is not on PATH: the Kubernetes checks render deploy/ with `kubectl kustomize`")
    result = subprocess.run([kubectl, "kustomize", str(path)], capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        pytest.fail(f"kubectl kustomize {path} failed:\n{result.stderr}")
    return [document for document in yaml.safe_load_all(result.stdout) if document]


@pytest.fixture(scope="session")
def rendered() -> dict[str, list[dict]]:
    return {name: kustomize(path) for name, path in KUSTOMIZATIONS.items()}


@pytest.fixture(scope="session", params=sorted(KUSTOMIZATIONS))
def overlay(request, rendered) -> tuple[str, list[dict]]:
    """Each rendered kustomization in turn, as (name, resources)."""
    return request.param, rendered[request.param]


def pytest_generate_tests(metafunc):
    """Tests taking `service_name` run once per service product of Package.swift."""
    if "service_name" in metafunc.fixturenames:
        metafunc.parametrize("service_name", Project().services)
