#!/usr/bin/env bash
# setup-onnxruntime.sh — install the ONNX Runtime shared library that the
# `onnx` detection method loads through github.com/yalue/onnxruntime_go.
#
# The library comes from the npm package onnxruntime-node@1.30.0 (ORT 1.30.0,
# linux x64), fetched with `npm pack` (no install scripts run: the package's
# postinstall would try to download CUDA). Only
# package/bin/napi-v6/linux/x64/libonnxruntime.so.1 is extracted, to
#   <repo>/third_party/onnxruntime/lib/libonnxruntime.so.1
# (gitignored). Idempotent: quiet when the library is already there and valid.
# Prints the library path on stdout.
#
# Environment:
#   ORT_NPM_VERSION   npm version to fetch (default 1.30.0; must pair with
#                     onnxruntime_go v1.27.0's API version — check before changing)
#   PIIMASK_ORT_LIB   if set and the file exists, nothing is installed and that
#                     path is printed.
set -euo pipefail

version="${ORT_NPM_VERSION:-1.30.0}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest_dir="$root/third_party/onnxruntime/lib"
dest="$dest_dir/libonnxruntime.so.1"
stamp="$dest_dir/VERSION"
member="package/bin/napi-v6/linux/x64/libonnxruntime.so.1"

die() { echo "setup-onnxruntime: $*" >&2; exit 1; }

if [[ -n "${PIIMASK_ORT_LIB:-}" && -f "${PIIMASK_ORT_LIB}" ]]; then
	echo "${PIIMASK_ORT_LIB}"
	exit 0
fi

case "$(uname -s)/$(uname -m)" in
Linux/x86_64) ;;
*) die "only linux x86_64 is handled by this script; install libonnxruntime $version yourself and set PIIMASK_ORT_LIB" ;;
esac

valid() {
	# An ELF shared object of plausible size, exporting OrtGetApiBase, from the expected version.
	[[ -f "$dest" && -f "$stamp" ]] || return 1
	[[ "$(cat "$stamp")" == "onnxruntime-node@$version" ]] || return 1
	[[ "$(head -c 4 "$dest" | od -An -c | tr -d ' ')" == "177ELF" ]] || return 1
	[[ "$(stat -c %s "$dest")" -gt 10000000 ]] || return 1
	grep -qa OrtGetApiBase "$dest" || return 1
}

if valid; then
	echo "$dest"
	exit 0
fi

command -v npm >/dev/null || die "npm not found (apt-get install npm), or set PIIMASK_ORT_LIB to an existing libonnxruntime.so"
command -v tar >/dev/null || die "tar not found"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "onnxruntime-node@$version" >/dev/null 2>"$tmp/npm.err") ||
	die "npm pack onnxruntime-node@$version failed: $(tail -n 5 "$tmp/npm.err")"
tgz="$(ls "$tmp"/onnxruntime-node-*.tgz 2>/dev/null | head -n 1)"
[[ -n "$tgz" ]] || die "npm pack produced no tarball"
tar -xzf "$tgz" -C "$tmp" "$member" || die "$member not found in $(basename "$tgz")"

mkdir -p "$dest_dir"
install -m 0644 "$tmp/$member" "$dest.tmp"
mv -f "$dest.tmp" "$dest"
echo "onnxruntime-node@$version" >"$stamp"
valid || die "installed $dest does not look like libonnxruntime (ELF, OrtGetApiBase)"
echo "$dest"
