// Package metrics is piimask's Prometheus instrumentation: one registry per
// job run (never the global default registry), metric names and units per the
// Prometheus conventions under the piimask_ prefix, and the three ways out of
// a batch job (a /metrics endpoint while it runs, a Pushgateway push, a
// node_exporter textfile).
//
// Label values come only from bounded sets: stage names fixed in code, method
// names from the job config, and the job's class list (any other class is
// counted as "other"). Nothing derived from document data becomes a label.
//
// Main types: Metrics (New: the registry of one run, and the
// pipeline.Observer that records per-stage items and timings),
// Options and Outputs (where the figures go), Exporter, Push, Totals, and the
// bench job's result types (BenchResult, BenchMethod, LengthResult,
// WorkerResult). Every job run by jobs gets one Metrics; pipeline reports
// per-stage timings to it.
package metrics
