#!/usr/bin/env bash
# make-baseline-model.sh — regenerate models/baseline, piimask's embedded
# BERT-like token classifier (`model: builtin:baseline`), end to end and
# deterministically (same package versions, same bytes), on CPU:
#
#   0. Debian word lists wamerican + wfrench (the model's dictionary
#      features) and the prose packages of scripts/make-prose.sh (fortunes,
#      wordnet-base, manpages-fr), installed when missing; the PII-free
#      prose file out/prose/prose.txt (scripts/make-prose.sh);
#   1. a BERT-style cased WordPiece tokenizer ([PAD]=0, [UNK], [CLS], [SEP],
#      [MASK]), vocabulary 16,000, trained on 8,000 generated documents
#      (documents mode with the prose, seed 1000);
#   2. configs/prepare-baseline.yaml: windows of 10,000 generated documents
#      (documents mode with the prose, seed 1);
#   3. configs/prepare-baseline-templates.yaml: windows of 4,000 template rows
#      (seed 1; the quickstart evaluates on seed 42);
#   4. configs/train-baseline.yaml: the convolutional tagger (conv-encoder:
#      embed 64 + 20 vocabulary features, 3 layers of 128, receptive field
#      ±14 tokens), inputs input_ids, attention_mask and token_type_ids;
#   5. configs/calibrate-baseline.yaml: per-class thresholds fitted on other
#      generated documents (seed 99), models/baseline/thresholds.json (it
#      records the model's sha256; it needs ONNX Runtime, installed by
#      scripts/setup-onnxruntime.sh when missing).
#
# Usage: scripts/make-baseline-model.sh            (from anywhere)
# Needs: Go; apt-get (as root, or sudo) when a package is missing.
# Writes models/baseline, out/prose, out/prepare-baseline and
# out/prepare-baseline-templates; prints the sha256 of every model file.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
pkgs=(wamerican wfrench fortunes wordnet-base manpages-fr)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "make-baseline-model: installing ${missing[*]}" >&2
  if [ "$(id -u)" -ne 0 ]; then sudo=sudo; else sudo=; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
start=$(date +%s)
scripts/make-prose.sh out/prose/prose.txt   # also builds bin/piimask
mkdir -p models/baseline
./bin/piimask train-tokenizer --kind wordpiece --mode documents --prose out/prose/prose.txt \
  --vocab 16000 --n 8000 --seed 1000 --out models/baseline/tokenizer.json
./bin/piimask run configs/prepare-baseline.yaml
./bin/piimask run configs/prepare-baseline-templates.yaml
./bin/piimask run configs/train-baseline.yaml
if [ -z "${PIIMASK_ORT_LIB:-}" ] && [ ! -e third_party/onnxruntime/lib/libonnxruntime.so.1 ]; then
  scripts/setup-onnxruntime.sh
fi
./bin/piimask run configs/calibrate-baseline.yaml
echo "make-baseline-model: $(( $(date +%s) - start ))s"
sha256sum models/baseline/*
