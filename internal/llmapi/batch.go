package llmapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
)

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

// CreateBatch creates a batch job (sent once).
func (c *Client) CreateBatch(ctx context.Context, r BatchRequest) (BatchJob, error) {
	return callJSON[BatchJob](ctx, c, http.MethodPost, "/v1/batch/jobs", r)
}

// GetBatch reads a batch job.
func (c *Client) GetBatch(ctx context.Context, id string) (BatchJob, error) {
	return callJSON[BatchJob](ctx, c, http.MethodGet, "/v1/batch/jobs/"+id, nil)
}

// WaitBatch polls a batch job until p.Until (default: its status is terminal).
func (c *Client) WaitBatch(ctx context.Context, id string, p Poller) (BatchJob, error) {
	return waitFor(ctx, c.poller(p), "batch job", id, c.GetBatch, func(j BatchJob) string { return j.Status })
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
