package llmapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"golang.org/x/time/rate"
)

// DefaultBaseURL is the Mistral API.
const DefaultBaseURL = "https://api.mistral.ai"

// EnvAPIKey is the environment variable holding the Mistral API key.
const EnvAPIKey = "MISTRAL_API_KEY"

// DefaultTimeout bounds one attempt when Config.Timeout is 0.
const DefaultTimeout = 2 * time.Minute

// Clock tells the time and sleeps. Tests inject a fake one so rate limits,
// backoff, Retry-After and polling are checked without waiting.
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

// Retry is the retry policy of repeatable requests.
type Retry struct {
	// Max is the number of retries after the first attempt (0: none).
	Max int
	// Base and Ceiling bound the exponential backoff with full jitter:
	// retry n waits uniform in [0, min(Ceiling, Base·2^n)] (defaults 500ms
	// and 30s).
	Base, Ceiling time.Duration
}

// Limits are client-side rate limits; zero values are off.
type Limits struct {
	// RequestsPerSecond paces requests, with Burst (default 1: evenly).
	RequestsPerSecond float64
	Burst             int
	// TokensPerMinute paces chat requests by their estimated tokens.
	TokensPerMinute float64
}

// Attempt describes one HTTP attempt, for Config.OnAttempt.
type Attempt struct {
	// Endpoint is the path, such as "/v1/chat/completions".
	Endpoint string
	// Status is the HTTP status, 0 when no response came back.
	Status int
	Took   time.Duration
	// Retry is true for the second and later attempts of a request.
	Retry bool
}

// Config configures a Client. Only BaseURL and APIKey matter to most
// callers; the rest have defaults.
type Config struct {
	// BaseURL is the server root (DefaultBaseURL when empty; a trailing
	// slash or /v1 is accepted).
	BaseURL string
	// APIKey is sent as a Bearer token ("" sends no Authorization header).
	APIKey string
	// HTTPClient sends requests (default: a new http.Client; the
	// per-attempt timeout is Timeout).
	HTTPClient *http.Client
	// Timeout bounds one attempt, the answer's body included
	// (DefaultTimeout when 0).
	Timeout time.Duration
	// Retry applies to chat completions and OCR.
	Retry Retry
	// Limits pace every request.
	Limits Limits
	// Clock paces limits, backoff and polls (default RealClock).
	Clock Clock
	// Logger receives retries at debug level (default: discard).
	Logger *slog.Logger
	// OnAttempt, when set, is called after every HTTP attempt.
	OnAttempt func(ctx context.Context, a Attempt)
	// MaxResponseBytes caps the bytes read from an answer (0: no cap).
	MaxResponseBytes int64
}

// Client talks to one server. It is safe for concurrent use.
type Client struct {
	cfg  Config
	base string
	rps  *rate.Limiter
	tpm  *rate.Limiter
}

