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
# command runs it with --self-test first: each forbidden arrow is added to the real graph in
# memory (a dependency or an import line) and must be reported, then the real graph must pass.
#   scripts/check-module-graph.sh [--self-test] [DESCRIPTION.json]
set -euo pipefail
cd "$(dirname "$0")/.."
mode=check
if [ "${1:-}" = "--self-test" ]; then mode=self-test; shift; fi
if [ $# -gt 0 ]; then
  description="$(cat "$1")"
else
  description="$(swift package describe --type json)"
fi
python3 - "$mode" "$description" <<'PYTHON'
import copy, json, os, re, sys

mode, package = sys.argv[1], json.loads(sys.argv[2])
root = package.get("path", os.getcwd())

WRAPPERS = {"CRdKafka": "Kafka", "CHiredis": "Cache", "CCurl": "LLM"}
KITS = {"AIWorkerKit", "BackendWorkerKit"}
TOOLCHAIN = {"Foundation", "FoundationEssentials", "Dispatch", "Synchronization", "Glibc", "Musl", "Darwin",
             "Testing", "XCTest", "_Concurrency", "PackageDescription"}
IMPORT = re.compile(r"^\s*(?:@testable\s+|@_exported\s+|@preconcurrency\s+)*import\s+(?:(?:struct|class|enum|protocol|func|var|let|typealias)\s+)?([A-Za-z_][A-Za-z0-9_]*)", re.M)

def sources_of(target):
    folder = os.path.join(root, target["path"])
    for source in target.get("sources", []):
        path = os.path.join(folder, source)
        with open(path, encoding="utf-8") as file:
            yield os.path.relpath(path, root), file.read()

def check(package, extra_sources={}):
    """The violations of `package`; `extra_sources` maps a target to (name, text) pairs read as its sources too."""
    targets = {t["name"]: t for t in package["targets"]}
    direct = lambda name: set(targets[name].get("target_dependencies", []))
    kind = lambda name: targets[name]["type"]
    executables = {n for n in targets if kind(n) == "executable"}

    def closure(name):
        seen, stack = set(), [name]
        while stack:
            for dependency in direct(stack.pop()):
                if dependency in targets and dependency not in seen:
                    seen.add(dependency)
                    stack.append(dependency)
        return seen

    problems = []
    def forbid(source, reached, forbidden, why, arrow="→"):
        problems.extend(f"{source} {arrow} {bad}: {why}" for bad in sorted(reached & forbidden))

    forbid("Analysis", direct("Analysis"), set(targets) - {"Events"}, "Analysis may depend on Events only")
    for wrapper in ("Kafka", "Cache", "LLM"):
        forbid(wrapper, closure(wrapper), {"Pipeline"} | KITS | executables, "a wrapper never reaches the pipeline, a kit or an executable", "reaches")
    backend_forbidden = {"AIWorkerKit", "Pipeline", "LLM", "Cache", "CCurl", "CHiredis"}
    for backend in ("BackendWorkerKit", "BackendWorker"):
        forbid(backend, closure(backend), backend_forbidden, "backend-worker carries no ai-worker stack", "reaches")
    for name in targets:
        if kind(name) == "library" and name not in KITS:
            forbid(name, direct(name), KITS | executables, "a library never depends on a kit or an executable")
        for module, wrapper in WRAPPERS.items():
            if module in direct(name) and name != wrapper:
                problems.append(f"{name} → {module}: only {wrapper} may use {module}")

    for name, target in targets.items():
        if kind(name) == "system-target":
            continue
        declared = direct(name) | set(target.get("product_dependencies", [])) | TOOLCHAIN
        for file, text in list(sources_of(target)) + extra_sources.get(name, []):
            for module in IMPORT.findall(text):
                if module in WRAPPERS and WRAPPERS[module] != name:
                    problems.append(f"{file}: imports {module}, which only {WRAPPERS[module]} may import")
                elif module not in declared:
                    problems.append(f"{file}: imports {module}, not declared for {name} in Package.swift")
    return problems

def with_dependency(package, source, dependency):
    changed = copy.deepcopy(package)
    for target in changed["targets"]:
        if target["name"] == source:
            target.setdefault("target_dependencies", []).append(dependency)
    return changed

if mode == "self-test":
    arrows = [("Analysis", "Kafka"), ("Kafka", "Pipeline"), ("Cache", "AIWorkerKit"), ("LLM", "BackendWorkerKit"),
              ("BackendWorkerKit", "Pipeline"), ("BackendWorkerKit", "AIWorkerKit"), ("Persistence", "CCurl"),
              ("Observability", "BackendWorkerKit")]
    imports = [("AIWorkerKit", "import CHiredis"), ("BackendWorkerKit", "import Pipeline"), ("WorkerSupport", "@testable import CRdKafka")]
    missed = [f"{a} → {b}" for a, b in arrows if not check(with_dependency(package, a, b))]
    missed += [f"{t}: {line}" for t, line in imports if not check(package, {t: [(f"<self-test {t}>", line)]})]
    if missed:
        print("check-module-graph --self-test: not reported: " + "; ".join(missed))
        sys.exit(1)
    print(f"check-module-graph --self-test: all {len(arrows) + len(imports)} deliberate bad arrows reported")

problems = check(package)
if problems:
    print("check-module-graph: %d violation(s)" % len(problems))
    for problem in problems:
        print("  " + problem)
    sys.exit(1)
print(f"check-module-graph: {len(package['targets'])} targets, no forbidden arrow, every import declared")
PYTHON
