// Package jobs wires stages into runnable jobs from YAML configs. It is the
// only package that sees every stage; each job kind lives in its own file
// (evaluate.go, prepare.go, train.go, calibrate.go, report.go, mask*.go,
// unmask.go, finetune.go, bench.go, score.go, merge.go, generate.go).
//
// Shared by the kinds, one piece each:
//   - input.go: the one input path — discovery, formats and schemas, then
//     the row gate (shard ownership, filters, rejects, max_reject_ratio);
//   - detectstage.go: the per-method "detect/<name>" pipeline stages with
//     bounded workers, used by evaluate and mask;
//   - accumulate.go: the score accumulator (counts, views, bootstrap,
//     doc_counts.jsonl, metrics.json) behind evaluate, score and merge;
//   - methodoptions.go: the method registry with every method type's
//     options declared beside its constructor.
//
// Run is the entry point: it takes a loaded config (jobs/config) and an Env
// (logger, metrics, output streams) and dispatches on the job's kind.
package jobs
