package llm

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"golang.org/x/time/rate"

	"github.com/piimask/piimask/internal/prompt"
	"github.com/piimask/piimask/stages/detect"
	"github.com/piimask/piimask/stages/write"
)

// Clock tells the time and sleeps. Tests inject a fake one so rate limits,
// backoff and Retry-After are checked without waiting.
type Clock interface {
	Now() time.Time
	// Sleep waits d or until ctx ends (then it returns ctx.Err()).
	Sleep(ctx context.Context, d time.Duration) error
}

// RealClock is the wall clock.
type RealClock struct{}

// Now is time.Now.
func (RealClock) Now() time.Time { return time.Now() }

// Sleep waits d or until ctx ends.
func (RealClock) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// chatBody is the chat completions request body.
type chatBody struct {
	Model          string           `json:"model,omitempty"`
	Messages       []prompt.Message `json:"messages"`
	Temperature    float64          `json:"temperature"`
	MaxTokens      int              `json:"max_tokens"`
	ResponseFormat *responseFormat  `json:"response_format,omitempty"`
	RandomSeed     *int64           `json:"random_seed,omitempty"`
	Seed           *int64           `json:"seed,omitempty"`
}

type responseFormat struct {
	Type string `json:"type"`
}

// chatResponse is the part of a chat completion piimask reads.
type chatResponse struct {
	Choices []struct {
		Message struct {
			Content json.RawMessage `json:"content"`
		} `json:"message"`
		FinishReason string `json:"finish_reason"`
	} `json:"choices"`
	Usage struct {
		PromptTokens     int64 `json:"prompt_tokens"`
		CompletionTokens int64 `json:"completion_tokens"`
	} `json:"usage"`
}

// decodeResponse checks a response body and returns the answer's text.
// Content may be a string or a list of chunks ({"type":"text","text":…}).
func decodeResponse(data []byte) (chatResponse, string, error) {
	var r chatResponse
	if err := json.Unmarshal(data, &r); err != nil {
		return r, "", fmt.Errorf("invalid JSON body")
	}
	if len(r.Choices) == 0 {
		return r, "", fmt.Errorf("answer has no choices")
	}
	raw := r.Choices[0].Message.Content
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return r, s, nil
	}
	var chunks []struct {
		Type string `json:"type"`
		Text string `json:"text"`
	}
	if err := json.Unmarshal(raw, &chunks); err == nil {
		var b bytes.Buffer
		for _, c := range chunks {
			b.WriteString(c.Text)
		}
		return r, b.String(), nil
	}
	if len(raw) == 0 || string(raw) == "null" {
		return r, "", nil
	}
	return r, "", fmt.Errorf("answer content is neither text nor chunks")
}

// attemptError is why one HTTP attempt gave no usable answer.
type attemptError struct {
	msg   string
	retry bool
	// fatal errors stop the run: every document would fail the same way.
	fatal      bool
	retryAfter time.Duration
}

func (e *attemptError) Error() string { return e.msg }

// parseRetryAfter reads a Retry-After header: delay-seconds or an HTTP date.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	if v == "" {
		return 0, false
	}
	if n, err := strconv.ParseFloat(v, 64); err == nil && n >= 0 {
		return time.Duration(n * float64(time.Second)), true
	}
	if t, err := http.ParseTime(v); err == nil {
		d := t.Sub(now)
		if d < 0 {
			d = 0
		}
		return d, true
	}
	return 0, false
}

// client sends chat requests with rate limits and retries.
type client struct {
	// method is the method's name in the job, for request events.
	method  string
	log     *slog.Logger
	url     string
	apiKey  string
	http    *http.Client
	clock   Clock
	timeout time.Duration
	retries int
	base    time.Duration
	max     time.Duration
	rps     *rate.Limiter
	tpm     *rate.Limiter
}

// wait blocks until both limiters allow a request of tokens tokens.
func (c *client) wait(ctx context.Context, tokens int) error {
	now := c.clock.Now()
	var d time.Duration
	var rs []*rate.Reservation
	if c.rps != nil {
		r := c.rps.ReserveN(now, 1)
		rs = append(rs, r)
		d = max(d, r.DelayFrom(now))
	}
	if c.tpm != nil {
		r := c.tpm.ReserveN(now, min(tokens, c.tpm.Burst()))
		rs = append(rs, r)
		d = max(d, r.DelayFrom(now))
	}
	if d <= 0 {
		return nil
	}
	if err := c.clock.Sleep(ctx, d); err != nil {
		for _, r := range rs {
			r.CancelAt(c.clock.Now())
		}
		return err
	}
	return nil
}

// backoff is the full-jitter delay before retry number attempt (0-based):
// uniform in [0, min(max, base·2^attempt)].
func (c *client) backoff(attempt int) time.Duration {
	ceil := c.max
	if attempt < 30 {
		if d := c.base << attempt; d > 0 && d < ceil {
			ceil = d
		}
	}
	return time.Duration(rand.Int64N(int64(ceil) + 1))
}

