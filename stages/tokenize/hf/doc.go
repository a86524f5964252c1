// Package hf is a pure-Go implementation of Hugging Face tokenizer.json
// files (WordPiece, BPE incl. byte-level and byte-fallback, Unigram), exact
// to the Rust `tokenizers` library: same ids, tokens and code-point offsets
// into the original text. Offsets are tracked through normalization the way
// the Rust NormalizedString does.
//
// Main types: Tokenizer (Load a tokenizer.json, Encode), Config and
// TrainOption (training a WordPiece or BPE vocabulary, used by the model build
// scripts). stages/tokenize wraps it.
package hf
