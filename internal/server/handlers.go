package server

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/sourcegraph/conc"
	"io/fs"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/piimask/piimask/record"
	"github.com/piimask/piimask/stages/detect"
	"github.com/piimask/piimask/stages/mask"
)

//go:embed ui/index.html ui/app.js ui/app.css openapi.json
var assets embed.FS

// allowedMethod returns the HTTP method of a route, for 405 answers.
func allowedMethod(path string) (string, bool) {
	switch path {
	case "/", "/app.js", "/app.css", "/openapi.json", "/healthz", "/readyz", "/metrics", "/v1/methods":
		return http.MethodGet, true
	case "/v1/detect", "/v1/mask":
		return http.MethodPost, true
	}
	return "", false
}

const csp = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// routes builds the mux with middleware.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	ui, _ := fs.Sub(assets, "ui")
	static := http.FileServerFS(ui)
	handle := func(pattern, route string, h http.HandlerFunc, auth bool) {
		mux.Handle(pattern, s.instrument(route, auth, h))
	}
	handle("GET /{$}", "/", func(w http.ResponseWriter, r *http.Request) { static.ServeHTTP(w, r) }, false)
	for _, f := range []string{"app.js", "app.css"} {
		handle("GET /"+f, "/"+f, func(w http.ResponseWriter, r *http.Request) { static.ServeHTTP(w, r) }, false)
	}
	handle("GET /openapi.json", "/openapi.json", s.handleOpenAPI, false)
	handle("GET /healthz", "/healthz", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	}, false)
	handle("GET /readyz", "/readyz", s.handleReady, false)
	handle("GET /metrics", "/metrics", s.metrics.handler().ServeHTTP, true)
	handle("GET /v1/methods", "/v1/methods", s.handleMethods, true)
	handle("POST /v1/detect", "/v1/detect", func(w http.ResponseWriter, r *http.Request) { s.handleAnalyse(w, r, false) }, true)
	handle("POST /v1/mask", "/v1/mask", func(w http.ResponseWriter, r *http.Request) { s.handleAnalyse(w, r, true) }, true)
	handle("OPTIONS /v1/", "/v1/*", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) }, false)
	handle("/", "other", func(w http.ResponseWriter, r *http.Request) {
		if allow, ok := allowedMethod(r.URL.Path); ok {
			w.Header().Set("Allow", allow)
			writeError(w, errorf(http.StatusMethodNotAllowed, "method_not_allowed", "%s %s is not allowed (use %s)", r.Method, r.URL.Path, allow))
			return
		}
		writeError(w, errorf(http.StatusNotFound, "not_found", "no route %s %s", r.Method, r.URL.Path))
	}, false)
	return mux
}

