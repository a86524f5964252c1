// Package models ships the models piimask makes itself, embedded in the
// binary so the default jobs run offline with nothing to download:
//
//   - baseline: a stacked dilated convolutional token classifier
//     (onnxgraph.ConvTagger: token embeddings + fixed word-shape and
//     dictionary features, three convolution layers, receptive field ±14
//     tokens; BERT-like ONNX inputs), trained on CPU by
//     scripts/make-baseline-model.sh from generated realistic documents
//     (mostly PII-free prose) and template rows, with its own WordPiece
//     tokenizer and the per-class thresholds.json the calibrate job fits on
//     other generated documents (configs/calibrate-baseline.yaml).
//   - decoder: the same architecture made causal, as a decoder LLM's
//     token-classification export (inputs input_ids, attention_mask,
//     position_ids; tokenizer_config.json padding_side left), with its own
//     Llama-style byte-fallback BPE tokenizer; trained by
//     scripts/make-decoder-model.sh at the baseline's parameter count.
//     A decoder sees only the LEFT context: a token's label comes from it
//     and the 28 tokens before it. The onnx method's window margins are the
//     remedy for long documents: right_context (each window's last tokens are
//     context only) for models that look ahead, left_context (windows start
//     before the part they keep) for strictly causal ones such as this one.
//
// A job refers to one as `model: builtin:NAME`; Materialize writes it to a
// cache directory once and returns that directory.
package models
