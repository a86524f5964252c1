// Package finetune is a client for the Mistral API endpoints around a chat
// model: files (upload, download), fine-tuning jobs (create, start, poll) and
// batch jobs (create, poll, read results). The wire shapes follow the Mistral
// API reference:
//
//	POST /v1/files                      multipart: purpose, file → {id, …}
//	GET  /v1/files/{id}/content         raw bytes
//	POST /v1/fine_tuning/jobs           {model, training_files:[{file_id, weight}],
//	                                     validation_files:[id], hyperparameters:{…},
//	                                     suffix, auto_start} → job
//	GET  /v1/fine_tuning/jobs/{id}      job: status, fine_tuned_model
//	POST /v1/fine_tuning/jobs/{id}/start
//	POST /v1/batch/jobs                 {input_files, endpoint, model, metadata} → batch job
//	GET  /v1/batch/jobs/{id}            batch job: status, output_file, error_file
//
// The API key travels only in the Authorization header; errors name the
// endpoint and HTTP status, never the key.
package finetune

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// DefaultBaseURL is the Mistral API.
const DefaultBaseURL = "https://api.mistral.ai"

// Client talks to the Mistral API. It is safe for concurrent use.
type Client struct {
	base   string
	apiKey string
	http   *http.Client
}

// NewClient returns a client for baseURL (DefaultBaseURL when empty; a
// trailing /v1 is accepted). hc may be nil (a client with a 5 minute timeout).
func NewClient(baseURL, apiKey string, hc *http.Client) *Client {
	if baseURL == "" {
		baseURL = DefaultBaseURL
	}
	baseURL = strings.TrimSuffix(strings.TrimRight(baseURL, "/"), "/v1")
	if hc == nil {
		hc = &http.Client{Timeout: 5 * time.Minute}
	}
	return &Client{base: baseURL, apiKey: apiKey, http: hc}
}

// APIError is a non-2xx answer.
type APIError struct {
	Method, Path string
	Status       int
	// Message is the provider's error message (it never holds our key).
	Message string
}

// Error gives the request, the HTTP status and the provider's message.
func (e *APIError) Error() string {
	if e.Message != "" {
		return fmt.Sprintf("%s %s: HTTP %d: %s", e.Method, e.Path, e.Status, e.Message)
	}
	return fmt.Sprintf("%s %s: HTTP %d", e.Method, e.Path, e.Status)
}

// IsStatus reports whether err is an APIError with the given status.
func IsStatus(err error, status int) bool {
	var ae *APIError
	return errors.As(err, &ae) && ae.Status == status
}

func (c *Client) do(ctx context.Context, method, path, contentType string, body io.Reader) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, body)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", method, path, err)
	}
	if c.apiKey != "" {
		req.Header.Set("Authorization", "Bearer "+c.apiKey)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("%s %s: read answer: %w", method, path, err)
	}
	if resp.StatusCode/100 != 2 {
		var e struct {
			Message any `json:"message"`
			Detail  any `json:"detail"`
		}
		msg := ""
		if json.Unmarshal(data, &e) == nil {
			switch {
			case e.Message != nil:
				msg = fmt.Sprint(e.Message)
			case e.Detail != nil:
				msg = fmt.Sprint(e.Detail)
			}
		}
		if len(msg) > 300 {
			msg = msg[:300] + "…"
		}
		return nil, &APIError{Method: method, Path: path, Status: resp.StatusCode, Message: msg}
	}
	return data, nil
}

func (c *Client) doJSON(ctx context.Context, method, path string, in, out any) error {
	var body io.Reader
	ct := ""
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return fmt.Errorf("%s %s: encode: %w", method, path, err)
		}
		body, ct = bytes.NewReader(b), "application/json"
	}
	data, err := c.do(ctx, method, path, ct, body)
	if err != nil {
		return err
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("%s %s: decode answer: %w", method, path, err)
	}
	return nil
}

// Purposes of uploaded files.
const (
	PurposeFineTune = "fine-tune"
	PurposeBatch    = "batch"
)

// File is an uploaded file.
type File struct {
	ID       string `json:"id"`
	Object   string `json:"object"`
	Bytes    int64  `json:"bytes"`
	Filename string `json:"filename"`
	Purpose  string `json:"purpose"`
	NumLines *int   `json:"num_lines,omitempty"`
}

