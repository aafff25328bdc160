#!/usr/bin/env python3
"""Renders and validates a kustomize overlay of deploy/k8s offline (no kubectl, no cluster).

    k8s_overlay.py OVERLAY_DIR KUBERNETES_VERSION [...]

What deploy/k8s-postgres uses of kustomize is rendered here: `resources` (the base's own
resources, read from its kustomization.yaml), `patches` given by `path`, either JSON 6902
operations (add, replace, remove, test; a `-` index appends) applied to the resources their
`target` selects (kind, name, labelSelector with `=` and `!=`), or a resource with
`$patch: delete` (that resource removed). Each rendered object is then validated strictly
with kubernetes-validate against every version given, and what the postgres overlay
promises is checked: every Deployment has at least two replicas, rolling updates and
DATABASE_URL from a Secret; no Deployment mounts a claim that is not rendered.
"""
import os
import sys

import kubernetes_validate
import yaml


def load_all(path):
    with open(path) as f:
        return [doc for doc in yaml.safe_load_all(f) if doc]


def resources_of(directory):
    """The objects a kustomization directory renders (its resources, then its patches)."""
    kustomization = load_all(os.path.join(directory, "kustomization.yaml"))[0]
    objects = []
    for resource in kustomization.get("resources", []):
        path = os.path.normpath(os.path.join(directory, resource))
        objects += resources_of(path) if os.path.isdir(path) else load_all(path)
    for patch in kustomization.get("patches", []):
        content = load_all(os.path.join(directory, patch["path"]))[0]
        if isinstance(content, dict) and content.get("$patch") == "delete":
            before = len(objects)
            objects = [o for o in objects if not (o["kind"] == content["kind"] and o["metadata"]["name"] == content["metadata"]["name"])]
            if len(objects) == before:
                raise SystemExit(f"{patch['path']}: deletes {content['kind']}/{content['metadata']['name']}, which the base does not have")
            continue
        selected = [o for o in objects if selects(patch.get("target", {}), o)]
        if not selected:
            raise SystemExit(f"{patch['path']}: its target selects nothing")
        for obj in selected:
            for operation in content:
                apply(obj, operation, patch["path"])
    return objects


def selects(target, obj):
    if "kind" in target and obj["kind"] != target["kind"]:
        return False
    if "name" in target and obj["metadata"]["name"] != target["name"]:
        return False
    labels = obj["metadata"].get("labels", {})
    for term in filter(None, target.get("labelSelector", "").split(",")):
        if "!=" in term:
            key, value = term.split("!=")
            if labels.get(key) == value:
                return False
        else:
            key, value = term.split("=")
            if labels.get(key) != value:
                return False
    return True


def apply(obj, operation, source):
    """One JSON 6902 operation on obj."""
    parts = [p.replace("~1", "/").replace("~0", "~") for p in operation["path"].split("/")[1:]]
    parent = obj
    for part in parts[:-1]:
        parent = parent[int(part)] if isinstance(parent, list) else parent[part]
    last, op = parts[-1], operation["op"]
    where = f"{source}: {op} {operation['path']} on {obj['kind']}/{obj['metadata']['name']}"
    if isinstance(parent, list):
        if op == "add":
            parent.insert(len(parent) if last == "-" else int(last), operation["value"])
        elif op == "replace":
            parent[int(last)] = operation["value"]
        elif op == "remove":
            del parent[int(last)]
        elif op == "test" and parent[int(last)] != operation["value"]:
            raise SystemExit(f"{where}: test failed")
    else:
        if op in ("replace", "remove", "test") and last not in parent:
            raise SystemExit(f"{where}: no such field")
        if op in ("add", "replace"):
            parent[last] = operation["value"]
        elif op == "remove":
            del parent[last]
        elif op == "test" and parent[last] != operation["value"]:
            raise SystemExit(f"{where}: test failed")


def promises(objects):
    problems = []
    claims = {o["metadata"]["name"] for o in objects if o["kind"] == "PersistentVolumeClaim"}
    for o in objects:
        if o["kind"] != "Deployment":
            continue
        name, spec = o["metadata"]["name"], o["spec"]
        if spec.get("replicas", 1) < 2:
            problems.append(f"Deployment/{name}: {spec.get('replicas', 1)} replica(s)")
        if spec.get("strategy", {}).get("type") != "RollingUpdate":
            problems.append(f"Deployment/{name}: not RollingUpdate")
        env = {e["name"]: e for e in spec["template"]["spec"]["containers"][0].get("env", [])}
        if "secretKeyRef" not in env.get("DATABASE_URL", {}).get("valueFrom", {}):
            problems.append(f"Deployment/{name}: DATABASE_URL not from a Secret")
        for volume in spec["template"]["spec"].get("volumes", []):
            claim = volume.get("persistentVolumeClaim", {}).get("claimName")
            if claim and claim not in claims:
                problems.append(f"Deployment/{name}: mounts claim {claim}, which is not rendered")
    return problems


def main():
    overlay, versions = sys.argv[1], sys.argv[2:]
    objects = resources_of(overlay)
    examples = [os.path.join(overlay, f) for f in sorted(os.listdir(overlay)) if f.endswith(".example.yaml")]
    for path in examples:
        objects += load_all(path)
    failures = 0
    for version in versions:
        for obj in objects:
            try:
                kubernetes_validate.validate(obj, version, strict=True)
            except kubernetes_validate.ValidationError as error:
                failures += 1
                print(f"{overlay}: {obj['kind']}/{obj['metadata']['name']} (Kubernetes {version}): {error.message} at {list(error.path)}", file=sys.stderr)
        print(f"kubernetes-validate --strict, Kubernetes {version}: {overlay} rendered, {len(objects)} objects")
    problems = promises(objects)
    for problem in problems:
        print(f"{overlay}: {problem}", file=sys.stderr)
    sys.exit(1 if failures or problems else 0)


if __name__ == "__main__":
    main()
