#!/usr/bin/env bash
# Installs the Debian packages ai-worker needs to build, run and test, when missing.
set -euo pipefail
packages=(pkg-config librdkafka-dev libhiredis-dev libcurl4-openssl-dev redis-server postgresql kcat tzdata)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing: ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
