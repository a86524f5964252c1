#!/usr/bin/env bash
# bench-tokenize.sh — tokenize+align throughput of piimask against the
# reference Rust tokenizers (npm `tokenizers`), on the same generated corpus
# with the same tokenizer.json, in one run; prints docs/s, MB/s and ratios.
#
# piimask's figure is end to end through `piimask tokenize --align` (JSONL
# parsing, tokenization, BIO alignment and JSONL output); the reference only
# tokenizes, so the ratio understates piimask's tokenizer alone.
# Usage: scripts/bench-tokenize.sh [N_DOCS] [TOKENIZER_JSON]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
n="${1:-20000}"
tok="${2:-$root/models/baseline/tokenizer.json}"
"$root/scripts/setup-tokenizer-goldens.sh" >/dev/null
cd "$root"
go build -o bin/piimask ./cmd/piimask
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
bin/piimask generate -n "$n" --seed 77 --out "$tmp/corpus.jsonl" >/dev/null
start=$(date +%s.%N)
bin/piimask tokenize --tokenizer "$tok" --align "$tmp/corpus.jsonl" >/dev/null
go_s=$(echo "$(date +%s.%N) - $start" | bc)
ref=$(node scripts/tokenizer-goldens/bench-corpus.js "$tok" "$tmp/corpus.jsonl")
python3 - "$go_s" "$ref" <<'PY'
import json, sys
go_s = float(sys.argv[1]); ref = json.loads(sys.argv[2])
docs, mb = ref["docs"], ref["bytes"] / 1e6
rows = [("piimask tokenize --align (1 process)", go_s),
        ("npm tokenizers encode (sequential)", ref["encode_seconds"]),
        ("npm tokenizers encodeBatch (256)", ref["batch_seconds"])]
print(f"{docs} documents, {mb:.1f} MB")
for name, s in rows:
    print(f"{name:40s} {docs/s:9.0f} docs/s {mb/s:7.2f} MB/s   throughput piimask/this = {s/go_s:5.2f}")
PY
