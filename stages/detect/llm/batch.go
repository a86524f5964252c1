package llm

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"

	"github.com/piimask/piimask/internal/llmapi"
	"github.com/piimask/piimask/stages/detect"
)

// detectBatch sends the pending documents as one Mistral batch job and fills
// their predictions. Problems with the job (upload refused, job FAILED, a
// line with no result) become per-document failures; a refused key (401/403)
// or cancellation is an error.
func (m *Method) detectBatch(ctx context.Context, reqs []request, pending []int, preds []detect.Prediction) error {
	lines := make([]llmapi.BatchInput, 0, len(pending))
	for _, i := range pending {
		body, err := json.Marshal(m.chatBody(reqs[i].msgs, false))
		if err != nil {
			return fmt.Errorf("llm %s: encode batch line: %w", m.name, err)
		}
		lines = append(lines, llmapi.BatchInput{CustomID: strconv.Itoa(i), Body: body})
	}
	data, err := llmapi.EncodeBatchInput(lines)
	if err != nil {
		return fmt.Errorf("llm %s: %w", m.name, err)
	}
	job, results, err := m.runBatch(ctx, data, len(pending))
	if err != nil {
		if ctx.Err() != nil || llmapi.IsStatus(err, http.StatusUnauthorized) || llmapi.IsStatus(err, http.StatusForbidden) {
			return fmt.Errorf("llm %s: batch: %w", m.name, err)
		}
		for _, i := range pending {
			if preds[i].Failure == "" && preds[i].Spans == nil {
				preds[i].Failure = "batch: " + err.Error()
			}
		}
		return nil
	}
	byID := make(map[string]llmapi.BatchResult, len(results))
	for _, r := range results {
		if old, dup := byID[r.CustomID]; dup && !old.Failed() {
			continue // keep a success over a later error line
		}
		byID[r.CustomID] = r
	}
	for _, i := range pending {
		r, ok := byID[strconv.Itoa(i)]
		switch {
		case !ok:
			preds[i].Failure = fmt.Sprintf("batch job %s: no result for this document", job.Status)
		case r.Failed():
			preds[i].Failure = "batch: request failed" + batchStatus(r)
		default:
			body := []byte(r.Response.Body)
			if _, _, err := llmapi.DecodeChat(body); err != nil {
				preds[i].Failure = "batch: unusable response: " + err.Error()
				continue
			}
			if err := m.cache.put(reqs[i].key, body); err != nil {
				return fmt.Errorf("llm %s: %w", m.name, err)
			}
			preds[i].Usage.Requests = 1
			m.fill(&preds[i], reqs[i].text, body, false, true)
		}
	}
	return nil
}

// runBatch uploads the input file, creates the batch job, waits for it to
// end and reads its output and error files back.
func (m *Method) runBatch(ctx context.Context, data []byte, docs int) (llmapi.BatchJob, []llmapi.BatchResult, error) {
	f, err := m.api.UploadBytes(ctx, "piimask-batch.jsonl", data, llmapi.PurposeBatch)
	if err != nil {
		return llmapi.BatchJob{}, nil, err
	}
	job, err := m.api.CreateBatch(ctx, llmapi.BatchRequest{InputFiles: []string{f.ID}, Endpoint: llmapi.PathChat,
		Model: m.opts.Model, Metadata: map[string]string{"source": "piimask", "method": m.name}, TimeoutHours: m.opts.BatchTimeoutHours})
	if err != nil {
		return job, nil, err
	}
	m.log.Debug("llm batch job created", "method", m.name, "job", job.ID, "documents", docs)
	job, err = m.api.WaitBatch(ctx, job.ID, llmapi.Poller{Interval: m.opts.BatchPoll,
		OnStatus: func(st string) { m.log.Debug("llm batch job", "method", m.name, "job", job.ID, "status", st) }})
	if err != nil {
		return job, nil, err
	}
	results, bad, err := m.api.CollectBatch(ctx, job)
	if bad > 0 {
		m.log.Debug("llm batch output lines unreadable", "method", m.name, "lines", bad)
	}
	return job, results, err
}

func batchStatus(r llmapi.BatchResult) string {
	if r.Response != nil && r.Response.StatusCode != 0 {
		return fmt.Sprintf(" (HTTP %d)", r.Response.StatusCode)
	}
	var e struct {
		Code any `json:"code"`
	}
	if json.Unmarshal(r.Error, &e) == nil && e.Code != nil {
		return fmt.Sprintf(" (code %v)", e.Code)
	}
	return ""
}
