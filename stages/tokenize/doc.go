// Package tokenize turns text into model tokens with character offsets, aligns
// gold spans to token labels (BIO) and back, and cuts long texts into windows.
//
// Place in the pipeline: between read and the model-based detect methods
// (stages/detect/onnx), and in stages/dataset when training data is made.
// Main types: Tokenizer (the Encode interface; stages/tokenize/hf implements
// it for tokenizer.json files), Encoding (ids,
// tokens and code-point offsets), LabelMap (BIO label ids), Strategy and
// Boundary (how spans become token labels and back), Window and Frame (long
// texts in windows with context margins) and the alignment diagnostics
// (AlignDiagnostics, Misalignment, RoundTripStats).
package tokenize
