#!/usr/bin/env bash
# Retrains the ml tier's intent head: installs the encoder when missing, builds
# intent-head-train (release) and runs it. Defaults: the training corpus
# Fixtures/analysis/train/*.jsonl, the dev split Fixtures/analysis/dev/*.jsonl (used only to
# tune the combination weights), output Fixtures/ml/intent-head.json. Deterministic: the same
# corpus and model give the same file on the same kind of machine. For a business's own
# labelled messages, pass --train FILE (JSON lines {"text", "intent"}) and --dev FILE, and
# --out for where the daemon's ML head should be read from.
set -euo pipefail
cd "$(dirname "$0")/../.."
scripts/install-model.sh
swift build -c release --product intent-head-train
exec "$(swift build -c release --show-bin-path)/intent-head-train" "$@"
