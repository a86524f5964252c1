// Package pipeline is piimask's streaming engine: stages connected by bounded
// channels, stages with bounded parallelism that keep input order, cancellation
// through context.Context, and first-error-stops-everything semantics.
//
// It knows nothing about PII, records or file formats: a stage is a function,
// and the engine only moves values between stages. Panics inside a stage are
// caught and returned as errors.
//
// jobs assembles every batch job from it: read → tokenize → detect → score or
// mask → write, each a stage. Main API: Run (New, with the Options
// WithBuffer and WithObserver, an Observer receiving per-stage timings), the
// stage constructors Source, Map (ordered, bounded workers), Batch, Unbatch
// and Sink, and StageError (which stage failed).
package pipeline
