#!/usr/bin/env bash
# setup.sh — everything piimask needs to build and run its default jobs on a
# fresh Debian machine: Node/npm (only to fetch libonnxruntime from the npm
# registry) and the ONNX Runtime shared library. Idempotent and quiet when
# everything is already there.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

apt_install() {
	# Installs the named Debian packages that are missing.
	local missing=()
	for p in "$@"; do
		dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
	done
	[[ ${#missing[@]} -eq 0 ]] && return 0
	local sudo=""
	[[ $(id -u) -ne 0 ]] && sudo="sudo"
	echo "setup: installing ${missing[*]} (Debian)" >&2
	$sudo apt-get update -qq >/dev/null
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}
export -f apt_install

if ! command -v npm >/dev/null 2>&1; then
	apt_install nodejs npm
fi
"$root/scripts/setup-onnxruntime.sh" >/dev/null
