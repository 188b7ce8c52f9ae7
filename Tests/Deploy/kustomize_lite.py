"""A small Kustomize renderer: the subset of kustomize that deploy/ uses, so the manifests can be
rendered and checked where no kustomize binary is installed.

Supported kustomization fields: `resources` (files and folders with a kustomization), `namespace`,
`images` (name -> newName/newTag/digest), `replicas`, and `patches` (strategic-merge patches with or
without a `target`, JSON 6902 patches with a `target`; from `path` or inline `patch`). Anything else
raises `UnsupportedKustomization`, so a manifest change that needs more than this fails loudly instead
of rendering wrongly. When a real `kubectl` is on PATH, Tests/Deploy compares this renderer's output
with `kubectl kustomize`.

Strategic merge follows Kubernetes' rules for the core kinds used here (lists of containers, env,
volumes, ports... merge by their key) and JSON Merge Patch (RFC 7386) for custom resources, as
kustomize does.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any, Iterable

import yaml

KUSTOMIZATION_FILES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
SUPPORTED_FIELDS = {"apiVersion", "kind", "resources", "namespace", "images", "replicas", "patches"}

# Kinds whose lists merge by key in a strategic merge patch (built-in API groups).
BUILTIN_API_GROUPS = {"", "apps", "batch", "policy", "autoscaling", "networking.k8s.io", "rbac.authorization.k8s.io"}

# Strategic-merge keys of the lists that appear in Deployment/Service/... specs, by field name.
# (From the Kubernetes API's patchMergeKey annotations.)
MERGE_KEYS = {
    "containers": "name",
    "initContainers": "name",
    "ephemeralContainers": "name",
    "env": "name",
    "volumes": "name",
    "volumeMounts": "mountPath",
    "volumeDevices": "devicePath",
    "imagePullSecrets": "name",
    "hostAliases": "ip",
    "topologySpreadConstraints": "topologyKey",
    "tolerations": None,  # atomic (replaced)
}
# `ports` merges by containerPort in a container and by port in a Service.
PORT_MERGE_KEYS = {"container": "containerPort", "service": "port"}


class UnsupportedKustomization(Exception):
    """The kustomization uses a feature this renderer does not implement."""


def api_group(doc: dict) -> str:
    api_version = doc.get("apiVersion", "")
    return api_version.split("/")[0] if "/" in api_version else ""


def is_builtin(doc: dict) -> bool:
    return api_group(doc) in BUILTIN_API_GROUPS


def load_yaml_documents(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [doc for doc in yaml.safe_load_all(handle) if doc is not None]


def find_kustomization(folder: Path) -> Path:
    for name in KUSTOMIZATION_FILES:
        candidate = folder / name
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"no kustomization file in {folder}")


def render(folder: Path | str) -> list[dict]:
    """Renders the kustomization in `folder` to a list of resources, in kustomize's input order."""
    folder = Path(folder)
    kustomization_path = find_kustomization(folder)
    kustomization = load_yaml_documents(kustomization_path)[0]
    unknown = set(kustomization) - SUPPORTED_FIELDS
    if unknown:
        raise UnsupportedKustomization(f"{kustomization_path}: unsupported fields {sorted(unknown)}")

    resources: list[dict] = []
    for entry in kustomization.get("resources", []):
        path = (folder / entry).resolve()
        if path.is_dir():
            resources.extend(render(path))
        elif path.is_file():
            resources.extend(load_yaml_documents(path))
        else:
            raise FileNotFoundError(f"{kustomization_path}: resource {entry} not found")
    check_unique_ids(resources, kustomization_path)

    for patch_entry in kustomization.get("patches", []):
        apply_patch_entry(resources, patch_entry, folder, kustomization_path)
    for image in kustomization.get("images", []):
        apply_image(resources, image)
    for replica in kustomization.get("replicas", []):
        apply_replicas(resources, replica, kustomization_path)
    if "namespace" in kustomization:
        for doc in resources:
            if doc.get("kind") not in CLUSTER_SCOPED_KINDS:
                doc.setdefault("metadata", {})["namespace"] = kustomization["namespace"]
    return resources


CLUSTER_SCOPED_KINDS = {
    "Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "PersistentVolume",
    "StorageClass", "PriorityClass", "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration",
}


def resource_id(doc: dict) -> tuple[str, str, str]:
    return (api_group(doc), doc.get("kind", ""), doc.get("metadata", {}).get("name", ""))


