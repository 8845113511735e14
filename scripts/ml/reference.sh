#!/usr/bin/env bash
# Rebuilds Fixtures/ml/reference.json, the ids and embeddings the Swift encoder is tested
# against: installs the model when missing, the pinned Python packages in .build/ml-venv,
# then runs scripts/ml/reference.py. Extra arguments go to reference.py.
set -euo pipefail
cd "$(dirname "$0")/../.."
scripts/install-model.sh
venv=.build/ml-venv
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install --quiet -r scripts/ml/requirements.txt
exec "$venv/bin/python" scripts/ml/reference.py "$@"
