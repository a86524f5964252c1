package fake

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/piimask/piimask/internal/prompt"
	"github.com/piimask/piimask/record"
)

// Fault is a kind of injected failure.
type Fault int

// Fault kinds.
const (
	// None answers normally.
	None Fault = iota
	// RateLimited answers 429 with Injection.RetryAfter as Retry-After.
	RateLimited
	// ServerError answers 500.
	ServerError
	// Slow answers normally after Injection.Delay.
	Slow
	// Truncated answers 200 with the JSON body cut in half.
	Truncated
	// NonJSON answers 200 with an HTML page.
	NonJSON
	// Unauthorized answers 401.
	Unauthorized
	// BadRequest answers 400.
	BadRequest
)

// Injection is what the server does to one request.
type Injection struct {
	Fault Fault
	// RetryAfter is the Retry-After header sent with RateLimited ("" = none):
	// seconds ("2") or an HTTP date.
	RetryAfter string
	// Delay is how long Slow waits before answering.
	Delay time.Duration
}

// Call describes one chat request, for the Faults function.
type Call struct {
	// N counts chat requests, from 1.
	N int
	// Attempt counts requests with the same last user message, from 1.
	Attempt int
	// User is the last user message.
	User string
	// Batch is true for a line of a batch job.
	Batch bool
}

// Options configure a Server.
type Options struct {
	// Oracle returns the assistant's content for the last user message
	// (default: an empty answer {"entities":{}}).
	Oracle func(user string) string
	// Faults chooses an injection per chat request (default: none).
	Faults func(c Call) Injection
	// APIKey, when set, is required as "Bearer <key>"; other requests get 401.
	APIKey string
	// Now is the clock used to time-stamp chat requests (default time.Now).
	Now func() time.Time
	// Latency delays every chat answer.
	Latency time.Duration
	// JobSteps is how many GETs a fine-tuning or batch job takes to end
	// (default 3).
	JobSteps int
	// FailFinetune makes fine-tuning jobs end FAILED.
	FailFinetune bool
	// FailBatch makes batch jobs end FAILED.
	FailBatch bool
	// OCR returns the markdown of page (0-based) of an OCR request's PDF
	// (default "page <n+1>").
	OCR func(pdf []byte, page int) string
}

// Server is a running fake API server.
type Server struct {
	// URL is the base URL (no /v1).
	URL  string
	srv  *httptest.Server
	opts Options

	mu        sync.Mutex
	routes    map[string]int
	chat      int
	attempts  map[string]int
	auth      map[string]bool
	times     []time.Time
	bodies    [][]byte
	files     map[string]*file
	ftJobs    map[string]*ftJob
	batchJobs map[string]*batchJob
	nextID    int
}

type file struct {
	meta FileObject
	data []byte
}

// FileObject is the Mistral file object.
type FileObject struct {
	ID        string `json:"id"`
	Object    string `json:"object"`
	Bytes     int    `json:"bytes"`
	CreatedAt int64  `json:"created_at"`
	Filename  string `json:"filename"`
	Purpose   string `json:"purpose"`
	NumLines  int    `json:"num_lines"`
	Source    string `json:"source"`
}

type ftJob struct {
	obj   map[string]any
	steps int
}

type batchJob struct {
	obj     map[string]any
	steps   int
	outputs []byte
	errors  []byte
	ok, bad int
}

// New starts a server. Close it when done.
func New(o Options) *Server {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.JobSteps <= 0 {
		o.JobSteps = 3
	}
	s := &Server{opts: o, routes: map[string]int{}, attempts: map[string]int{}, auth: map[string]bool{},
		files: map[string]*file{}, ftJobs: map[string]*ftJob{}, batchJobs: map[string]*batchJob{}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/chat/completions", s.handleChat)
	mux.HandleFunc("POST /v1/files", s.handleUpload)
	mux.HandleFunc("GET /v1/files/{id}/content", s.handleContent)
	mux.HandleFunc("POST /v1/fine_tuning/jobs", s.handleFTCreate)
	mux.HandleFunc("GET /v1/fine_tuning/jobs/{id}", s.handleFTGet)
	mux.HandleFunc("POST /v1/fine_tuning/jobs/{id}/start", s.handleFTStart)
	mux.HandleFunc("POST /v1/batch/jobs", s.handleBatchCreate)
	mux.HandleFunc("GET /v1/batch/jobs/{id}", s.handleBatchGet)
	mux.HandleFunc("POST /v1/ocr", s.handleOCR)
	s.srv = httptest.NewServer(s.middleware(mux))
	s.URL = s.srv.URL
	return s
}

// Close stops the server.
func (s *Server) Close() { s.srv.Close() }

// Client is an HTTP client for the server.
func (s *Server) Client() *http.Client { return s.srv.Client() }

func (s *Server) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		route := r.Method + " " + r.URL.Path
		h := r.Header.Get("Authorization")
		s.mu.Lock()
		s.routes[route]++
		s.auth[h] = true
		s.mu.Unlock()
		if s.opts.APIKey != "" && h != "Bearer "+s.opts.APIKey {
			writeError(w, http.StatusUnauthorized, "Unauthorized")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// Requests counts requests to a route such as "POST /v1/files" (the path as
// requested, ids included).
func (s *Server) Requests(route string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.routes[route]
}

// TotalRequests counts every request the server received.
func (s *Server) TotalRequests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, c := range s.routes {
		n += c
	}
	return n
}

// ChatRequests counts chat completion requests (faulty ones included).
func (s *Server) ChatRequests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.chat
}