// UploadBytes uploads data as a file named name with the given purpose.
func (c *Client) UploadBytes(ctx context.Context, name string, data []byte, purpose string) (File, error) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if err := mw.WriteField("purpose", purpose); err != nil {
		return File{}, fmt.Errorf("upload %s: %w", name, err)
	}
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		return File{}, fmt.Errorf("upload %s: %w", name, err)
	}
	if _, err := fw.Write(data); err != nil {
		return File{}, fmt.Errorf("upload %s: %w", name, err)
	}
	if err := mw.Close(); err != nil {
		return File{}, fmt.Errorf("upload %s: %w", name, err)
	}
	out, err := c.do(ctx, http.MethodPost, "/v1/files", mw.FormDataContentType(), &buf)
	if err != nil {
		return File{}, fmt.Errorf("upload %s: %w", name, err)
	}
	var f File
	if err := json.Unmarshal(out, &f); err != nil || f.ID == "" {
		return File{}, fmt.Errorf("upload %s: answer has no file id", name)
	}
	return f, nil
}

// UploadFile uploads the file at path.
func (c *Client) UploadFile(ctx context.Context, path, purpose string) (File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return File{}, fmt.Errorf("upload: %w", err)
	}
	return c.UploadBytes(ctx, filepath.Base(path), data, purpose)
}

// FileContent downloads a file's content.
func (c *Client) FileContent(ctx context.Context, id string) ([]byte, error) {
	return c.do(ctx, http.MethodGet, "/v1/files/"+id+"/content", "", nil)
}

// TrainingFile is a training file reference with its weight in the mix.
type TrainingFile struct {
	FileID string  `json:"file_id"`
	Weight float64 `json:"weight,omitempty"`
}

// Hyperparameters of a fine-tuning job. Give TrainingSteps or Epochs.
type Hyperparameters struct {
	TrainingSteps  int     `json:"training_steps,omitempty" yaml:"training_steps"`
	Epochs         float64 `json:"epochs,omitempty" yaml:"epochs"`
	LearningRate   float64 `json:"learning_rate,omitempty" yaml:"learning_rate"`
	WeightDecay    float64 `json:"weight_decay,omitempty" yaml:"weight_decay"`
	WarmupFraction float64 `json:"warmup_fraction,omitempty" yaml:"warmup_fraction"`
	SeqLen         int     `json:"seq_len,omitempty" yaml:"seq_len"`
}

// JobRequest creates a fine-tuning job.
type JobRequest struct {
	Model           string          `json:"model"`
	TrainingFiles   []TrainingFile  `json:"training_files"`
	ValidationFiles []string        `json:"validation_files,omitempty"`
	Hyperparameters Hyperparameters `json:"hyperparameters"`
	Suffix          string          `json:"suffix,omitempty"`
	AutoStart       bool            `json:"auto_start"`
}

// Job is a fine-tuning job.
type Job struct {
	ID              string   `json:"id"`
	Model           string   `json:"model"`
	Status          string   `json:"status"`
	AutoStart       bool     `json:"auto_start"`
	TrainingFiles   []string `json:"training_files"`
	ValidationFiles []string `json:"validation_files"`
	FineTunedModel  string   `json:"fine_tuned_model"`
	CreatedAt       int64    `json:"created_at"`
	ModifiedAt      int64    `json:"modified_at"`
}

// Fine-tuning job statuses.
const (
	StatusQueued           = "QUEUED"
	StatusStarted          = "STARTED"
	StatusValidating       = "VALIDATING"
	StatusValidated        = "VALIDATED"
	StatusRunning          = "RUNNING"
	StatusFailedValidation = "FAILED_VALIDATION"
	StatusFailed           = "FAILED"
	StatusSuccess          = "SUCCESS"
	StatusCancelled        = "CANCELLED"
	StatusTimeoutExceeded  = "TIMEOUT_EXCEEDED"
)

// Terminal reports whether a job (fine-tuning or batch) status is final.
func Terminal(status string) bool {
	switch status {
	case StatusSuccess, StatusFailed, StatusFailedValidation, StatusCancelled, StatusTimeoutExceeded:
		return true
	}
	return false
}

// CreateJob creates a fine-tuning job.
func (c *Client) CreateJob(ctx context.Context, r JobRequest) (Job, error) {
	if r.Model == "" || len(r.TrainingFiles) == 0 {
		return Job{}, errors.New("create fine-tuning job: model and training files are required")
	}
	var j Job
	err := c.doJSON(ctx, http.MethodPost, "/v1/fine_tuning/jobs", r, &j)
	return j, err
}

// GetJob reads a fine-tuning job.
func (c *Client) GetJob(ctx context.Context, id string) (Job, error) {
	var j Job
	err := c.doJSON(ctx, http.MethodGet, "/v1/fine_tuning/jobs/"+id, nil, &j)
	return j, err
}

// StartJob starts a validated job created with AutoStart false.
func (c *Client) StartJob(ctx context.Context, id string) (Job, error) {
	var j Job
	err := c.doJSON(ctx, http.MethodPost, "/v1/fine_tuning/jobs/"+id+"/start", nil, &j)
	return j, err
}

