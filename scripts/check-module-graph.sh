#!/usr/bin/env bash
# Checks the module graph against the house rules (README, Architecture), from
# `swift package describe --type json` and from the sources' `import` lines:
#   - Analysis depends on nothing but Events;
#   - a wrapper (Kafka, Cache, LLM) reaches neither Pipeline nor a kit nor an executable;
#   - BackendWorkerKit and backend-worker reach neither AIWorkerKit, Pipeline, LLM, Cache nor
#     their C libraries (so the backend links neither libcurl nor hiredis);
#   - no library depends on a kit (AIWorkerKit, BackendWorkerKit) or an executable;
#   - a C module (CRdKafka, CHiredis, CCurl) is declared and imported only by its wrapper;
#   - every module a source file imports is declared in Package.swift for its target.
# Prints each violation and exits 1; exits 0 with a one-line summary otherwise. The test
# command runs it. `scripts/check-module-graph.sh FILE` reads a saved description instead.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -gt 0 ]; then
  description="$(cat "$1")"
else
  description="$(swift package describe --type json)"
fi
python3 - "$description" <<'PYTHON'
import json, os, re, sys

package = json.loads(sys.argv[1])
targets = {t["name"]: t for t in package["targets"]}
root = package.get("path", os.getcwd())

WRAPPERS = {"CRdKafka": "Kafka", "CHiredis": "Cache", "CCurl": "LLM"}
KITS = {"AIWorkerKit", "BackendWorkerKit"}
TOOLCHAIN = {"Foundation", "FoundationEssentials", "Dispatch", "Synchronization", "Glibc", "Musl", "Darwin",
             "Testing", "XCTest", "_Concurrency", "PackageDescription"}
# Modules a product provides beyond the one named like it.
PRODUCT_MODULES = {"Hummingbird": {"Hummingbird", "HummingbirdCore", "HTTPTypes"}}

def direct(name):
    return set(targets[name].get("target_dependencies", []))

def closure(name):
    seen, stack = set(), [name]
    while stack:
        for dependency in direct(stack.pop()):
            if dependency in targets and dependency not in seen:
                seen.add(dependency)
                stack.append(dependency)
    return seen

def kind(name):
    return targets[name]["type"]

problems = []
def forbid(source, reached, forbidden, why):
    for bad in sorted(reached & forbidden):
        problems.append(f"{source} → {bad}: {why}")

forbid("Analysis", direct("Analysis"), set(targets) - {"Events"}, "Analysis may depend on Events only")
for wrapper in ("Kafka", "Cache", "LLM"):
    forbidden = {"Pipeline"} | KITS | {n for n in targets if kind(n) == "executable"}
    forbid(wrapper, closure(wrapper), forbidden, "a wrapper never reaches the pipeline, a kit or an executable")
backend_forbidden = {"AIWorkerKit", "Pipeline", "LLM", "Cache", "CCurl", "CHiredis"}
forbid("BackendWorkerKit", closure("BackendWorkerKit"), backend_forbidden, "backend-worker carries no ai-worker stack")
forbid("BackendWorker", closure("BackendWorker"), backend_forbidden, "backend-worker carries no ai-worker stack")
for name in targets:
    if kind(name) == "library" and name not in KITS:
        forbid(name, direct(name), KITS | {n for n in targets if kind(n) == "executable"}, "a library never depends on a kit or an executable")
    for module, wrapper in WRAPPERS.items():
        if module in direct(name) and name != wrapper:
            problems.append(f"{name} → {module}: only {wrapper} may use {module}")

import_line = re.compile(r"^\s*(?:@testable\s+|@_exported\s+|@preconcurrency\s+)*import\s+(?:(?:struct|class|enum|protocol|func|var|let|typealias)\s+)?([A-Za-z_][A-Za-z0-9_]*)", re.M)
for name, target in targets.items():
    if kind(name) == "system-target":
        continue
    declared = direct(name) | set(target.get("product_dependencies", [])) | TOOLCHAIN
    for product in target.get("product_dependencies", []):
        declared |= PRODUCT_MODULES.get(product, set())
    folder = os.path.join(root, target["path"])
    for source in target.get("sources", []):
        path = os.path.join(folder, source)
        with open(path, encoding="utf-8") as file:
            text = file.read()
        for module in import_line.findall(text):
            relative = os.path.relpath(path, root)
            if module in WRAPPERS and WRAPPERS[module] != name:
                problems.append(f"{relative}: imports {module}, which only {WRAPPERS[module]} may import")
            elif module not in declared:
                problems.append(f"{relative}: imports {module}, not declared for {name} in Package.swift")

if problems:
    print("check-module-graph: %d violation(s)" % len(problems))
    for problem in problems:
        print("  " + problem)
    sys.exit(1)
print(f"check-module-graph: {len(targets)} targets, no forbidden arrow, every import declared")
PYTHON
