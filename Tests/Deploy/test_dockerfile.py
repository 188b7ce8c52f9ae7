"""Dockerfile: structure checks (no Docker engine runs here, so the image is not built in CI)."""

from __future__ import annotations

import re

from project import REPO_ROOT


def test_two_stages_on_bookworm(dockerfile):
    assert len(dockerfile.stages) >= 2
    build, runtime = dockerfile.stages[0], dockerfile.final
    match = re.fullmatch(r"swift:(\d+)\.(\d+)(?:\.\d+)?-bookworm", build.base)
    assert match, f"build stage should use the official swift:6.x-bookworm image, not {build.base}"
    assert (int(match.group(1)), int(match.group(2))) >= (6, 1), "Package.swift needs Swift 6.1 or newer"
    assert runtime.base == "debian:bookworm-slim"


def test_build_stage_builds_every_service_product(dockerfile, project):
    build = dockerfile.stages[0]
    assert "librdkafka-dev" in build.apt_packages()
    products = build.arg_defaults().get("PRODUCTS", "").split()
    assert sorted(products) == sorted(project.services), "PRODUCTS differs from the services of Package.swift"
    script = build.run_text()
    assert re.search(r"swift build -c release\b.*--product \"?\$product", script), "no per-product release build"
    assert "--static-swift-stdlib" in script
    # SwiftPM resource bundles (JSON Schemas, OpenAPI documents) must sit next to the binaries.
    assert re.search(r"\*\.resources", script)


def test_runtime_stage(dockerfile):
    runtime = dockerfile.final
    packages = runtime.apt_packages()
    assert {"librdkafka1", "ca-certificates"} <= packages
    assert not any(package.endswith("-dev") for package in packages), "no -dev packages at run time"

    copies = " ".join(item.arguments for item in runtime.all("COPY"))
    assert f"--from={dockerfile.stages[0].name}" in copies

    users = runtime.all("USER")
    assert users, "the runtime image must not run as root"
    user = users[-1].arguments.split(":")[0]
    assert user not in ("root", "0")
    assert user.isdigit(), "a numeric USER lets Kubernetes verify runAsNonRoot"
    assert re.search(rf"--uid {user}\b", runtime.run_text()), f"no user with uid {user} is created"

    assert runtime.all("ENTRYPOINT") or runtime.all("CMD")
    arg_defaults = runtime.arg_defaults()
    assert "SERVICE" in arg_defaults, "the build argument SERVICE chooses the default service"


def test_entrypoint_starts_the_chosen_service(dockerfile, project):
    runtime = dockerfile.final
    entrypoint = runtime.all("ENTRYPOINT")[-1].arguments
    envs = " ".join(item.arguments for item in runtime.all("ENV"))
    assert re.search(r"LMS_SERVICE=\$\{SERVICE\}", envs)
    assert "exec" in entrypoint and "/app/${LMS_SERVICE}" in entrypoint
    assert runtime.arg_defaults()["SERVICE"] in project.services


def test_runtime_user_matches_kubernetes(dockerfile, rendered):
    user = int(dockerfile.final.all("USER")[-1].arguments.split(":")[0])
    for doc in rendered["base"]:
        if doc["kind"] == "Deployment":
            pod = doc["spec"]["template"]["spec"]
            assert pod["securityContext"]["runAsUser"] == user, doc["metadata"]["name"]


def test_dockerignore_exists():
    assert (REPO_ROOT / ".dockerignore").is_file()
