"""kustomize_lite, the renderer the Kubernetes checks rely on: unit checks on small kustomizations,
and, where a real kustomize is at hand (`kubectl kustomize`), the same output for deploy/."""

from __future__ import annotations

import shutil
import subprocess
import textwrap

import pytest
import yaml

import kustomize_lite
from conftest import KUSTOMIZATIONS


def write(folder, files: dict[str, str]):
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))


DEPLOYMENT = """
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: app
      labels: {tier: web}
    spec:
      replicas: 1
      selector: {matchLabels: {app: app}}
      template:
        metadata: {labels: {app: app}}
        spec:
          containers:
            - name: app
              image: example
              env:
                - {name: A, value: "1"}
                - {name: B, value: "2"}
            - name: sidecar
              image: other:1
    """


def test_strategic_merge_merges_lists_by_key(tmp_path):
    write(tmp_path, {
        "base/kustomization.yaml": "resources: [deployment.yaml]\n",
        "base/deployment.yaml": DEPLOYMENT,
        "overlay/kustomization.yaml": """
            namespace: prod
            resources: [../base]
            images:
              - {name: example, newName: registry.test/example, newTag: "2.0"}
            replicas:
              - {name: app, count: 4}
            patches:
              - path: patch.yaml
            """,
        "overlay/patch.yaml": """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: app}
            spec:
              template:
                spec:
                  containers:
                    - name: app
                      env:
                        - {name: B, value: "changed"}
                        - {name: C, value: "3"}
            """,
    })
    (deployment,) = kustomize_lite.render(tmp_path / "overlay")
    assert deployment["metadata"]["namespace"] == "prod"
    assert deployment["spec"]["replicas"] == 4
    app, sidecar = deployment["spec"]["template"]["spec"]["containers"]
    assert app["image"] == "registry.test/example:2.0"
    assert sidecar["image"] == "other:1"
    assert app["env"] == [{"name": "A", "value": "1"}, {"name": "B", "value": "changed"}, {"name": "C", "value": "3"}]


def test_json6902_patch_with_target(tmp_path):
    write(tmp_path, {
        "kustomization.yaml": """
            resources: [deployment.yaml]
            patches:
              - target: {kind: Deployment, labelSelector: tier=web}
                patch: |
                  - op: replace
                    path: /spec/template/spec/containers/1/image
                    value: other:2
                  - op: add
                    path: /spec/template/spec/hostNetwork
                    value: false
            """,
        "deployment.yaml": DEPLOYMENT,
    })
    (deployment,) = kustomize_lite.render(tmp_path)
    assert deployment["spec"]["template"]["spec"]["containers"][1]["image"] == "other:2"
    assert deployment["spec"]["template"]["spec"]["hostNetwork"] is False


def test_custom_resources_merge_as_json_merge_patch(tmp_path):
    write(tmp_path, {
        "kustomization.yaml": "resources: [cr.yaml]\npatches:\n  - path: patch.yaml\n",
        "cr.yaml": """
            apiVersion: example.io/v1
            kind: Thing
            metadata: {name: t}
            spec: {items: [{name: a, size: 1}, {name: b, size: 1}], keep: true, drop: 1}
            """,
        "patch.yaml": """
            apiVersion: example.io/v1
            kind: Thing
            metadata: {name: t}
            spec: {items: [{name: a, size: 2}], drop: null}
            """,
    })
    (thing,) = kustomize_lite.render(tmp_path)
    assert thing["spec"] == {"items": [{"name": "a", "size": 2}], "keep": True}


@pytest.mark.parametrize("kustomization", [
    "resources: [deployment.yaml]\ncommonLabels: {a: b}\n",
    "resources: [deployment.yaml]\npatches:\n  - path: missing-target.yaml\n",
])
def test_unsupported_or_unmatched_input_fails(tmp_path, kustomization):
    write(tmp_path, {
        "kustomization.yaml": kustomization,
        "deployment.yaml": DEPLOYMENT,
        "missing-target.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: nope}\nspec: {replicas: 2}\n",
    })
    with pytest.raises(kustomize_lite.UnsupportedKustomization):
        kustomize_lite.render(tmp_path)


def real_kustomize():
    kubectl = shutil.which("kubectl")
    if not kubectl:
        return None
    try:
        subprocess.run([kubectl, "kustomize", "--help"], capture_output=True, check=True, timeout=60)
    except (subprocess.SubprocessError, OSError):
        return None
    return kubectl


@pytest.mark.parametrize("name", sorted(KUSTOMIZATIONS))
def test_same_output_as_kubectl_kustomize(name, rendered):
    kubectl = real_kustomize()
    if kubectl is None:
        pytest.skip("no kubectl with kustomize on PATH (the renderer's unit checks above still ran)")
    output = subprocess.run([kubectl, "kustomize", str(KUSTOMIZATIONS[name])], capture_output=True, text=True,
                            check=True, timeout=120).stdout
    def key(doc):
        return (doc["apiVersion"], doc["kind"], doc["metadata"]["name"])
    theirs = {key(doc): doc for doc in yaml.safe_load_all(output) if doc}
    mine = {key(doc): doc for doc in rendered[name]}
    assert set(mine) == set(theirs)
    for resource in mine:
        assert mine[resource] == theirs[resource], resource
