// Package onnxgraph writes standard ONNX models (opset 17, IR version 8) from
// Go: a small graph Builder over the generated onnx.proto types, and the
// architectures piimask trains itself (see WindowMLP).
//
// Main types: Builder (nodes, initializers, inputs and outputs of one graph),
// Dim, Kind (Encoder or Decoder: which ONNX inputs the model takes), WindowMLP
// and ConvTagger (the two architectures, each with its Go forward pass and
// Model, the ONNX graph computing the same logits) and ConvLayer. internal/train
// fills their weights; the written models are run by stages/detect/onnx like
// any Hugging Face export.
package onnxgraph
