// Package onnxgraphtest runs ONNX models in the real ONNX Runtime for tests:
// it finds libonnxruntime (env PIIMASK_ORT_LIB, else the file
// scripts/setup-onnxruntime.sh installs at
// third_party/onnxruntime/lib/libonnxruntime.so.1), initializes the runtime
// once per process and runs a model on int64 inputs.
//
// Main functions: LibraryPath, Init and Run. Used by the tests of
// internal/onnxgraph and internal/train to check that ONNX Runtime computes the
// Go forward pass's logits.
package onnxgraphtest