// ChatTimes are the arrival times of chat requests on the Options.Now clock.
func (s *Server) ChatTimes() []time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Time(nil), s.times...)
}

// ChatBodies are the raw bodies of chat requests, in arrival order.
func (s *Server) ChatBodies() [][]byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([][]byte(nil), s.bodies...)
}

// AuthHeaders are the distinct Authorization headers received.
func (s *Server) AuthHeaders() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, 0, len(s.auth))
	for h := range s.auth {
		out = append(out, h)
	}
	return out
}

// FileData returns an uploaded file's content.
func (s *Server) FileData(id string) ([]byte, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ok := s.files[id]
	if !ok {
		return nil, false
	}
	return f.data, true
}

// Files lists uploaded files' metadata.
func (s *Server) Files() []FileObject {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []FileObject
	for _, f := range s.files {
		out = append(out, f.meta)
	}
	return out
}

// FinetuneRequest returns the body a fine-tuning job was created with.
func (s *Server) FinetuneRequest(id string) (map[string]any, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	j, ok := s.ftJobs[id]
	if !ok {
		return nil, false
	}
	return j.obj, true
}

func (s *Server) id(prefix string) string {
	s.nextID++
	sum := sha256.Sum256([]byte(fmt.Sprintf("%s-%d", prefix, s.nextID)))
	h := hex.EncodeToString(sum[:16])
	return fmt.Sprintf("%s-%s-%s-%s-%s", h[:8], h[8:12], h[12:16], h[16:20], h[20:32])
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	// A write error means the client went away; a test server has no one
	// to report it to, and the client sees its own error.
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]any{"object": "error", "message": msg, "type": strings.ToLower(strings.ReplaceAll(http.StatusText(status), " ", "_")), "code": status})
}

// chatRequest is the subset of the chat completions body the fake reads.
type chatRequest struct {
	Model    string `json:"model"`
	Messages []struct {
		Role    string `json:"role"`
		Content string `json:"content"`
	} `json:"messages"`
	MaxTokens int `json:"max_tokens"`
}

func (c chatRequest) lastUser() string {
	for i := len(c.Messages) - 1; i >= 0; i-- {
		if c.Messages[i].Role == "user" {
			return c.Messages[i].Content
		}
	}
	return ""
}

func approxTokens(s string) int { return (utf8.RuneCountInString(s) + 3) / 4 }

// completion builds the chat completion object answering req.
func (s *Server) completion(req chatRequest, model string) map[string]any {
	content := `{"entities":{}}`
	if s.opts.Oracle != nil {
		content = s.opts.Oracle(req.lastUser())
	}
	pt := 0
	for _, m := range req.Messages {
		pt += approxTokens(m.Content) + 4
	}
	ct := approxTokens(content)
	s.mu.Lock()
	id := s.id("cmpl")
	s.mu.Unlock()
	return map[string]any{
		"id": id, "object": "chat.completion", "created": s.opts.Now().Unix(), "model": model,
		"choices": []any{map[string]any{"index": 0, "finish_reason": "stop",
			"message": map[string]any{"role": "assistant", "content": content}}},
		"usage": map[string]any{"prompt_tokens": pt, "completion_tokens": ct, "total_tokens": pt + ct},
	}
}

func (s *Server) injection(user string, batch bool) Injection {
	s.mu.Lock()
	if !batch {
		s.chat++
		s.times = append(s.times, s.opts.Now())
	}
	s.attempts[user]++
	c := Call{N: s.chat, Attempt: s.attempts[user], User: user, Batch: batch}
	s.mu.Unlock()
	if s.opts.Faults == nil {
		return Injection{}
	}
	return s.opts.Faults(c)
}

