#!/usr/bin/env bash
# make-baseline-model.sh — regenerate models/baseline, piimask's embedded
# BERT-like token classifier (`model: builtin:baseline`), end to end and
# deterministically, on CPU in a few minutes:
#
#   1. a BERT-style cased WordPiece tokenizer ([PAD]=0, [UNK], [CLS], [SEP],
#      [MASK]), vocabulary 8000, trained on 20,000 synthetic rows (seed 1000);
#   2. configs/prepare-baseline.yaml: token-classification windows from 10,000
#      synthetic rows (seed 1; the quickstart evaluates on seed 42);
#   3. configs/train-baseline.yaml: the encoder window MLP (embed 48, hidden
#      192, ±3 tokens), inputs input_ids, attention_mask and token_type_ids.
#
# Usage: scripts/make-baseline-model.sh            (from anywhere)
# Needs: Go. Writes models/baseline and out/prepare-baseline.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
go build -o bin/piimask ./cmd/piimask
mkdir -p models/baseline
./bin/piimask train-tokenizer --kind wordpiece --vocab 8000 --n 20000 --seed 1000 --out models/baseline/tokenizer.json
./bin/piimask run configs/prepare-baseline.yaml
./bin/piimask run configs/train-baseline.yaml
sha256sum models/baseline/*
