// Package llm is the "llm" detection method: it prompts a chat model (the
// Mistral API or any OpenAI-compatible server) for the PII in each document
// and turns the JSON answer into exact character spans.
//
// # Client
//
// Requests go to POST {base_url}/v1/chat/completions through piimask's one
// API client, internal/llmapi (the openai-go SDK was considered: it retries
// and parses on its own terms, needs per-request JSON patching for
// Mistral's random_seed, and hides the raw body the cache needs).
//
// # Robustness
//
// Each Detect call runs its documents with at most `concurrency` requests in
// flight, paced by the client's limiters (requests/s and tokens/min).
// Timeouts, connection errors, truncated or non-JSON bodies, 408, 429 and
// 5xx are retried by the client with exponential backoff and full jitter, or
// after Retry-After (seconds or HTTP date) when the server sends one. When
// retries run out the document gets Prediction.Failure ("gave up after 6
// attempts: HTTP 503"), as does a 4xx such as 400 (not retried). 401, 403
// and 404 fail the run: the key, model or URL is wrong and every document
// would fail alike.
//
// # Answers
//
// The answer is parsed by prompt.ParseAnswer and placed by prompt.Locate (see
// its occurrence rule). Malformed JSON ("malformed_json"), unknown labels,
// values not found, extra occurrences and answers cut by max_tokens
// ("answer_truncated") are counted in Prediction.Diagnostics; such documents
// keep whatever spans could be placed.
//
// # Cache
//
// With cache_dir, every usable response body is stored, atomically, under
// sha256(base URL, request body) — the body holds the model, the fully
// rendered messages, temperature, max_tokens, seed and response format. A
// rerun sends no request for a cached document and reports no usage for it
// (it was paid before); the raw answers stay in the cache for error analysis.
//
// # Batch API
//
// With batch: true (Mistral only) the uncached documents of each Detect call
// go as one batch job: a JSONL file of {custom_id, body} uploaded with
// purpose batch, POST /v1/batch/jobs, polling, then the output and error
// files are read back by custom_id. Batch answers are cheaper (prices.
// batch_factor) but slow: the Detect call blocks until the job ends, so
// use large concurrency.batch_size in the job and few workers.
package llm
