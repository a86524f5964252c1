// Package detect defines the PII detection method interface and a registry of
// method constructors keyed by the `type` of a method in a job config.
// Implementations live in sub-packages (rules, pattern, onnx, llm, gold,
// ensemble).
//
// Place in the pipeline: after read (and tokenize, for model methods) and
// before score or mask. Main types: Method (Detect on a batch of records,
// Close), Factory and Registry (constructors by type), Spec and Options (a
// method as the config names it), Resources (what a constructor may use:
// label set, caches, metrics), Prediction, Usage and Events (cost and
// progress reporting).
package detect