// New returns a client with cfg's defaults applied.
func New(cfg Config) *Client {
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{}
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.Retry.Max < 0 {
		cfg.Retry.Max = 0
	}
	if cfg.Retry.Base <= 0 {
		cfg.Retry.Base = 500 * time.Millisecond
	}
	if cfg.Retry.Ceiling <= 0 {
		cfg.Retry.Ceiling = 30 * time.Second
	}
	if cfg.Clock == nil {
		cfg.Clock = RealClock{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	c := &Client{cfg: cfg, base: TrimBaseURL(cfg.BaseURL)}
	if l := cfg.Limits; l.RequestsPerSecond > 0 {
		c.rps = rate.NewLimiter(rate.Limit(l.RequestsPerSecond), max(1, l.Burst))
	}
	if l := cfg.Limits; l.TokensPerMinute > 0 {
		c.tpm = rate.NewLimiter(rate.Limit(l.TokensPerMinute/60), max(1, int(l.TokensPerMinute)))
	}
	return c
}

// TrimBaseURL drops trailing slashes and a trailing /v1 from a base URL.
func TrimBaseURL(u string) string {
	return strings.TrimSuffix(strings.TrimRight(u, "/"), "/v1")
}

// BaseURL is the server root the client sends to (no /v1).
func (c *Client) BaseURL() string { return c.base }

// Limits reports the client-side limits in force (requests/s, burst,
// tokens/min), 0 when off.
func (c *Client) Limits() (rps float64, burst int, tpm float64) {
	if c.rps != nil {
		rps, burst = float64(c.rps.Limit()), c.rps.Burst()
	}
	if c.tpm != nil {
		tpm = float64(c.tpm.Limit()) * 60
	}
	return rps, burst, tpm
}

// Error is why a request gave no usable answer.
type Error struct {
	// Method and Endpoint name the request ("POST", "/v1/files").
	Method, Endpoint string
	// Status is the HTTP status; 0 when no response came back.
	Status int
	// Type is the provider's error type or code for a 4xx answer, when short.
	Type string
	// Problem says what went wrong besides the status: "timeout after 1m0s",
	// "connection error", "truncated body", or why a 2xx body is unusable.
	Problem string
	// Attempts is how many HTTP attempts were made.
	Attempts int
	// GaveUp is true when the retries ran out.
	GaveUp bool
	// RetryAfter is the server's Retry-After, when it sent one.
	RetryAfter time.Duration
	// Err is the transport error behind a connection error.
	Err error
}

// Reason is the error without the request: "HTTP 400 (bad_request)",
// "gave up after 6 attempts: HTTP 503", "timeout after 1m0s".
func (e *Error) Reason() string {
	var s string
	switch {
	case e.Status != 0 && e.Problem != "":
		s = fmt.Sprintf("HTTP %d with %s", e.Status, e.Problem)
	case e.Status != 0 && e.Type != "":
		s = fmt.Sprintf("HTTP %d (%s)", e.Status, e.Type)
	case e.Status != 0:
		s = fmt.Sprintf("HTTP %d", e.Status)
	default:
		s = e.Problem
	}
	if e.GaveUp {
		s = fmt.Sprintf("gave up after %d attempts: %s", e.Attempts, s)
	}
	return s
}

// Error names the request and the reason.
func (e *Error) Error() string {
	s := e.Method + " " + e.Endpoint + ": " + e.Reason()
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the transport error.
func (e *Error) Unwrap() error { return e.Err }

// retryable reports whether another attempt may succeed.
func (e *Error) retryable() bool {
	st := e.Status
	return st == 0 || st/100 == 2 || st == http.StatusTooManyRequests || st == http.StatusRequestTimeout || st/100 == 5
}

// IsStatus reports whether err is an *Error with the given HTTP status.
func IsStatus(err error, status int) bool {
	var ae *Error
	return errors.As(err, &ae) && ae.Status == status
}

// StatusOf is err's HTTP status (0 when it has none).
func StatusOf(err error) int {
	var ae *Error
	if errors.As(err, &ae) {
		return ae.Status
	}
	return 0
}

// request is one API call.
type request struct {
	method, path string
	contentType  string
	body         []byte
	// retry: the request may be repeated (it creates nothing).
	retry bool
	// tokens are charged to the token limiter.
	tokens int
	// check validates a 2xx body; a failure is an unusable answer.
	check func([]byte) error
}

// do sends r, retrying as the policy allows, and returns the 2xx body.
func (c *Client) do(ctx context.Context, r request) (data []byte, attempts int, err error) {
	for n := 0; ; n++ {
		if err := c.wait(ctx, r.tokens); err != nil {
			return nil, attempts, fmt.Errorf("%s %s: %w", r.method, r.path, err)
		}
		attempts++
		t0 := c.cfg.Clock.Now()
		data, status, err := c.attempt(ctx, r)
		if c.cfg.OnAttempt != nil {
			c.cfg.OnAttempt(ctx, Attempt{Endpoint: r.path, Status: status, Took: c.cfg.Clock.Now().Sub(t0), Retry: n > 0})
		}
		if err == nil {
			return data, attempts, nil
		}
		if err := ctx.Err(); err != nil {
			return nil, attempts, fmt.Errorf("%s %s: %w", r.method, r.path, err)
		}
		var ae *Error
		if !errors.As(err, &ae) {
			return nil, attempts, err
		}
		ae.Attempts = attempts
		if !r.retry || !ae.retryable() {
			return nil, attempts, ae
		}
		if n >= c.cfg.Retry.Max {
			ae.GaveUp = c.cfg.Retry.Max > 0
			return nil, attempts, ae
		}
		d := c.backoff(n)
		if ae.RetryAfter > 0 {
			d = ae.RetryAfter
		}
		c.cfg.Logger.Debug("llm request retry", "status", ae.Status, "attempt", attempts, "wait", d, "endpoint", r.path)
		if err := c.cfg.Clock.Sleep(ctx, d); err != nil {
			return nil, attempts, fmt.Errorf("%s %s: %w", r.method, r.path, err)
		}
	}
}

// wait blocks until the limiters allow a request of tokens tokens.
func (c *Client) wait(ctx context.Context, tokens int) error {
	now := c.cfg.Clock.Now()
	var d time.Duration
	var rs []*rate.Reservation
	if c.rps != nil {
		r := c.rps.ReserveN(now, 1)
		rs = append(rs, r)
		d = max(d, r.DelayFrom(now))
	}
	if c.tpm != nil && tokens > 0 {
		r := c.tpm.ReserveN(now, min(tokens, c.tpm.Burst()))
		rs = append(rs, r)
		d = max(d, r.DelayFrom(now))
	}
	if d <= 0 {
		return nil
	}
	if err := c.cfg.Clock.Sleep(ctx, d); err != nil {
		for _, r := range rs {
			r.CancelAt(c.cfg.Clock.Now())
		}
		return err
	}
	return nil
}

// backoff is the full-jitter delay before retry number n (0-based):
// uniform in [0, min(Ceiling, Base·2^n)].
func (c *Client) backoff(n int) time.Duration {
	ceil := c.cfg.Retry.Ceiling
	if n < 30 {
		if d := c.cfg.Retry.Base << n; d > 0 && d < ceil {
			ceil = d
		}
	}
	return time.Duration(rand.Int64N(int64(ceil) + 1))
}

// attempt makes one HTTP request; status is 0 when no response came back.
func (c *Client) attempt(ctx context.Context, r request) (data []byte, status int, err error) {
	fail := func(status int, problem string, err error) *Error {
		return &Error{Method: r.method, Endpoint: r.path, Status: status, Problem: problem, Err: err}
	}
	actx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	var body io.Reader
	if r.body != nil {
		body = bytes.NewReader(r.body)
	}
	req, err := http.NewRequestWithContext(actx, r.method, c.base+r.path, body)
	if err != nil {
		return nil, 0, fmt.Errorf("%s %s: build request: %w", r.method, r.path, err)
	}
	if r.contentType != "" {
		req.Header.Set("Content-Type", r.contentType)
	}
	req.Header.Set("Accept", "application/json")
	if c.cfg.APIKey != "" {
		req.Header.Set("Authorization", "Bearer "+c.cfg.APIKey)
	}
	resp, err := c.cfg.HTTPClient.Do(req)
	if err != nil {
		if isTimeout(err) {
			return nil, 0, fail(0, fmt.Sprintf("timeout after %s", c.cfg.Timeout), nil)
		}
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // the transport error, without the request line
		}
		return nil, 0, fail(0, "connection error", err)
	}
	defer resp.Body.Close()
	var rd io.Reader = resp.Body
	if c.cfg.MaxResponseBytes > 0 {
		rd = io.LimitReader(rd, c.cfg.MaxResponseBytes)
	}
	data, rerr := io.ReadAll(rd)
	st := resp.StatusCode
	if st/100 != 2 {
		ae := fail(st, "", nil)
		if !ae.retryable() {
			ae.Type = errorType(data)
		}
		ae.RetryAfter, _ = ParseRetryAfter(resp.Header.Get("Retry-After"), c.cfg.Clock.Now())
		return nil, st, ae
	}
	switch {
	case rerr != nil && isTimeout(rerr):
		return nil, st, fail(0, fmt.Sprintf("timeout after %s", c.cfg.Timeout), nil)
	case rerr != nil:
		return nil, st, fail(0, "truncated body", nil)
	}
	if r.check != nil {
		if err := r.check(data); err != nil {
			return nil, st, fail(st, err.Error(), nil)
		}
	}
	return data, st, nil
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
}

// errorType returns the type or code field of an error body; the message
// is left out as it may quote the request (PII).
func errorType(data []byte) string {
	var e struct {
		Type any `json:"type"`
		Code any `json:"code"`
	}
	if json.Unmarshal(data, &e) != nil {
		return ""
	}
	for _, v := range []any{e.Type, e.Code} {
		if s, ok := v.(string); ok && s != "" && len(s) < 64 {
			return s
		}
	}
	return ""
}

// ParseRetryAfter reads a Retry-After header: delay-seconds or an HTTP date.
func ParseRetryAfter(v string, now time.Time) (time.Duration, bool) {
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

// callJSON sends in (nil: no body) as JSON and decodes the answer as a T.
// Such requests are not retried.
func callJSON[T any](ctx context.Context, c *Client, method, path string, in any) (T, error) {
	var out T
	r := request{method: method, path: path}
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return out, fmt.Errorf("%s %s: encode: %w", method, path, err)
		}
		r.body, r.contentType = b, "application/json"
	}
	data, _, err := c.do(ctx, r)
	if err != nil {
		return out, err
	}
	if err := json.Unmarshal(data, &out); err != nil {
		return out, fmt.Errorf("%s %s: decode answer: %w", method, path, err)
	}
	return out, nil
}
