// Package fake is an in-process HTTP server that speaks the wire formats of
// the Mistral API (and the OpenAI-compatible chat completions endpoint):
// POST /v1/chat/completions, POST /v1/files, GET /v1/files/{id}/content,
// POST/GET /v1/fine_tuning/jobs[/{id}[/start]], POST/GET
// /v1/batch/jobs[/{id}] and POST /v1/ocr.
//
// Chat answers come from an Oracle (for instance Gold, which renders a
// document's gold spans as the answer JSON), so tests can check exact spans.
// Faults are injected per request (429 with Retry-After, 500, slow answers,
// truncated or non-JSON bodies, 401, 400); answers with substrings that occur
// twice or not at all, or unknown labels, are oracle answers. Every request
// is counted and its Authorization header recorded.
//
// It is used by tests, benchmarks and `piimask bench`; it never listens
// beyond the loopback interface.
package fake