def check_unique_ids(resources: Iterable[dict], where: Path) -> None:
    seen: set[tuple[str, str, str]] = set()
    for doc in resources:
        key = resource_id(doc)
        if key in seen:
            raise UnsupportedKustomization(f"{where}: resource {key} appears twice")
        seen.add(key)


# --- patches ----------------------------------------------------------------------------------------


def apply_patch_entry(resources: list[dict], entry: dict, folder: Path, where: Path) -> None:
    unknown = set(entry) - {"path", "patch", "target", "options"}
    if unknown or entry.get("options"):
        raise UnsupportedKustomization(f"{where}: unsupported patch fields {sorted(unknown | set(entry.get('options') or {}))}")
    if "path" in entry:
        text = (folder / entry["path"]).read_text(encoding="utf-8")
    elif "patch" in entry:
        text = entry["patch"]
    else:
        raise UnsupportedKustomization(f"{where}: a patch needs `path` or `patch`")
    documents = [doc for doc in yaml.safe_load_all(text) if doc is not None]
    target = entry.get("target")

    if len(documents) == 1 and isinstance(documents[0], list):
        # JSON 6902: a list of operations, applied to every target.
        if not target:
            raise UnsupportedKustomization(f"{where}: a JSON 6902 patch needs a target")
        matches = [doc for doc in resources if matches_target(doc, target)]
        if not matches:
            raise UnsupportedKustomization(f"{where}: patch target {target} matches no resource")
        for doc in matches:
            replacement = apply_json6902(doc, documents[0])
            doc.clear()
            doc.update(replacement)
        return

    for patch in documents:
        if not isinstance(patch, dict):
            raise UnsupportedKustomization(f"{where}: patch is neither a mapping nor a JSON 6902 list")
        if target:
            matches = [doc for doc in resources if matches_target(doc, target)]
        else:
            matches = [
                doc for doc in resources
                if doc.get("kind") == patch.get("kind")
                and doc.get("metadata", {}).get("name") == patch.get("metadata", {}).get("name")
                and api_group(doc) == api_group(patch)
            ]
        if not matches:
            raise UnsupportedKustomization(f"{where}: patch {target or resource_id(patch)} matches no resource")
        for doc in matches:
            body = copy.deepcopy(patch)
            if target:
                # With a target, the patch's own name and kind do not select anything.
                body.pop("apiVersion", None)
                body.pop("kind", None)
                body.get("metadata", {}).pop("name", None)
            merged = strategic_merge(doc, body, builtin=is_builtin(doc), path=())
            doc.clear()
            doc.update(merged)


def matches_target(doc: dict, target: dict) -> bool:
    unknown = set(target) - {"group", "version", "kind", "name", "namespace", "labelSelector"}
    if unknown:
        raise UnsupportedKustomization(f"unsupported target fields {sorted(unknown)}")
    api_version = doc.get("apiVersion", "")
    group, _, version = api_version.rpartition("/")
    if "group" in target and target["group"] != group:
        return False
    if "version" in target and target["version"] != version:
        return False
    if "kind" in target and target["kind"] != doc.get("kind"):
        return False
    metadata = doc.get("metadata", {})
    if "name" in target and not re.fullmatch(target["name"], metadata.get("name", "")):
        return False
    if "namespace" in target and target["namespace"] != metadata.get("namespace"):
        return False
    if "labelSelector" in target:
        labels = metadata.get("labels", {})
        for requirement in target["labelSelector"].split(","):
            requirement = requirement.strip()
            if "!=" in requirement:
                key, value = requirement.split("!=", 1)
                if labels.get(key.strip()) == value.strip():
                    return False
            elif "=" in requirement:
                key, value = requirement.split("=", 1)
                if labels.get(key.strip().rstrip("=")) != value.strip().lstrip("="):
                    return False
            elif labels.get(requirement) is None:
                return False
    return True


def strategic_merge(original: Any, patch: Any, builtin: bool, path: tuple[str, ...]) -> Any:
    """Merges `patch` into `original`. Maps merge recursively and `null` deletes a key. Lists of
    built-in kinds merge by their patch merge key; every other list is replaced."""
    if not isinstance(patch, dict) or not isinstance(original, dict):
        return copy.deepcopy(patch)
    if any(key.startswith("$") for key in patch):
        raise UnsupportedKustomization(f"strategic-merge directives are not supported (at {'/'.join(path)})")
    result = copy.deepcopy(original)
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        elif key in result and isinstance(result[key], dict) and isinstance(value, dict):
            result[key] = strategic_merge(result[key], value, builtin, path + (key,))
        elif key in result and isinstance(result[key], list) and isinstance(value, list) and builtin:
            merge_key = list_merge_key(key, path)
            result[key] = merge_lists(result[key], value, merge_key, builtin, path + (key,))
        else:
            result[key] = copy.deepcopy(value)
    return result


