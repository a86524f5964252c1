// Package server is piimask's HTTP server: a single-page UI embedded in the
// binary and a JSON API (detect, mask, methods, health, metrics, OpenAPI)
// over the same detection methods the batch jobs use.
//
// Each method runs on its own bounded pool of workers. Requests that arrive
// together are micro-batched into one Detect call (a worker holding a request
// waits at most Limits.BatchWait for more, up to Limits.MaxBatch); a method's
// queue is bounded and a full queue answers 429 with Retry-After, so latency
// cannot grow without bound. Uploads are read into memory and PDFs are piped
// through stages/pdf's ExtractBytes (pdftotext reading stdin; pages without
// a text layer OCR'd by pdftoppm | tesseract, or the Mistral OCR API):
// nothing a client sends is written to disk, and no text reaches the logs or
// the metrics.
//
// POST /v1/mask applies a masking policy — the mask job's (stages/mask
// Policy): the server's default (Options.Policy), with the fields a request
// sets replacing the default's where Options.Policy.Overridable allows.
//
// Main types: Server (New, Serve, Handler, Close), Method (a named detect.Method with
// its Limits), Options and PolicyOptions, and the response types
// (AnalyseResponse, MethodResult, Entity, Replacement). Load and Bench (with
// LoadSpec, LoadResult, BenchConfig, BenchRow) measure a running server.
// `piimask serve` (cmd/piimask) builds it from a serve config.
package server