func (s *Server) handleChat(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		writeError(w, http.StatusBadRequest, "unreadable body")
		return
	}
	s.mu.Lock()
	s.bodies = append(s.bodies, body)
	s.mu.Unlock()
	var req chatRequest
	if err := json.Unmarshal(body, &req); err != nil || req.Model == "" || len(req.Messages) == 0 {
		s.injection("", false)
		writeError(w, http.StatusUnprocessableEntity, "invalid request: model and messages are required")
		return
	}
	inj := s.injection(req.lastUser(), false)
	delay := s.opts.Latency
	if inj.Fault == Slow {
		delay += inj.Delay
	}
	if delay > 0 {
		select {
		case <-time.After(delay):
		case <-r.Context().Done():
			return
		}
	}
	switch inj.Fault {
	case RateLimited:
		if inj.RetryAfter != "" {
			w.Header().Set("Retry-After", inj.RetryAfter)
		}
		writeError(w, http.StatusTooManyRequests, "Requests rate limit exceeded")
		return
	case ServerError:
		writeError(w, http.StatusInternalServerError, "Internal server error")
		return
	case Unauthorized:
		writeError(w, http.StatusUnauthorized, "Unauthorized")
		return
	case BadRequest:
		writeError(w, http.StatusBadRequest, "Bad request")
		return
	case NonJSON:
		w.Header().Set("Content-Type", "text/html")
		_, _ = io.WriteString(w, "<html><body><h1>502 Bad Gateway</h1></body></html>") // see writeJSON
		return
	}
	out, _ := json.Marshal(s.completion(req, req.Model))
	if inj.Fault == Truncated {
		out = out[:len(out)/2]
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(out) // see writeJSON
}

func (s *Server) handleUpload(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseMultipartForm(64 << 20); err != nil {
		writeError(w, http.StatusBadRequest, "want a multipart form")
		return
	}
	purpose := r.FormValue("purpose")
	switch purpose {
	case "fine-tune", "batch", "ocr":
	default:
		writeError(w, http.StatusUnprocessableEntity, "purpose must be fine-tune, batch or ocr")
		return
	}
	f, hdr, err := r.FormFile("file")
	if err != nil {
		writeError(w, http.StatusUnprocessableEntity, "field file is required")
		return
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		writeError(w, http.StatusBadRequest, "unreadable file")
		return
	}
	s.mu.Lock()
	meta := FileObject{ID: s.id("file"), Object: "file", Bytes: len(data), CreatedAt: s.opts.Now().Unix(),
		Filename: hdr.Filename, Purpose: purpose, NumLines: strings.Count(string(data), "\n"), Source: "upload"}
	s.files[meta.ID] = &file{meta: meta, data: data}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, meta)
}

