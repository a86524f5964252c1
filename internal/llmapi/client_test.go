package llmapi

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/piimask/piimask/internal/llmapi/fake"
)

const secretPrompt = "Jean Dupont lives at 12 rue de la Paix"

func chatBody(t *testing.T) []byte {
	t.Helper()
	b, err := json.Marshal(map[string]any{"model": "m", "messages": []map[string]string{{"role": "user", "content": secretPrompt}}})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestChatRetries: which answers are retried, how often, what the error
// says, and that Retry-After wins over the backoff.
func TestChatRetries(t *testing.T) {
	for _, tc := range []struct {
		name     string
		inj      fake.Injection
		times    int // faulty attempts (0: always)
		max      int
		timeout  time.Duration
		attempts int
		reason   string // "" = success
		sleeps   []time.Duration
	}{
		{"429 then ok, Retry-After", fake.Injection{Fault: fake.RateLimited, RetryAfter: "7"}, 1, 3, 0, 2, "", []time.Duration{7 * time.Second}},
		{"500 always", fake.Injection{Fault: fake.ServerError}, 0, 2, 0, 3, "gave up after 3 attempts: HTTP 500", nil},
		{"500, no retries", fake.Injection{Fault: fake.ServerError}, 0, 0, 0, 1, "HTTP 500", nil},
		{"400 not retried", fake.Injection{Fault: fake.BadRequest}, 0, 5, 0, 1, "HTTP 400 (bad_request)", nil},
		{"401 not retried", fake.Injection{Fault: fake.Unauthorized}, 0, 5, 0, 1, "HTTP 401 (unauthorized)", nil},
		{"truncated always", fake.Injection{Fault: fake.Truncated}, 0, 1, 0, 2, "gave up after 2 attempts: HTTP 200 with invalid JSON body", nil},
		{"non-JSON then ok", fake.Injection{Fault: fake.NonJSON}, 2, 2, 0, 3, "", nil},
		{"slow always", fake.Injection{Fault: fake.Slow, Delay: 2 * time.Second}, 0, 1, 50 * time.Millisecond, 2, "gave up after 2 attempts: timeout after 50ms", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := fake.New(fake.Options{Faults: func(c fake.Call) fake.Injection {
				if tc.times == 0 || c.Attempt <= tc.times {
					return tc.inj
				}
				return fake.Injection{}
			}})
			defer srv.Close()
			clock := fake.NewClock()
			c := New(Config{BaseURL: srv.URL, APIKey: "sk-secret", HTTPClient: srv.Client(), Clock: clock, Timeout: tc.timeout,
				Retry: Retry{Max: tc.max, Base: time.Millisecond, Ceiling: 2 * time.Millisecond}})
			data, attempts, err := c.ChatCompletion(context.Background(), chatBody(t), 10)
			if attempts != tc.attempts || srv.ChatRequests() != tc.attempts {
				t.Errorf("%d attempts, server saw %d, want %d", attempts, srv.ChatRequests(), tc.attempts)
			}
			if tc.reason == "" {
				if _, _, derr := DecodeChat(data); err != nil || derr != nil {
					t.Fatalf("err %v, answer %v", err, derr)
				}
			} else {
				var ae *Error
				if !errors.As(err, &ae) || ae.Reason() != tc.reason || ae.Attempts != tc.attempts {
					t.Fatalf("err %v, want reason %q", err, tc.reason)
				}
				if !strings.HasPrefix(err.Error(), "POST /v1/chat/completions: ") {
					t.Errorf("error %q does not name the endpoint", err)
				}
				if strings.Contains(err.Error(), "sk-secret") || strings.Contains(err.Error(), "Jean") {
					t.Errorf("error %q leaks the key or the prompt", err)
				}
			}
			if tc.sleeps != nil {
				if got := clock.Sleeps(); len(got) != len(tc.sleeps) || got[0] != tc.sleeps[0] {
					t.Errorf("sleeps %v, want %v", got, tc.sleeps)
				}
			}
		})
	}
}

// TestErrorLeavesMessageOut: a provider message quoting the prompt stays out
// of the error; its type comes through.
func TestErrorLeavesMessageOut(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.WriteHeader(http.StatusUnprocessableEntity)
		json.NewEncoder(w).Encode(map[string]any{"message": "cannot parse: " + string(body), "type": "invalid_request_error"})
	}))
	defer srv.Close()
	_, _, err := New(Config{BaseURL: srv.URL, HTTPClient: srv.Client()}).ChatCompletion(context.Background(), chatBody(t), 0)
	if err == nil || err.Error() != "POST /v1/chat/completions: HTTP 422 (invalid_request_error)" || !IsStatus(err, 422) {
		t.Errorf("err %v", err)
	}
}

// TestOnlyRepeatableRequestsRetry: a 503 is retried for OCR (it creates
// nothing) but an upload or a job creation is sent once.
func TestOnlyRepeatableRequestsRetry(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		http.Error(w, `{"message":"busy"}`, http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	c := New(Config{BaseURL: srv.URL, HTTPClient: srv.Client(), Clock: fake.NewClock(), Retry: Retry{Max: 3}})
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		call func() error
		want int32
	}{
		{"ocr", func() error { _, err := c.OCR(ctx, OCRRequest{}); return err }, 4},
		{"upload", func() error { _, err := c.UploadBytes(ctx, "a.jsonl", []byte("{}\n"), PurposeBatch); return err }, 1},
		{"create job", func() error {
			_, err := c.CreateJob(ctx, JobRequest{Model: "m", TrainingFiles: []TrainingFile{{FileID: "f"}}})
			return err
		}, 1},
		{"create batch", func() error { _, err := c.CreateBatch(ctx, BatchRequest{Model: "m"}); return err }, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n.Store(0)
			if err := tc.call(); !IsStatus(err, http.StatusServiceUnavailable) || n.Load() != tc.want {
				t.Errorf("err %v after %d requests, want HTTP 503 after %d", err, n.Load(), tc.want)
			}
		})
	}
}

