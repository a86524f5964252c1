// Package onnx is the `onnx` detection method: a token-classification model
// exported to ONNX (the Hugging Face Optimum layout: model.onnx,
// tokenizer.json, config.json with id2label, optional tokenizer_config.json)
// run with ONNX Runtime, its token logits turned into character spans with
// the Hugging Face TokenClassificationPipeline aggregation strategies.
//
// Works for encoder exports (BERT, DistilBERT, RoBERTa, DeBERTa, XLM-R: inputs
// input_ids, attention_mask, optional token_type_ids) and decoder exports
// (Llama/Mistral/Qwen …ForTokenClassification: input_ids, attention_mask,
// optional position_ids, often left padding). The input names and integer
// types are read from the model, never guessed.
//
// Speed: one ONNX Runtime session per method, reused by every Detect call
// (ORT sessions are safe for concurrent Run). Within a Detect batch, texts are
// tokenized by a producer goroutine while the previous model batch runs;
// rows (one per window) are sorted by length within a bounded buffer
// (sort_buffer rows), cut into batches of batch_size rows padded to the
// longest row, and the results are put back in input order.
//
// Long texts: content tokens (special tokens excluded) are cut into windows of
// max_length minus the special tokens; each window is wrapped in the
// tokenizer's leading and trailing special tokens. With stride S, windows
// overlap by S tokens and each overlap is split at its middle (see
// tokenize.Windows); with right_context M (models that look ahead), every
// window sees M tokens past the part it owns; with left_context M (causal
// decoders, which see only the left context), every window but the first
// starts M tokens before the part it owns. Each token's
// logits come from exactly one window (its core), and aggregation then runs
// over the whole text as if it were one pass.
//
// Calibration: when the model directory holds a thresholds.json (written by
// the calibrate job, see internal/calibrate) and the thresholds option is
// model (the default), every entity's score is replaced by its class's
// calibrated probability and entities below their class threshold are
// dropped — the "no PII" outcome; the threshold option is then a global
// floor on the calibrated score. thresholds: none keeps the raw scores.
package onnx
