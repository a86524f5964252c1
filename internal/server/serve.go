package server

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/piimask/piimask/labels"
	"github.com/piimask/piimask/stages/detect"
	"github.com/piimask/piimask/stages/mask"
)

// Method is one served detection method.
type Method struct {
	// Name is the method's name in the config and the API.
	Name string
	// Type is the method type (rules, onnx, llm, …).
	Type string
	// Detector is the loaded method; the server does not close it.
	Detector detect.Method
	// Classes are the classes the method can find (default: ClassesOf).
	Classes []string
	// Limits bound how the method runs requests.
	Limits Limits
}

// Options configure a Server. Zero values mean the defaults in DefaultOptions.
type Options struct {
	// MaxBodyBytes caps a request body, uploads included.
	MaxBodyBytes int64
	// MaxTextChars caps the analysed text, in code points.
	MaxTextChars int
	// RequestTimeout bounds one request, queueing included.
	RequestTimeout time.Duration
	// ShutdownTimeout bounds the graceful shutdown.
	ShutdownTimeout time.Duration
	// APIKey, when not empty, is required on /v1 and /metrics as
	// `Authorization: Bearer KEY` or `X-API-Key: KEY`.
	APIKey string
	// CORSOrigins are the origins allowed cross-origin calls (none: CORS off).
	CORSOrigins []string
	// PDF extracts uploaded PDFs (nil: PDF uploads answer 415); see PDFText.
	PDF PDFExtractor
	// PDFOCR names the OCR engine PDF reads pages without a text layer
	// with ("": none), for messages and GET /v1/methods.
	PDFOCR string
	// Keys are the secrets of the keyed mask operators (hash, pseudonym,
	// encrypt); an operator without its key is not offered.
	Keys mask.Keys
	// Policy is POST /v1/mask's default masking policy and what a request
	// may override (policy.go).
	Policy PolicyOptions
	// Logger receives request logs: route, status, duration, sizes, never text.
	Logger *slog.Logger
}

// DefaultOptions returns the defaults applied to zero Options fields.
func DefaultOptions() Options {
	return Options{
		MaxBodyBytes:    10 << 20,
		MaxTextChars:    100_000,
		RequestTimeout:  30 * time.Second,
		ShutdownTimeout: 20 * time.Second,
	}
}

// DefaultLimits returns the default limits of a CPU-bound method.
func DefaultLimits() Limits {
	return Limits{Workers: runtime.GOMAXPROCS(0), Queue: 256, Batching: true, MaxBatch: 32, BatchWait: 2 * time.Millisecond}
}

// Server serves the UI and the API. Build it with New; Handler gives the
// http.Handler, Serve runs it on a listener until its context ends.
type Server struct {
	opts     Options
	methods  []Method
	byName   map[string]int
	batchers map[string]*batcher
	// available are the operators the server can apply (keyed ones need
	// their key).
	available map[string]bool
	// defaultMasker applies Options.Policy.Default; overridable are the
	// fields a request may set.
	defaultMasker *mask.Masker
	overridable   map[string]bool
	classes       []string // every class any method can find, plus the AI4Privacy set
	known         map[string]bool
	metrics       *metrics
	log           *slog.Logger
	handler       http.Handler
	draining      atomic.Bool
	// inflight counts /v1/detect and /v1/mask requests in progress.
	inflight atomic.Int64
}