// TestCancel: a cancelled context ends a slow request and a backoff at once.
func TestCancel(t *testing.T) {
	srv := fake.New(fake.Options{Faults: func(c fake.Call) fake.Injection {
		if c.N == 1 {
			return fake.Injection{Fault: fake.Slow, Delay: time.Minute}
		}
		return fake.Injection{Fault: fake.RateLimited, RetryAfter: "3600"}
	}})
	defer srv.Close()
	c := New(Config{BaseURL: srv.URL, HTTPClient: srv.Client(), Retry: Retry{Max: 5}})
	for _, name := range []string{"in flight", "in backoff"} {
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		t0 := time.Now()
		_, _, err := c.ChatCompletion(ctx, chatBody(t), 0)
		cancel()
		if !errors.Is(err, context.DeadlineExceeded) || time.Since(t0) > 10*time.Second {
			t.Errorf("%s: err %v after %v", name, err, time.Since(t0))
		}
	}
}

// TestRequestPacing: 2 requests/s, burst 1, on an injected clock.
func TestRequestPacing(t *testing.T) {
	clock := fake.NewClock()
	srv := fake.New(fake.Options{Now: clock.Now})
	defer srv.Close()
	c := New(Config{BaseURL: srv.URL, HTTPClient: srv.Client(), Clock: clock, Limits: Limits{RequestsPerSecond: 2}})
	if rps, burst, tpm := c.Limits(); rps != 2 || burst != 1 || tpm != 0 {
		t.Errorf("Limits() = %v, %v, %v", rps, burst, tpm)
	}
	for range 4 {
		if _, _, err := c.ChatCompletion(context.Background(), chatBody(t), 0); err != nil {
			t.Fatal(err)
		}
	}
	times := srv.ChatTimes()
	for k := 1; k < len(times); k++ {
		if d := times[k].Sub(times[k-1]); d != 500*time.Millisecond {
			t.Errorf("request %d came %v after the previous, want 500ms", k, d)
		}
	}
}

func TestOCR(t *testing.T) {
	srv := fake.New(fake.Options{APIKey: "k", OCR: func(pdf []byte, page int) string { return string(pdf) + " #" + string(rune('0'+page)) }})
	defer srv.Close()
	c := New(Config{BaseURL: srv.URL + "/v1/", APIKey: "k", HTTPClient: srv.Client()})
	r, err := c.OCR(context.Background(), OCRRequest{Pages: []int{2},
		Document: OCRDocument{Type: "document_url", DocumentURL: "data:application/pdf;base64,JVBERg=="}})
	if err != nil || len(r.Pages) != 1 || r.Pages[0].Index != 2 || r.Pages[0].Markdown != "%PDF #2" || r.Model != DefaultOCRModel {
		t.Fatalf("answer %+v, err %v", r, err)
	}
	_, err = New(Config{BaseURL: srv.URL, APIKey: "nope", HTTPClient: srv.Client()}).OCR(context.Background(), OCRRequest{})
	if err == nil || err.Error() != "POST /v1/ocr: HTTP 401 (unauthorized)" {
		t.Errorf("wrong key: %v", err)
	}
}

func TestBackoffFullJitter(t *testing.T) {
	c := New(Config{Retry: Retry{Base: 100 * time.Millisecond, Ceiling: time.Second}})
	for attempt, ceil := range []time.Duration{100 * time.Millisecond, 200 * time.Millisecond, 400 * time.Millisecond, 800 * time.Millisecond, time.Second, time.Second} {
		var hi time.Duration
		for range 2000 {
			d := c.backoff(attempt)
			if d < 0 || d > ceil {
				t.Fatalf("attempt %d: backoff %v outside [0, %v]", attempt, d, ceil)
			}
			hi = max(hi, d)
		}
		if hi < ceil/2 {
			t.Errorf("attempt %d: largest of 2000 draws %v, want near %v (jitter spans the range)", attempt, hi, ceil)
		}
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"3", 3 * time.Second, true},
		{"0", 0, true},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second, true},
		{now.Add(-time.Hour).Format(http.TimeFormat), 0, true},
		{"soon", 0, false},
		{"", 0, false},
	} {
		got, ok := ParseRetryAfter(tc.in, now)
		if got != tc.want || ok != tc.ok {
			t.Errorf("ParseRetryAfter(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

// TestConnectionError: a server that is gone is retried, then reported with
// the transport's reason; Reason (what a document's failure shows) stays short.
func TestConnectionError(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	base := srv.URL
	srv.Close()
	c := New(Config{BaseURL: base, APIKey: "sk-secret", Clock: fake.NewClock(), Retry: Retry{Max: 1}})
	_, attempts, err := c.ChatCompletion(context.Background(), chatBody(t), 0)
	var ae *Error
	if !errors.As(err, &ae) || attempts != 2 || ae.Reason() != "gave up after 2 attempts: connection error" || ae.Err == nil {
		t.Fatalf("err %v after %d attempts", err, attempts)
	}
	if !strings.HasPrefix(err.Error(), "POST /v1/chat/completions: gave up after 2 attempts: connection error: ") || strings.Contains(err.Error(), "sk-secret") {
		t.Errorf("error %q", err)
	}
}
