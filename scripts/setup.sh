#!/usr/bin/env bash
# Idempotent set-up for a fresh Debian machine with Node 20: the system packages Ferry
# drives (Chromium, redis-server, tesseract language data, CJK fonts) and node_modules.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(chromium redis-server tesseract-ocr-eng tesseract-ocr-chi-sim fonts-noto-cjk)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done

if [ ${#missing[@]} -gt 0 ]; then
  command="apt-get update && apt-get install -y ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    echo "ferry setup: missing system packages: ${missing[*]}" >&2
    echo "ferry setup: run as root: sudo sh -c '$command'" >&2
    exit 1
  fi
  echo "ferry setup: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

# npm ci when node_modules is missing or older than the lock file. The lock lists every
# platform's optional binaries, so `npm ci` installs exactly it and never rewrites a tracked file.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "ferry setup: installing node modules (npm ci)" >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
fi