func (s *Server) handleContent(w http.ResponseWriter, r *http.Request) {
	data, ok := s.FileData(r.PathValue("id"))
	if !ok {
		writeError(w, http.StatusNotFound, "file not found")
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	_, _ = w.Write(data) // see writeJSON
}

func (s *Server) handleFTCreate(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Model         string `json:"model"`
		TrainingFiles []struct {
			FileID string  `json:"file_id"`
			Weight float64 `json:"weight"`
		} `json:"training_files"`
		ValidationFiles []string       `json:"validation_files"`
		Hyperparameters map[string]any `json:"hyperparameters"`
		Suffix          string         `json:"suffix"`
		AutoStart       bool           `json:"auto_start"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		writeError(w, http.StatusBadRequest, "invalid JSON")
		return
	}
	if req.Model == "" || len(req.TrainingFiles) == 0 {
		writeError(w, http.StatusUnprocessableEntity, "model and training_files are required")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var train []string
	for _, tf := range req.TrainingFiles {
		if f, ok := s.files[tf.FileID]; !ok || f.meta.Purpose != "fine-tune" {
			writeError(w, http.StatusUnprocessableEntity, "training file "+tf.FileID+" not found or not purpose fine-tune")
			return
		}
		train = append(train, tf.FileID)
	}
	for _, id := range req.ValidationFiles {
		if _, ok := s.files[id]; !ok {
			writeError(w, http.StatusUnprocessableEntity, "validation file "+id+" not found")
			return
		}
	}
	now := s.opts.Now().Unix()
	id := s.id("ftjob")
	obj := map[string]any{
		"id": id, "object": "job", "job_type": "completion", "auto_start": req.AutoStart, "model": req.Model,
		"status": "QUEUED", "created_at": now, "modified_at": now, "training_files": train,
		"validation_files": req.ValidationFiles, "hyperparameters": req.Hyperparameters,
		"fine_tuned_model": nil, "suffix": req.Suffix,
	}
	s.ftJobs[id] = &ftJob{obj: obj}
	writeJSON(w, http.StatusOK, obj)
}

func (s *Server) handleFTGet(w http.ResponseWriter, r *http.Request) {
	withJob(s, w, r, s.ftJobs, "job", func(j *ftJob) {
		j.steps++
		st := j.obj["status"].(string)
		switch st {
		case "QUEUED":
			st = "VALIDATING"
		case "VALIDATING":
			st = "VALIDATED"
			if j.obj["auto_start"] == true {
				st = "RUNNING"
			}
		case "STARTED", "RUNNING":
			if j.steps >= s.opts.JobSteps {
				if s.opts.FailFinetune {
					st = "FAILED"
				} else {
					st = "SUCCESS"
					model := j.obj["model"].(string)
					j.obj["fine_tuned_model"] = fmt.Sprintf("ft:%s:%s:%s", model, j.obj["suffix"], j.obj["id"].(string)[:8])
				}
			} else {
				st = "RUNNING"
			}
		}
		j.obj["status"] = st
		j.obj["modified_at"] = s.opts.Now().Unix()
		writeJSON(w, http.StatusOK, j.obj)
	})
}

func (s *Server) handleFTStart(w http.ResponseWriter, r *http.Request) {
	withJob(s, w, r, s.ftJobs, "job", func(j *ftJob) {
		if st := j.obj["status"]; st != "VALIDATED" && st != "QUEUED" && st != "VALIDATING" {
			writeError(w, http.StatusConflict, fmt.Sprintf("job is %v, cannot start", st))
			return
		}
		j.obj["status"] = "STARTED"
		writeJSON(w, http.StatusOK, j.obj)
	})
}

// withJob runs f on the job named by the path's id, under the lock, or
// answers 404 naming what.
func withJob[T any](s *Server, w http.ResponseWriter, r *http.Request, jobs map[string]*T, what string, f func(j *T)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	j, ok := jobs[r.PathValue("id")]
	if !ok {
		writeError(w, http.StatusNotFound, what+" not found")
		return
	}
	f(j)
}

func (s *Server) handleBatchCreate(w http.ResponseWriter, r *http.Request) {
	var req struct {
		InputFiles []string          `json:"input_files"`
		Endpoint   string            `json:"endpoint"`
		Model      string            `json:"model"`
		Metadata   map[string]string `json:"metadata"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		writeError(w, http.StatusBadRequest, "invalid JSON")
		return
	}
	if req.Endpoint != "/v1/chat/completions" || req.Model == "" || len(req.InputFiles) == 0 {
		writeError(w, http.StatusUnprocessableEntity, "input_files, endpoint /v1/chat/completions and model are required")
		return
	}
	var inputs [][]byte
	s.mu.Lock()
	for _, id := range req.InputFiles {
		f, ok := s.files[id]
		if !ok || f.meta.Purpose != "batch" {
			s.mu.Unlock()
			writeError(w, http.StatusUnprocessableEntity, "input file "+id+" not found or not purpose batch")
			return
		}
		inputs = append(inputs, f.data)
	}
	s.mu.Unlock()

	j := &batchJob{}
	var outB, errB strings.Builder
	total := 0
	for _, data := range inputs {
		for _, line := range strings.Split(string(data), "\n") {
			if strings.TrimSpace(line) == "" {
				continue
			}
			total++
			var in struct {
				CustomID string      `json:"custom_id"`
				Body     chatRequest `json:"body"`
			}
			if err := json.Unmarshal([]byte(line), &in); err != nil {
				writeError(w, http.StatusUnprocessableEntity, fmt.Sprintf("input line %d is not valid JSON", total))
				return
			}
			inj := s.injection(in.Body.lastUser(), true)
			s.mu.Lock()
			lineID := s.id("batchline")
			s.mu.Unlock()
			switch inj.Fault {
			case ServerError, BadRequest, RateLimited, Unauthorized:
				j.bad++
				b, _ := json.Marshal(map[string]any{"id": lineID, "custom_id": in.CustomID,
					"error": map[string]any{"message": "request failed", "code": 500}})
				errB.Write(b)
				errB.WriteByte('\n')
			default:
				j.ok++
				b, _ := json.Marshal(map[string]any{"id": lineID, "custom_id": in.CustomID,
					"response": map[string]any{"status_code": 200, "body": s.completion(in.Body, req.Model)}, "error": nil})
				outB.Write(b)
				outB.WriteByte('\n')
			}
		}
	}
	j.outputs, j.errors = []byte(outB.String()), []byte(errB.String())
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.id("batch")
	j.obj = map[string]any{
		"id": id, "object": "batch", "input_files": req.InputFiles, "metadata": req.Metadata,
		"endpoint": req.Endpoint, "model": req.Model, "output_file": nil, "error_file": nil, "errors": []any{},
		"status": "QUEUED", "created_at": s.opts.Now().Unix(), "total_requests": total,
		"completed_requests": 0, "succeeded_requests": 0, "failed_requests": 0,
	}
	s.batchJobs[id] = j
	writeJSON(w, http.StatusOK, j.obj)
}

