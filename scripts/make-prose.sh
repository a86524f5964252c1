#!/usr/bin/env bash
# make-prose.sh — extract the PII-free prose file that `piimask generate
# --mode documents --prose FILE` (and input.generate.prose) mixes into its
# documents, from Debian packages, at model-build time only:
#
#   fortunes      English quotations (BSD licence; attributions removed)
#   wordnet-base  WordNet 3.0 gloss example sentences (WordNet 3.0 licence)
#   manpages-fr   French man pages, troff stripped (GPL-3+)
#   wamerican, wfrench  word lists every kept word must be in
#
# The file is not committed (manpages-fr is GPL-3+); it is rebuilt each time
# and is the same for the same package versions (printed below with its
# sha256). Without it the generator uses its built-in pools only.
#
# Usage: scripts/make-prose.sh [OUT]     (default out/prose/prose.txt)
# Needs: Go; apt-get (as root) if the packages are missing.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
out="${1:-out/prose/prose.txt}"
pkgs=(fortunes wordnet-base manpages-fr wamerican wfrench)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "make-prose: installing ${missing[*]}" >&2
  if [ "$(id -u)" -ne 0 ]; then sudo=sudo; else sudo=; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
go build -o bin/piimask ./cmd/piimask
mkdir -p "$(dirname "$out")"
./bin/piimask extract-prose --out "$out"
for p in "${pkgs[@]}"; do echo "  $p $(dpkg-query -W -f='${Version}' "$p")"; done
sha256sum "$out"
