#!/usr/bin/env bash
# Installs the Debian packages ai-worker needs to build, run and test, when missing.
set -euo pipefail
# libopenblas-pthread-dev: the ml tier's BLAS, called single-threaded per call (see
# Sources/COpenBLAS/shim.h for why not the serial build); python3-pip only where no python3 with pip is there for
# scripts/install-model.sh.
packages=(pkg-config librdkafka-dev libhiredis-dev libcurl4-openssl-dev libopenblas-pthread-dev redis-server postgresql kcat tzdata)
missing=()
python3 -m pip --version >/dev/null 2>&1 || packages+=(python3-pip)
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing: ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