func (s *Server) handleBatchGet(w http.ResponseWriter, r *http.Request) {
	withJob(s, w, r, s.batchJobs, "batch job", func(j *batchJob) {
		j.steps++
		switch st := j.obj["status"]; {
		case st != "QUEUED" && st != "RUNNING":
		case j.steps < s.opts.JobSteps:
			j.obj["status"] = "RUNNING"
		case s.opts.FailBatch:
			j.obj["status"] = "FAILED"
			j.obj["errors"] = []any{map[string]any{"message": "batch failed", "count": 1}}
		default:
			j.obj["status"] = "SUCCESS"
			now := s.opts.Now().Unix()
			if len(j.outputs) > 0 {
				out := &file{meta: FileObject{ID: s.id("file"), Object: "file", Bytes: len(j.outputs), CreatedAt: now,
					Filename: "output.jsonl", Purpose: "batch_result", Source: "batch"}, data: j.outputs}
				s.files[out.meta.ID] = out
				j.obj["output_file"] = out.meta.ID
			}
			if len(j.errors) > 0 {
				ef := &file{meta: FileObject{ID: s.id("file"), Object: "file", Bytes: len(j.errors), CreatedAt: now,
					Filename: "error.jsonl", Purpose: "batch_error", Source: "batch"}, data: j.errors}
				s.files[ef.meta.ID] = ef
				j.obj["error_file"] = ef.meta.ID
			}
			j.obj["completed_requests"] = j.ok + j.bad
			j.obj["succeeded_requests"] = j.ok
			j.obj["failed_requests"] = j.bad
			j.obj["completed_at"] = now
		}
		writeJSON(w, http.StatusOK, j.obj)
	})
}

func (s *Server) handleOCR(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Model    string `json:"model"`
		Document struct {
			Type        string `json:"type"`
			DocumentURL string `json:"document_url"`
		} `json:"document"`
		Pages []int `json:"pages"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		writeError(w, http.StatusBadRequest, "invalid JSON")
		return
	}
	const prefix = "data:application/pdf;base64,"
	pdf, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(req.Document.DocumentURL, prefix))
	if req.Model == "" || req.Document.Type != "document_url" || !strings.HasPrefix(req.Document.DocumentURL, prefix) || err != nil {
		writeError(w, http.StatusUnprocessableEntity, "model and a document_url holding a base64 PDF are required")
		return
	}
	if len(req.Pages) == 0 {
		req.Pages = []int{0}
	}
	pages := make([]any, 0, len(req.Pages))
	for _, p := range req.Pages {
		md := fmt.Sprintf("page %d", p+1)
		if s.opts.OCR != nil {
			md = s.opts.OCR(pdf, p)
		}
		pages = append(pages, map[string]any{"index": p, "markdown": md, "images": []any{},
			"dimensions": map[string]any{"dpi": 200, "height": 2339, "width": 1654}})
	}
	writeJSON(w, http.StatusOK, map[string]any{"pages": pages, "model": req.Model,
		"usage_info": map[string]any{"pages_processed": len(pages), "doc_size_bytes": len(pdf)}})
}

// ByText returns an oracle that finds which of texts the user message
// contains (the longest one) and answers answer(text); a message holding
// none of them gets {"entities":{}}.
func ByText(texts []string, answer func(text string) string) func(user string) string {
	return func(user string) string {
		best := -1
		for i, t := range texts {
			if strings.Contains(user, t) && (best < 0 || len(t) > len(texts[best])) {
				best = i
			}
		}
		if best < 0 {
			return `{"entities":{}}`
		}
		return answer(texts[best])
	}
}

// Gold returns an oracle answering, for each document, the answer a perfect
// model would give: its gold spans rendered by prompt.AnswerFromSpans.
func Gold(docs []record.Record) func(user string) string {
	texts := make([]string, len(docs))
	gold := make(map[string][]record.Span, len(docs))
	for i, d := range docs {
		texts[i] = d.Text
		gold[d.Text] = d.Gold
	}
	return ByText(texts, func(t string) string { return prompt.AnswerFromSpans(t, gold[t]).String() })
}