// send posts body until it gets a usable answer. It returns the raw response
// body, the number of HTTP attempts, and either a per-document failure (after
// retries, or a non-retryable 4xx) or an error that must stop the run (401,
// 403, 404, cancellation).
func (c *client) send(ctx context.Context, body []byte, tokens int) (data []byte, attempts int64, failure string, err error) {
	for attempt := 0; ; attempt++ {
		if err := c.wait(ctx, tokens); err != nil {
			return nil, attempts, "", err
		}
		attempts++
		t0 := c.clock.Now()
		data, status, ae := c.attempt(ctx, body)
		detect.EventsFrom(ctx).Request(c.method, status, c.clock.Now().Sub(t0), attempt > 0)
		if ae == nil {
			return data, attempts, "", nil
		}
		if err := ctx.Err(); err != nil {
			return nil, attempts, "", err
		}
		if ae.fatal {
			return nil, attempts, "", errors.New(ae.msg)
		}
		if !ae.retry {
			return nil, attempts, ae.msg, nil
		}
		if attempt >= c.retries {
			return nil, attempts, fmt.Sprintf("gave up after %d attempts: %s", attempts, ae.msg), nil
		}
		d := c.backoff(attempt)
		if ae.retryAfter > 0 {
			d = ae.retryAfter
		}
		c.log.Debug("llm request retry", "status", status, "attempt", attempts, "wait", d)
		if err := c.clock.Sleep(ctx, d); err != nil {
			return nil, attempts, "", err
		}
	}
}

// attempt makes one HTTP request; status is 0 when no response came back.
func (c *client) attempt(ctx context.Context, body []byte) (data []byte, status int, aerr *attemptError) {
	actx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(actx, http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		return nil, 0, &attemptError{msg: "build request: " + err.Error(), fatal: true}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	if c.apiKey != "" {
		req.Header.Set("Authorization", "Bearer "+c.apiKey)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return nil, 0, &attemptError{msg: fmt.Sprintf("timeout after %s", c.timeout), retry: true}
		}
		return nil, 0, &attemptError{msg: "connection error", retry: true}
	}
	defer resp.Body.Close()
	data, rerr := io.ReadAll(resp.Body)
	st := resp.StatusCode
	switch {
	case st/100 == 2:
		if rerr != nil {
			if errors.Is(rerr, context.DeadlineExceeded) {
				return nil, st, &attemptError{msg: fmt.Sprintf("timeout after %s", c.timeout), retry: true}
			}
			return nil, st, &attemptError{msg: "truncated body", retry: true}
		}
		if _, _, err := decodeResponse(data); err != nil {
			return nil, st, &attemptError{msg: "HTTP 200 with " + err.Error(), retry: true}
		}
		return data, st, nil
	case st == http.StatusUnauthorized || st == http.StatusForbidden:
		return nil, st, &attemptError{msg: fmt.Sprintf("HTTP %d from %s: the API key was refused (check the method's api_key)", st, c.url), fatal: true}
	case st == http.StatusNotFound:
		return nil, st, &attemptError{msg: fmt.Sprintf("HTTP 404 from %s: unknown model or wrong base_url", c.url), fatal: true}
	case st == http.StatusTooManyRequests || st == http.StatusRequestTimeout || st/100 == 5:
		ra, _ := parseRetryAfter(resp.Header.Get("Retry-After"), c.clock.Now())
		return nil, st, &attemptError{msg: fmt.Sprintf("HTTP %d", st), retry: true, retryAfter: ra}
	default:
		return nil, st, &attemptError{msg: fmt.Sprintf("HTTP %d%s", st, errorType(data))}
	}
}

// errorType returns " (type)" from an error body's type or code field; the
// message is left out as it may quote the request (PII).
func errorType(data []byte) string {
	var e struct {
		Type any `json:"type"`
		Code any `json:"code"`
	}
	if json.Unmarshal(data, &e) != nil {
		return ""
	}
	if s, ok := e.Type.(string); ok && s != "" && len(s) < 64 {
		return " (" + s + ")"
	}
	if s, ok := e.Code.(string); ok && s != "" && len(s) < 64 {
		return " (" + s + ")"
	}
	return ""
}

// cache stores raw response bodies on disk, one file per request, keyed by
// sha256 of the base URL and the full request body (model, rendered
// messages, temperature, max_tokens, seed, response format).
type cache struct{ dir string }

func cacheKey(baseURL string, body []byte) string {
	h := sha256.New()
	h.Write([]byte(baseURL))
	h.Write([]byte{0})
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil))
}

func (c *cache) path(key string) string { return filepath.Join(c.dir, key[:2], key+".json") }

func (c *cache) get(key string) ([]byte, bool) {
	if c == nil {
		return nil, false
	}
	data, err := os.ReadFile(c.path(key))
	if err != nil {
		return nil, false
	}
	if _, _, err := decodeResponse(data); err != nil {
		return nil, false // a damaged entry is refetched
	}
	return data, true
}

func (c *cache) put(key string, data []byte) error {
	if c == nil {
		return nil
	}
	p := c.path(key)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return fmt.Errorf("llm cache: %w", err)
	}
	if err := write.WriteFileAtomic(p, data); err != nil {
		return fmt.Errorf("llm cache: %w", err)
	}
	return nil
}
