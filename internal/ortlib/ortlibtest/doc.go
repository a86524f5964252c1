// Package ortlibtest gives tests a ready ONNX Runtime, or skips them when the
// library is absent — unless CI is set, where absence is a failure.
//
// Used by the tests of internal/ortlib, stages/detect/onnx, jobs and
// internal/server that run
// real models.
package ortlibtest
