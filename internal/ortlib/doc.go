// Package ortlib finds the ONNX Runtime shared library and initialises the
// onnxruntime_go environment.
//
// onnxruntime_go keeps one process-wide ORT environment (its own package
// globals: the library path and the OrtEnv). That is forced on us: there can
// be only one environment per process. This package therefore keeps exactly one
// piece of package-level state, a mutex-guarded reference count of the
// environment it initialised, so that several Runtime values (one per ONNX
// method, say) can share it and the last Close destroys it. Everything else
// lives in the Runtime value the caller holds; a Runtime initialises at most
// once (sync.Once).
//
// Main types: Runtime (one user's handle on the shared environment; Close
// releases it), Lookup and Search (where the library is looked for). Used by
// stages/detect/onnx and the server.
package ortlib
