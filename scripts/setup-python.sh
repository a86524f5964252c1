#!/usr/bin/env bash
# Installs Python 3 (stdlib only), which stages/score's independent reference
# check (scripts/score_reference.py) runs. Idempotent and quiet when present.
set -euo pipefail
if command -v python3 >/dev/null 2>&1; then
	exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
$SUDO apt-get install -y -qq python3-minimal >/dev/null
python3 --version