// Sleeper waits d or until ctx ends.
type Sleeper func(ctx context.Context, d time.Duration) error

// Sleep is the real Sleeper.
func Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Poller says how to poll a job.
type Poller struct {
	// Interval between GETs (default 10s).
	Interval time.Duration
	// Sleep waits between GETs (default Sleep).
	Sleep Sleeper
	// OnStatus is called when the status changes (may be nil).
	OnStatus func(status string)
	// MaxErrors is how many consecutive failed GETs (network, 5xx, 429)
	// are tolerated (default 5).
	MaxErrors int
}

func (p Poller) poll(ctx context.Context, get func() (string, error), done func(string) bool) error {
	if p.Interval <= 0 {
		p.Interval = 10 * time.Second
	}
	if p.Sleep == nil {
		p.Sleep = Sleep
	}
	if p.MaxErrors <= 0 {
		p.MaxErrors = 5
	}
	last, errs := "", 0
	for {
		st, err := get()
		switch {
		case err == nil:
			errs = 0
			if st != last && p.OnStatus != nil {
				p.OnStatus(st)
			}
			last = st
			if done(st) {
				return nil
			}
		case ctx.Err() != nil:
			return ctx.Err()
		default:
			var ae *APIError
			if errors.As(err, &ae) && ae.Status/100 == 4 && ae.Status != http.StatusTooManyRequests {
				return err
			}
			if errs++; errs > p.MaxErrors {
				return fmt.Errorf("gave up polling after %d errors: %w", errs, err)
			}
		}
		if err := p.Sleep(ctx, p.Interval); err != nil {
			return err
		}
	}
}

// WaitJob polls a fine-tuning job until its status is terminal.
func (c *Client) WaitJob(ctx context.Context, id string, p Poller) (Job, error) {
	return c.waitJob(ctx, id, p, Terminal)
}

func (c *Client) waitJob(ctx context.Context, id string, p Poller, done func(string) bool) (Job, error) {
	var j Job
	err := p.poll(ctx, func() (string, error) {
		var err error
		j, err = c.GetJob(ctx, id)
		return j.Status, err
	}, done)
	if err != nil {
		return j, fmt.Errorf("fine-tuning job %s: %w", id, err)
	}
	return j, nil
}

// BatchRequest creates a batch job.
type BatchRequest struct {
	InputFiles   []string          `json:"input_files"`
	Endpoint     string            `json:"endpoint"`
	Model        string            `json:"model"`
	Metadata     map[string]string `json:"metadata,omitempty"`
	TimeoutHours int               `json:"timeout_hours,omitempty"`
}

// BatchJob is a batch job.
type BatchJob struct {
	ID                string `json:"id"`
	Status            string `json:"status"`
	Model             string `json:"model"`
	Endpoint          string `json:"endpoint"`
	OutputFile        string `json:"output_file"`
	ErrorFile         string `json:"error_file"`
	TotalRequests     int    `json:"total_requests"`
	CompletedRequests int    `json:"completed_requests"`
	SucceededRequests int    `json:"succeeded_requests"`
	FailedRequests    int    `json:"failed_requests"`
	Errors            []struct {
		Message string `json:"message"`
		Count   int    `json:"count"`
	} `json:"errors"`
}

// BatchInput is one line of a batch input file.
type BatchInput struct {
	CustomID string          `json:"custom_id"`
	Body     json.RawMessage `json:"body"`
}

// BatchResult is one line of a batch output or error file.
type BatchResult struct {
	ID       string `json:"id"`
	CustomID string `json:"custom_id"`
	Response *struct {
		StatusCode int             `json:"status_code"`
		Body       json.RawMessage `json:"body"`
	} `json:"response"`
	Error json.RawMessage `json:"error"`
}

// Failed reports whether the line carries no usable response.
func (r BatchResult) Failed() bool {
	return r.Response == nil || r.Response.StatusCode/100 != 2 || len(r.Response.Body) == 0
}

// CreateBatch creates a batch job.
func (c *Client) CreateBatch(ctx context.Context, r BatchRequest) (BatchJob, error) {
	var j BatchJob
	err := c.doJSON(ctx, http.MethodPost, "/v1/batch/jobs", r, &j)
	return j, err
}

// GetBatch reads a batch job.
func (c *Client) GetBatch(ctx context.Context, id string) (BatchJob, error) {
	var j BatchJob
	err := c.doJSON(ctx, http.MethodGet, "/v1/batch/jobs/"+id, nil, &j)
	return j, err
}

