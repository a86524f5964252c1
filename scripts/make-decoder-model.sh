#!/usr/bin/env bash
# make-decoder-model.sh — regenerate models/decoder, piimask's embedded
# decoder-style token classifier (`model: builtin:decoder`), end to end and
# deterministically (same package versions, same bytes), on CPU:
#
#   0. as scripts/make-baseline-model.sh: the Debian word lists and prose
#      packages, and out/prose/prose.txt (scripts/make-prose.sh);
#   1. a Llama/Mistral-style SentencePiece BPE tokenizer with byte fallback
#      (<unk>=0, <s>=1, </s>=2, <0x00>…<0xFF>, "▁" word prefix, <s> prepended),
#      vocabulary 16,000, trained on 8,000 generated documents (documents
#      mode with the prose, seed 1000), and its tokenizer_config.json with
#      padding_side: left (decoder LLMs pad on the left; the onnx method
#      reads it and fills position_ids as cumsum(attention_mask) - 1, so
#      padding never shifts positions); the train job keeps it;
#   2. configs/prepare-decoder.yaml: windows of 10,000 generated documents
#      (seed 1); configs/prepare-decoder-templates.yaml: 4,000 template rows;
#   3. configs/train-decoder.yaml: the causal convolutional tagger
#      (conv-decoder, the baseline's sizes, offsets all ≤ 0: each token sees
#      itself and the 28 tokens before it), inputs input_ids, attention_mask
#      and position_ids, as a Hugging Face …ForTokenClassification decoder
#      export;
#   4. configs/calibrate-decoder.yaml: the per-class thresholds.json, fitted
#      on generated validation documents (seed 99), as the baseline's.
#
# A decoder sees only the LEFT context: the label of a token is decided from
# that token and the ones before it, never from what follows ("Paris" in
# "Paris Hilton" vs "Paris, France"). For long documents the onnx method cuts
# windows; two margins exist, labels always taken only from a window's core:
#   right_context: M — each window's last M tokens are context only: the
#     remedy for decoders whose answer about a token looks ahead; a strictly
#     causal model such as this one gains nothing from it.
#   left_context: M — each window but the first starts M tokens before its
#     core: the remedy for strictly causal models. With M >= 28 (this
#     model's receptive field, config.json window_left) the spans equal those
#     of a single pass over the document.
# Use aggregation: simple with this tokenizer: the word-level strategies
# treat "Johansson," as one word ("," has no space before it).
#
# Usage: scripts/make-decoder-model.sh            (from anywhere)
# Needs: Go; apt-get (as root, or sudo) when a package is missing.
# Writes models/decoder, out/prose, out/prepare-decoder and
# out/prepare-decoder-templates; prints the sha256 of every model file.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
pkgs=(wamerican wfrench fortunes wordnet-base manpages-fr)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "make-decoder-model: installing ${missing[*]}" >&2
  if [ "$(id -u)" -ne 0 ]; then sudo=sudo; else sudo=; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
start=$(date +%s)
scripts/make-prose.sh out/prose/prose.txt   # also builds bin/piimask
mkdir -p models/decoder
./bin/piimask train-tokenizer --kind bpe --mode documents --prose out/prose/prose.txt \
  --vocab 16000 --n 8000 --seed 1000 --out models/decoder/tokenizer.json
# The train job replaces the directory and carries this file over.
cat > models/decoder/tokenizer_config.json <<'JSON'
{
  "tokenizer_class": "LlamaTokenizerFast",
  "padding_side": "left",
  "model_max_length": 512,
  "bos_token": "<s>",
  "eos_token": "</s>",
  "unk_token": "<unk>",
  "pad_token": "<unk>",
  "add_bos_token": true,
  "add_eos_token": false
}
JSON
./bin/piimask run configs/prepare-decoder.yaml
./bin/piimask run configs/prepare-decoder-templates.yaml
./bin/piimask run configs/train-decoder.yaml
# 4. configs/calibrate-decoder.yaml: per-class Platt calibration and
#    thresholds (models/decoder/thresholds.json) on generated validation
#    documents of seed 99 (never an evaluation set); needs ONNX Runtime.
if [ -z "${PIIMASK_ORT_LIB:-}" ] && [ ! -e third_party/onnxruntime/lib/libonnxruntime.so.1 ]; then
  scripts/setup-onnxruntime.sh
fi
./bin/piimask run configs/calibrate-decoder.yaml
echo "make-decoder-model: $(( $(date +%s) - start ))s"
sha256sum models/decoder/*
