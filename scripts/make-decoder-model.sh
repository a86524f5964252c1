#!/usr/bin/env bash
# make-decoder-model.sh — regenerate models/decoder, piimask's embedded
# decoder-style token classifier (`model: builtin:decoder`), end to end and
# deterministically (same inputs, same bytes), on CPU in about two minutes:
#
#   1. a Llama/Mistral-style SentencePiece BPE tokenizer with byte fallback
#      (<unk>=0, <s>=1, </s>=2, <0x00>…<0xFF>, "▁" word prefix, <s> prepended),
#      vocabulary 8000, trained on 20,000 synthetic rows (seed 1000);
#   2. configs/prepare-decoder.yaml: token-classification windows from 10,000
#      synthetic rows (seed 1; the quickstart evaluates on seed 42);
#   3. configs/train-decoder.yaml: the decoder window MLP (embed 48, hidden
#      192, the 6 previous tokens), inputs input_ids, attention_mask and
#      position_ids, as a Hugging Face …ForTokenClassification decoder export;
#   4. tokenizer_config.json with padding_side: left (decoder LLMs pad on the
#      left; the onnx method reads it and fills position_ids as
#      cumsum(attention_mask) - 1, so padding never shifts positions).
#
# A decoder sees only the LEFT context: the label of a token is decided from
# that token and the ones before it, never from what follows ("Paris" in
# "Paris Hilton" vs "Paris, France"). For long documents the onnx method cuts
# windows; two margins exist, labels always taken only from a window's core:
#   right_context: M — each window's last M tokens are context only, so every
#     kept token has M tokens after it in its window. This is the remedy for
#     decoders whose answer about a token looks ahead (attention unmasked as
#     in LS-LLaMA, or trained to answer with a lag of M tokens). On this
#     strictly causal model it gains nothing and costs the left context at
#     each window start (strict F1 0.706 vs 0.887 with windows of 32 tokens).
#   left_context: M — each window but the first starts M tokens before its
#     core: the remedy for strictly causal models. With M >= 6 (this model's
#     window) the spans equal those of a single pass over the document.
# Both are tested on this model in stages/detect/onnx/decoder_model_test.go.
# Use aggregation: simple with this tokenizer: the word-level strategies
# treat "Johansson," as one word ("," has no space before it).
#
# Usage: scripts/make-decoder-model.sh            (from anywhere)
# Needs: Go. Writes models/decoder and out/prepare-decoder.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
go build -o bin/piimask ./cmd/piimask
mkdir -p models/decoder
./bin/piimask train-tokenizer --kind bpe --vocab 8000 --n 20000 --seed 1000 --out models/decoder/tokenizer.json
./bin/piimask run configs/prepare-decoder.yaml
./bin/piimask run configs/train-decoder.yaml
# The train job writes model.onnx, config.json and tokenizer.json (replacing
# the directory); the tokenizer config comes last.
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
sha256sum models/decoder/*
