#!/usr/bin/env bash
# Installs Debian's headless-capable Chromium, used by stages/report's test
# that renders the HTML report and checks its charts in a real browser.
# Idempotent and quiet when already done.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "setup-chromium: run as root or install sudo" >&2; exit 1; }
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-liberation >/dev/null
command -v chromium >/dev/null || { echo "setup-chromium: chromium is still missing after apt-get install" >&2; exit 1; }