// statusWriter records the status code for metrics and logs.
type statusWriter struct {
	http.ResponseWriter
	code  int
	bytes int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.code == 0 {
		w.code = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

// instrument adds security headers, CORS, auth, metrics and a log line (no
// text, no query string) around h.
func (s *Server) instrument(route string, auth bool, h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		hdr := w.Header()
		hdr.Set("Content-Security-Policy", csp)
		hdr.Set("X-Content-Type-Options", "nosniff")
		hdr.Set("Referrer-Policy", "no-referrer")
		hdr.Set("X-Frame-Options", "DENY")
		hdr.Set("Cross-Origin-Opener-Policy", "same-origin")
		hdr.Set("Cache-Control", "no-store")
		sw := &statusWriter{ResponseWriter: w}
		if origin := r.Header.Get("Origin"); origin != "" && slices.Contains(s.opts.CORSOrigins, origin) {
			hdr.Set("Access-Control-Allow-Origin", origin)
			hdr.Set("Vary", "Origin")
			hdr.Set("Access-Control-Allow-Headers", "Content-Type, Authorization, X-API-Key")
			hdr.Set("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
			hdr.Set("Access-Control-Max-Age", "600")
		}
		switch {
		case r.Method == http.MethodOptions && route == "/v1/*" && hdr.Get("Access-Control-Allow-Origin") == "":
			writeError(sw, errorf(http.StatusForbidden, "cors_forbidden", "cross-origin requests are not allowed from this origin"))
		case auth && !s.authorized(r):
			hdr.Set("WWW-Authenticate", `Bearer realm="piimask"`)
			writeError(sw, errorf(http.StatusUnauthorized, "unauthorized", "missing or wrong API key (Authorization: Bearer KEY or X-API-Key: KEY)"))
		default:
			h(sw, r)
		}
		if sw.code == 0 {
			sw.code = http.StatusOK
		}
		d := time.Since(start)
		code := strconv.Itoa(sw.code)
		s.metrics.requests.WithLabelValues(route, code).Inc()
		s.metrics.duration.WithLabelValues(route).Observe(d.Seconds())
		s.log.Debug("request", "method", r.Method, "route", route, "status", sw.code, "duration_ms", d.Milliseconds(), "request_bytes", r.ContentLength, "response_bytes", sw.bytes)
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	_ = enc.Encode(v) // the client went away: nothing to do
}

func writeError(w http.ResponseWriter, e *apiError) {
	writeJSON(w, e.Status, e)
}

func (s *Server) handleOpenAPI(w http.ResponseWriter, r *http.Request) {
	data, err := assets.ReadFile("openapi.json")
	if err != nil {
		writeError(w, errorf(http.StatusInternalServerError, "internal", "OpenAPI document missing"))
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, _ = w.Write(data)
}

func (s *Server) handleReady(w http.ResponseWriter, r *http.Request) {
	if s.draining.Load() {
		writeError(w, errorf(http.StatusServiceUnavailable, "shutting_down", "the server is shutting down"))
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"status": "ready", "methods": len(s.methods)})
}

// methodInfo describes a method in GET /v1/methods.
type methodInfo struct {
	Name     string   `json:"name"`
	Type     string   `json:"type"`
	Classes  []string `json:"classes"`
	Batching bool     `json:"batching"`
	MaxBatch int      `json:"max_batch"`
	Workers  int      `json:"workers"`
}

// methodsResponse is GET /v1/methods.
type methodsResponse struct {
	Methods   []methodInfo `json:"methods"`
	Classes   []string     `json:"classes"`
	Operators []string     `json:"operators"`
	Limits    struct {
		MaxBodyBytes int64  `json:"max_body_bytes"`
		MaxTextChars int    `json:"max_text_chars"`
		PDF          bool   `json:"pdf"`
		PDFOCR       string `json:"pdf_ocr"`
	} `json:"limits"`
	// Policy is /v1/mask's default operator and methods, and what a
	// request may override.
	Policy policyInfo `json:"policy"`
}

func (s *Server) handleMethods(w http.ResponseWriter, r *http.Request) {
	var resp methodsResponse
	for _, m := range s.methods {
		b := s.batchers[m.Name]
		resp.Methods = append(resp.Methods, methodInfo{Name: m.Name, Type: m.Type, Classes: m.Classes, Batching: b.lim.Batching, MaxBatch: b.lim.MaxBatch, Workers: b.lim.Workers})
	}
	resp.Classes = s.classes
	resp.Operators = s.operators()
	p := s.opts.Policy
	resp.Policy = policyInfo{Operator: effectiveOperator(p.Default), Methods: p.Methods, Overridable: p.Overridable, MaxEntries: p.MaxEntries, MaxTermChars: p.MaxTermChars}
	if resp.Policy.Methods == nil {
		resp.Policy.Methods = []string{s.methods[0].Name}
	}
	resp.Limits.MaxBodyBytes = s.opts.MaxBodyBytes
	resp.Limits.MaxTextChars = s.opts.MaxTextChars
	resp.Limits.PDF = s.opts.PDF != nil
	if resp.Limits.PDF {
		resp.Limits.PDFOCR = s.opts.PDFOCR
	}
	writeJSON(w, http.StatusOK, resp)
}

func (s *Server) operators() []string {
	var out []string
	for _, op := range mask.OperatorTypes() {
		if s.available[op] {
			out = append(out, op)
		}
	}
	return out
}

// Entity is one detected span in an API response.
type Entity struct {
	Start int     `json:"start"`
	End   int     `json:"end"`
	Label string  `json:"label"`
	Score float64 `json:"score,omitempty"`
	Text  string  `json:"text"`
}

// MethodResult is one method's answer in an API response.
type MethodResult struct {
	Method   string   `json:"method"`
	Entities []Entity `json:"entities"`
	// Masked is the masked text (/v1/mask only).
	Masked string `json:"masked,omitempty"`
	// Replacements are the masked spans (/v1/mask only).
	Replacements []Replacement `json:"replacements,omitempty"`
	// Failure is set when the method gave no answer for this text.
	Failure string  `json:"failure,omitempty"`
	Millis  float64 `json:"ms"`
}

// Replacement is one masked span: offsets in the original and the masked text.
type Replacement struct {
	Label       string `json:"label"`
	Start       int    `json:"start"`
	End         int    `json:"end"`
	MaskedStart int    `json:"masked_start"`
	MaskedEnd   int    `json:"masked_end"`
	Replacement string `json:"replacement"`
}

// AnalyseResponse is the answer of /v1/detect and /v1/mask.
type AnalyseResponse struct {
	// Text is the analysed text (extracted from an uploaded file if any).
	Text     string         `json:"text"`
	Source   string         `json:"source"`
	Chars    int            `json:"chars"`
	Operator string         `json:"operator,omitempty"`
	Classes  []string       `json:"classes,omitempty"`
	Results  []MethodResult `json:"results"`
	// Masked is the text masked with every method's spans together, under
	// the policy's ensemble (/v1/mask only); Results[i].Masked uses one
	// method's spans.
	Masked string `json:"masked,omitempty"`
	// Replacements are the masked spans of Masked.
	Replacements []Replacement `json:"replacements,omitempty"`
}

// handleAnalyse serves /v1/detect (withMask false) and /v1/mask.
func (s *Server) handleAnalyse(w http.ResponseWriter, r *http.Request, withMask bool) {
	s.inflight.Add(1)
	defer s.inflight.Add(-1)
	ctx, cancel := context.WithTimeout(r.Context(), s.opts.RequestTimeout)
	defer cancel()
	if s.draining.Load() {
		writeError(w, errorf(http.StatusServiceUnavailable, "shutting_down", "the server is shutting down"))
		return
	}
	req, ae := s.readRequest(ctx, w, r)
	if ae != nil {
		writeError(w, ae)
		return
	}
	mk, ae := s.validate(req, withMask)
	if ae != nil {
		writeError(w, ae)
		return
	}
	chars := record.CodePointLen(req.Text)
	s.metrics.inputChars.Observe(float64(chars))
	resp := AnalyseResponse{Text: req.Text, Source: req.source, Chars: chars, Classes: req.Classes, Results: make([]MethodResult, len(req.Methods))}
	if withMask {
		resp.Operator = req.Operator
	}
	// The methods of one request run concurrently, each through its own batcher.
	errs := make([]error, len(req.Methods))
	kept := make([]mask.MethodSpans, len(req.Methods))
	var wg conc.WaitGroup // a panic in one method re-panics in the handler, after all return
	for i, name := range req.Methods {
		wg.Go(func() {
			start := time.Now()
			pred, err := s.batchers[name].submit(ctx, record.Record{ID: "request", Text: req.Text})
			if err != nil {
				errs[i] = err
				if errors.Is(err, ErrQueueFull) {
					s.metrics.rejected.WithLabelValues(name).Inc()
				}
				return
			}
			res, spans, err := s.result(name, req, pred, mk)
			res.Millis = float64(time.Since(start).Microseconds()) / 1000
			resp.Results[i], kept[i], errs[i] = res, mask.MethodSpans{Method: name, Spans: spans}, err
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err == nil {
			continue
		}
		switch {
		case errors.Is(err, ErrQueueFull):
			w.Header().Set("Retry-After", "1")
			writeError(w, errorf(http.StatusTooManyRequests, "queue_full", "method %s is busy; retry after 1s", req.Methods[i]))
		case errors.Is(err, context.DeadlineExceeded):
			writeError(w, errorf(http.StatusGatewayTimeout, "timeout", "the request did not finish within %s", s.opts.RequestTimeout))
		case errors.Is(err, context.Canceled):
			writeError(w, errorf(499, "client_closed", "the request was cancelled"))
		case errors.Is(err, errStopped):
			writeError(w, errorf(http.StatusServiceUnavailable, "shutting_down", "the server is shutting down"))
		default:
			// The error is not logged as text: an API method's error may quote the document.
			s.log.Error("method failed", "method", req.Methods[i], "error_type", fmt.Sprintf("%T", errors.Unwrap(err)))
			writeError(w, errorf(http.StatusInternalServerError, "method_failed", "method %s failed", req.Methods[i]))
		}
		return
	}
	if mk != nil {
		out, err := mk.Mask(req.Text, kept)
		if err != nil {
			s.log.Error("mask failed", "error_type", fmt.Sprintf("%T", err))
			writeError(w, errorf(http.StatusInternalServerError, "mask_failed", "masking failed"))
			return
		}
		resp.Masked, resp.Replacements = out.Text, replacements(out)
	}
	writeJSON(w, http.StatusOK, resp)
}

// validate checks the request's text, methods, classes and policy, filling
// defaults; for /v1/mask it returns the request's masker.
func (s *Server) validate(req *apiRequest, withMask bool) (*mask.Masker, *apiError) {
	if strings.TrimSpace(req.Text) == "" {
		return nil, errorf(http.StatusBadRequest, "empty_text", "the text is empty")
	}
	if n := record.CodePointLen(req.Text); n > s.opts.MaxTextChars {
		return nil, errorf(http.StatusRequestEntityTooLarge, "text_too_large", "the text has %d characters; the limit is %d", n, s.opts.MaxTextChars)
	}
	seen := map[string]bool{}
	for _, m := range req.Methods {
		if _, ok := s.byName[m]; !ok {
			return nil, errorf(http.StatusBadRequest, "unknown_method", "unknown method %q (known: %s)", m, strings.Join(s.methodNames(), ", "))
		}
		if seen[m] {
			return nil, errorf(http.StatusBadRequest, "duplicate_method", "method %q is listed twice", m)
		}
		seen[m] = true
	}
	for _, c := range req.Classes {
		if !s.known[c] {
			return nil, errorf(http.StatusBadRequest, "unknown_class", "unknown class %q (GET /v1/methods lists the classes)", c)
		}
	}
	if !withMask {
		if len(req.Methods) == 0 {
			req.Methods = []string{s.methods[0].Name}
		}
		if req.Operator != "" {
			return nil, errorf(http.StatusBadRequest, "operator_not_allowed", "operator applies to /v1/mask only")
		}
		if req.Policy != nil {
			return nil, errorf(http.StatusBadRequest, "policy_not_allowed", "policy applies to /v1/mask only")
		}
		return nil, nil
	}
	mk, op, ae := s.requestMasker(req)
	if ae != nil {
		return nil, ae
	}
	req.Operator = op
	if len(req.Methods) == 0 {
		req.Methods = s.opts.Policy.Methods
		if len(req.Methods) == 0 {
			req.Methods = []string{s.methods[0].Name}
		}
	}
	return mk, nil
}

func (s *Server) methodNames() []string {
	out := make([]string, len(s.methods))
	for i, m := range s.methods {
		out[i] = m.Name
	}
	return out
}

// result filters a prediction by class and, when mk is set, masks the text
// with its spans; it returns the spans kept.
func (s *Server) result(name string, req *apiRequest, pred detect.Prediction, mk *mask.Masker) (MethodResult, []record.Span, error) {
	res := MethodResult{Method: name, Failure: pred.Failure, Entities: []Entity{}}
	off := record.NewOffsets(req.Text)
	var keep map[string]bool
	if len(req.Classes) > 0 {
		keep = map[string]bool{}
		for _, c := range req.Classes {
			keep[c] = true
		}
	}
	spans := make([]record.Span, 0, len(pred.Spans))
	for _, sp := range pred.Spans {
		if keep != nil && !keep[sp.Label] {
			continue
		}
		txt, err := off.Slice(req.Text, sp.Start, sp.End)
		if err != nil || sp.End <= sp.Start {
			continue // a method's out-of-range span is dropped, as the masker does
		}
		spans = append(spans, sp)
		res.Entities = append(res.Entities, Entity{Start: sp.Start, End: sp.End, Label: sp.Label, Score: sp.Score, Text: txt})
	}
	if mk == nil {
		return res, spans, nil
	}
	out, err := mk.Mask(req.Text, []mask.MethodSpans{{Method: name, Spans: spans}})
	if err != nil {
		return res, spans, err
	}
	res.Masked, res.Replacements = out.Text, replacements(out)
	return res, spans, nil
}

// replacements lists a masked result's spans for the API (no originals).
func replacements(out mask.Result) []Replacement {
	reps := make([]Replacement, len(out.Replacements))
	for i, rp := range out.Replacements {
		reps[i] = Replacement{Label: rp.Label, Start: rp.Start, End: rp.End, MaskedStart: rp.MaskedStart, MaskedEnd: rp.MaskedEnd, Replacement: rp.Replacement}
	}
	return reps
}
