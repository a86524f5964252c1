// Package llmapi is piimask's one HTTP client for the Mistral API and
// OpenAI-compatible servers (vLLM, llama.cpp, Ollama, OpenAI). It speaks
//
//	POST /v1/chat/completions           chat completions (raw JSON body in and out)
//	POST /v1/files                      multipart: purpose, file → {id, …}
//	GET  /v1/files/{id}/content         raw bytes
//	POST /v1/fine_tuning/jobs           {model, training_files:[{file_id, weight}],
//	                                     validation_files:[id], hyperparameters:{…},
//	                                     suffix, auto_start} → job
//	GET  /v1/fine_tuning/jobs/{id}      job: status, fine_tuned_model
//	POST /v1/fine_tuning/jobs/{id}/start
//	POST /v1/batch/jobs                 {input_files, endpoint, model, metadata} → batch job
//	GET  /v1/batch/jobs/{id}            batch job: status, output_file, error_file
//	POST /v1/ocr                        {model, document:{document_url}, pages} → pages[].markdown
//
// FineTune strings the file and job calls into a whole fine-tuning run (the
// finetune job's work). The fake server beside it (package fake) speaks the
// same wire formats.
//
// # Requests
//
// Every request carries the API key as a Bearer token (the key comes from
// the caller, who reads it from the environment or an expanded config
// value; the client never reads files for it), Accept: application/json,
// and runs under a per-attempt timeout (Config.Timeout) and the caller's
// context. Client-side rate limits (requests/s and tokens/min,
// golang.org/x/time/rate) pace every request.
//
// # Retries
//
// Requests that can be repeated without creating a second object — chat
// completions and OCR — are retried up to Config.Retry.Max times after a
// timeout, a connection error, a truncated or unusable 2xx body, 408, 429
// or 5xx, with exponential backoff and full jitter, or after Retry-After
// (seconds or an HTTP date) when the server sends one. Uploads and job
// creation are sent once (a retry could create a duplicate file or a second
// paid job); job GETs are polled by Poller, which has its own tolerance of
// transient errors.
//
// # Errors
//
// Every failure is an *Error naming the method, the endpoint path and the
// HTTP status (or what went wrong without one), plus the provider's error
// type or code for a 4xx. The provider's message, the request body and the
// API key are never part of an error or a log line: messages may quote the
// prompt, which holds the document's PII.
package llmapi