def list_merge_key(field: str, path: tuple[str, ...]) -> str | None:
    if field == "ports":
        # spec.ports of a Service; containers[].ports otherwise.
        return PORT_MERGE_KEYS["service"] if path == ("spec",) else PORT_MERGE_KEYS["container"]
    return MERGE_KEYS.get(field)


def merge_lists(original: list, patch: list, merge_key: str | None, builtin: bool, path: tuple[str, ...]) -> list:
    if merge_key is None or not all(isinstance(item, dict) and merge_key in item for item in original + patch):
        return copy.deepcopy(patch)
    result = copy.deepcopy(original)
    for item in patch:
        index = next((i for i, existing in enumerate(result) if existing[merge_key] == item[merge_key]), None)
        if index is None:
            result.append(copy.deepcopy(item))
        else:
            result[index] = strategic_merge(result[index], item, builtin, path)
    return result


def apply_json6902(doc: dict, operations: list) -> dict:
    result = copy.deepcopy(doc)
    for operation in operations:
        op = operation.get("op")
        tokens = parse_pointer(operation["path"])
        if op in ("add", "replace"):
            parent, last = walk(result, tokens)
            value = copy.deepcopy(operation["value"])
            if isinstance(parent, list):
                index = len(parent) if last == "-" else int(last)
                if op == "add":
                    parent.insert(index, value)
                else:
                    parent[index] = value
            else:
                if op == "replace" and last not in parent:
                    raise UnsupportedKustomization(f"replace of missing path {operation['path']}")
                parent[last] = value
        elif op == "remove":
            parent, last = walk(result, tokens)
            if isinstance(parent, list):
                del parent[int(last)]
            else:
                del parent[last]
        else:
            raise UnsupportedKustomization(f"JSON 6902 operation {op!r} is not supported")
    return result


def parse_pointer(pointer: str) -> list[str]:
    if not pointer.startswith("/"):
        raise UnsupportedKustomization(f"invalid JSON pointer {pointer!r}")
    return [token.replace("~1", "/").replace("~0", "~") for token in pointer[1:].split("/")]


def walk(doc: Any, tokens: list[str]) -> tuple[Any, str]:
    node = doc
    for token in tokens[:-1]:
        node = node[int(token)] if isinstance(node, list) else node[token]
    return node, tokens[-1]


# --- images and replicas ----------------------------------------------------------------------------


def pod_specs(doc: dict) -> list[dict]:
    spec = doc.get("spec", {})
    if doc.get("kind") == "Pod":
        return [spec]
    if doc.get("kind") == "CronJob":
        return [spec.get("jobTemplate", {}).get("spec", {}).get("template", {}).get("spec", {})]
    template = spec.get("template", {})
    return [template["spec"]] if isinstance(template, dict) and "spec" in template else []


def apply_image(resources: list[dict], image: dict) -> None:
    unknown = set(image) - {"name", "newName", "newTag", "digest"}
    if unknown:
        raise UnsupportedKustomization(f"unsupported image fields {sorted(unknown)}")
    for doc in resources:
        for pod_spec in pod_specs(doc):
            for container in pod_spec.get("containers", []) + pod_spec.get("initContainers", []):
                name, tag, digest = split_image(container.get("image", ""))
                if name != image["name"]:
                    continue
                name = image.get("newName", name)
                if "digest" in image:
                    container["image"] = f"{name}@{image['digest']}"
                else:
                    tag = image.get("newTag", tag)
                    suffix = f"@{digest}" if digest and "newTag" not in image else ""
                    container["image"] = name + (f":{tag}" if tag else "") + suffix


def split_image(reference: str) -> tuple[str, str | None, str | None]:
    name, _, digest = reference.partition("@")
    slash = name.rfind("/")
    colon = name.rfind(":")
    tag = None
    if colon > slash:
        name, tag = name[:colon], name[colon + 1:]
    return name, tag, digest or None


def apply_replicas(resources: list[dict], replica: dict, where: Path) -> None:
    matched = False
    for doc in resources:
        if doc.get("metadata", {}).get("name") == replica["name"] and doc.get("kind") in (
            "Deployment", "StatefulSet", "ReplicaSet", "ReplicationController",
        ):
            doc.setdefault("spec", {})["replicas"] = replica["count"]
            matched = True
    if not matched:
        raise UnsupportedKustomization(f"{where}: replicas entry {replica['name']} matches no workload")
