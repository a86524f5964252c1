#!/usr/bin/env bash
# Installs the npm package `tokenizers` (official Rust binding, pinned in
# scripts/tokenizer-goldens/package.json) used to regenerate the golden files
# of stages/tokenize/hf. Idempotent and quiet when already installed.
# Regenerate goldens afterwards with: node scripts/tokenizer-goldens/generate.js
set -euo pipefail
dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/tokenizer-goldens"
want="$(node -p "require('$dir/package.json').dependencies.tokenizers")"
have="$(node -p "try{require('$dir/node_modules/tokenizers/package.json').version}catch(e){''}" 2>/dev/null || true)"
if [[ "$have" == "$want" ]]; then
  exit 0
fi
cd "$dir"
if [[ -f package-lock.json ]]; then
  npm ci --no-audit --no-fund --loglevel=error >/dev/null
else
  npm install --no-audit --no-fund --loglevel=error >/dev/null
fi
echo "tokenizer-goldens: installed tokenizers@$want"