// New builds a server over methods (at least one). Methods stay owned by
// the caller, who closes them after Serve returns.
func New(methods []Method, opts Options) (*Server, error) {
	if len(methods) == 0 {
		return nil, errors.New("serve: no methods to serve")
	}
	def := DefaultOptions()
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = def.MaxBodyBytes
	}
	if opts.MaxTextChars <= 0 {
		opts.MaxTextChars = def.MaxTextChars
	}
	if opts.RequestTimeout <= 0 {
		opts.RequestTimeout = def.RequestTimeout
	}
	if opts.ShutdownTimeout <= 0 {
		opts.ShutdownTimeout = def.ShutdownTimeout
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	s := &Server{opts: opts, byName: map[string]int{}, batchers: map[string]*batcher{}, available: map[string]bool{},
		known: map[string]bool{}, metrics: newMetrics(), log: opts.Logger}
	for _, c := range labels.All() {
		s.known[c] = true
	}
	for i, m := range methods {
		if m.Name == "" || m.Detector == nil {
			return nil, fmt.Errorf("serve: method %d has no name or detector", i)
		}
		if _, dup := s.byName[m.Name]; dup {
			return nil, fmt.Errorf("serve: duplicate method name %q", m.Name)
		}
		if len(m.Classes) == 0 {
			m.Classes = ClassesOf(m.Detector)
		}
		for _, c := range m.Classes {
			s.known[c] = true
		}
		s.byName[m.Name] = i
		s.methods = append(s.methods, m)
	}
	for c := range s.known {
		s.classes = append(s.classes, c)
	}
	slices.Sort(s.classes)
	for _, op := range mask.OperatorTypes() {
		if _, err := mask.New(mask.Config{Default: mask.OperatorSpec{Type: op}, Keys: opts.Keys}); err != nil {
			continue // keyed operator without its key: not offered
		}
		s.available[op] = true
	}
	if err := s.setupPolicy(); err != nil {
		return nil, err
	}
	for _, m := range s.methods {
		s.batchers[m.Name] = newBatcher(m.Name, m.Detector, m.Limits, s.metrics, &s.inflight)
	}
	s.handler = s.routes()
	return s, nil
}

// ClassesOf asks a method which classes it finds: rules methods list their
// enabled classes, token classifiers their B-/I- labels; otherwise the
// AI4Privacy set.
func ClassesOf(m detect.Method) []string {
	if e, ok := m.(interface{ EnabledClasses() []string }); ok {
		return e.EnabledClasses()
	}
	if l, ok := m.(interface{ Labels() []string }); ok {
		seen := map[string]bool{}
		var out []string
		for _, lab := range l.Labels() {
			c := lab
			if len(c) > 2 && (c[:2] == "B-" || c[:2] == "I-" || c[:2] == "E-" || c[:2] == "S-" || c[:2] == "L-" || c[:2] == "U-") {
				c = c[2:]
			}
			if c == "O" || c == "" || seen[c] {
				continue
			}
			seen[c] = true
			out = append(out, c)
		}
		slices.Sort(out)
		return out
	}
	return labels.All()
}

// Handler is the server's http.Handler (UI, API, middleware).
func (s *Server) Handler() http.Handler { return s.handler }

// Serve answers requests on ln until ctx ends (SIGTERM, say), then shuts
// down gracefully: /readyz turns 503, the listener closes, requests in
// flight finish (bounded by ShutdownTimeout) and the method workers drain.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	hs := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       s.opts.RequestTimeout + 10*time.Second,
		WriteTimeout:      s.opts.RequestTimeout + 10*time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return errors.Join(fmt.Errorf("serve: %w", err), s.stopBatchers(context.Background()))
	case <-ctx.Done():
	}
	s.draining.Store(true)
	s.log.Info("shutting down", "timeout", s.opts.ShutdownTimeout)
	sctx, cancel := context.WithTimeout(context.Background(), s.opts.ShutdownTimeout)
	defer cancel()
	err := hs.Shutdown(sctx)
	if berr := s.stopBatchers(sctx); err == nil {
		err = berr
	}
	if serr := <-errc; !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	if err != nil {
		return fmt.Errorf("serve: shutdown: %w", err)
	}
	return nil
}

// Close stops the method workers of a server used only through Handler
// (tests); Serve does this itself.
func (s *Server) Close() error {
	s.draining.Store(true)
	return s.stopBatchers(context.Background())
}

func (s *Server) stopBatchers(ctx context.Context) error {
	var errs []error
	for _, m := range s.methods {
		if err := s.batchers[m.Name].stop(ctx); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// authorized checks the API key in constant time.
func (s *Server) authorized(r *http.Request) bool {
	if s.opts.APIKey == "" {
		return true
	}
	got := r.Header.Get("X-API-Key")
	if got == "" {
		if auth := r.Header.Get("Authorization"); strings.HasPrefix(auth, "Bearer ") {
			got = strings.TrimPrefix(auth, "Bearer ")
		}
	}
	return subtle.ConstantTimeCompare([]byte(got), []byte(s.opts.APIKey)) == 1
}