// WaitBatch polls a batch job until its status is terminal.
func (c *Client) WaitBatch(ctx context.Context, id string, p Poller) (BatchJob, error) {
	var j BatchJob
	err := p.poll(ctx, func() (string, error) {
		var err error
		j, err = c.GetBatch(ctx, id)
		return j.Status, err
	}, Terminal)
	if err != nil {
		return j, fmt.Errorf("batch job %s: %w", id, err)
	}
	return j, nil
}

// EncodeBatchInput renders batch input lines as JSONL.
func EncodeBatchInput(lines []BatchInput) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	for _, l := range lines {
		if err := enc.Encode(l); err != nil {
			return nil, fmt.Errorf("batch input %s: %w", l.CustomID, err)
		}
	}
	return buf.Bytes(), nil
}

// ParseBatchResults reads an output or error file. Lines that do not decode
// are skipped and counted in bad (their documents then have no result).
func ParseBatchResults(data []byte) (results []BatchResult, bad int) {
	for _, line := range bytes.Split(data, []byte("\n")) {
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		var r BatchResult
		if err := json.Unmarshal(line, &r); err != nil || r.CustomID == "" {
			bad++
			continue
		}
		results = append(results, r)
	}
	return results, bad
}

// CollectBatch downloads a finished batch job's output and error files.
func (c *Client) CollectBatch(ctx context.Context, j BatchJob) (results []BatchResult, bad int, err error) {
	for _, id := range []string{j.OutputFile, j.ErrorFile} {
		if id == "" {
			continue
		}
		data, err := c.FileContent(ctx, id)
		if err != nil {
			return nil, 0, fmt.Errorf("batch job %s: download %s: %w", j.ID, id, err)
		}
		r, b := ParseBatchResults(data)
		results = append(results, r...)
		bad += b
	}
	return results, bad, nil
}

// Spec is a whole fine-tuning run: files to upload and the job to create.
type Spec struct {
	Model string
	// Training and Validation are paths of JSONL files in the Mistral chat
	// format (the prepare job's train.jsonl and validation.jsonl).
	Training   []string
	Validation []string
	// Weights are the training files' weights (nil: 1 each).
	Weights         []float64
	Hyperparameters Hyperparameters
	Suffix          string
	// AutoStart starts training once the files are validated. Without it
	// the run stops at VALIDATED (a person starts the job after checking
	// the cost estimate).
	AutoStart bool
	// Wait polls until the job ends (or is validated, without AutoStart).
	Wait   bool
	Poller Poller
}

// Result is what FineTune did.
type Result struct {
	TrainingFiles   []File
	ValidationFiles []File
	Job             Job
}

// FineTune uploads the files, creates the job and, with Wait, polls it until
// it ends. A job that ends other than SUCCESS is an error naming its status.
func (c *Client) FineTune(ctx context.Context, s Spec) (Result, error) {
	var res Result
	if len(s.Weights) > 0 && len(s.Weights) != len(s.Training) {
		return res, fmt.Errorf("fine-tune: %d weights for %d training files", len(s.Weights), len(s.Training))
	}
	if s.Hyperparameters.TrainingSteps > 0 && s.Hyperparameters.Epochs > 0 {
		return res, errors.New("fine-tune: give training_steps or epochs, not both")
	}
	req := JobRequest{Model: s.Model, Hyperparameters: s.Hyperparameters, Suffix: s.Suffix, AutoStart: s.AutoStart}
	for i, p := range s.Training {
		f, err := c.UploadFile(ctx, p, PurposeFineTune)
		if err != nil {
			return res, err
		}
		res.TrainingFiles = append(res.TrainingFiles, f)
		tf := TrainingFile{FileID: f.ID, Weight: 1}
		if len(s.Weights) > 0 {
			tf.Weight = s.Weights[i]
		}
		req.TrainingFiles = append(req.TrainingFiles, tf)
	}
	for _, p := range s.Validation {
		f, err := c.UploadFile(ctx, p, PurposeFineTune)
		if err != nil {
			return res, err
		}
		res.ValidationFiles = append(res.ValidationFiles, f)
		req.ValidationFiles = append(req.ValidationFiles, f.ID)
	}
	j, err := c.CreateJob(ctx, req)
	if err != nil {
		return res, fmt.Errorf("fine-tune: %w", err)
	}
	res.Job = j
	if !s.Wait {
		return res, nil
	}
	done := Terminal
	if !s.AutoStart {
		done = func(st string) bool { return st == StatusValidated || Terminal(st) }
	}
	j, err = c.waitJob(ctx, j.ID, s.Poller, done)
	res.Job = j
	if err != nil {
		return res, fmt.Errorf("fine-tune: %w", err)
	}
	if Terminal(j.Status) && j.Status != StatusSuccess {
		return res, fmt.Errorf("fine-tune: job %s ended %s", j.ID, j.Status)
	}
	return res, nil
}
