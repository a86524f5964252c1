package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"sync/atomic"
	"time"

	"github.com/sourcegraph/conc"
	"golang.org/x/sync/errgroup"

	"github.com/piimask/piimask/stages/generate"
)

// LoadSpec is one load run against a running server.
type LoadSpec struct {
	// BaseURL is the server, e.g. http://127.0.0.1:8080.
	BaseURL string
	// Path is the endpoint (default /v1/detect).
	Path string
	// Method is the detection method to call.
	Method string
	// APIKey is sent as a bearer token when set.
	APIKey string
	// Clients is the number of concurrent clients, each sending one request
	// at a time.
	Clients int
	// Requests bounds the run's request count (all clients together).
	Requests int
	// MaxDuration bounds the run's time; the run stops early when reached.
	MaxDuration time.Duration
	// Texts are sent round-robin.
	Texts []string
}

// LoadResult is what a load run measured.
type LoadResult struct {
	Clients  int
	Requests int
	// Errors counts non-200 answers and transport errors.
	Errors  int
	Elapsed time.Duration
	// RPS is successful requests per second.
	RPS      float64
	P50, P95 time.Duration
}

// Load sends requests from spec.Clients concurrent clients until
// spec.Requests were sent or spec.MaxDuration passed.
func Load(ctx context.Context, client *http.Client, spec LoadSpec) (LoadResult, error) {
	if spec.Clients <= 0 || spec.Requests <= 0 || len(spec.Texts) == 0 {
		return LoadResult{}, errors.New("load: need clients, requests and texts")
	}
	if spec.Path == "" {
		spec.Path = "/v1/detect"
	}
	bodies := make([][]byte, len(spec.Texts))
	for i, t := range spec.Texts {
		b, err := json.Marshal(map[string]any{"text": t, "methods": []string{spec.Method}})
		if err != nil {
			return LoadResult{}, fmt.Errorf("load: %w", err)
		}
		bodies[i] = b
	}
	if spec.MaxDuration > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, spec.MaxDuration)
		defer cancel()
	}
	run := &loadRun{ctx: ctx, client: client, spec: spec, bodies: bodies}
	lat := make([][]time.Duration, spec.Clients)
	var wg conc.WaitGroup
	start := time.Now()
	for c := range spec.Clients {
		wg.Go(func() { lat[c] = run.client1() })
	}
	wg.Wait()
	elapsed := time.Since(start)
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	slices.Sort(all)
	res := LoadResult{Clients: spec.Clients, Requests: len(all), Errors: int(run.errs.Load()), Elapsed: elapsed}
	if len(all) > 0 {
		res.RPS = float64(len(all)) / elapsed.Seconds()
		res.P50 = percentile(all, 0.50)
		res.P95 = percentile(all, 0.95)
	}
	return res, nil
}

// loadRun is the state Load's clients share: the next request's index and
// the error count.
type loadRun struct {
	ctx        context.Context
	client     *http.Client
	spec       LoadSpec
	bodies     [][]byte
	next, errs atomic.Int64
}

// client1 is one client: it sends one request at a time until the run's
// requests are taken or its context ends, and returns the latencies of the
// successful ones.
func (r *loadRun) client1() []time.Duration {
	var lat []time.Duration
	for r.ctx.Err() == nil {
		i := r.next.Add(1) - 1
		if i >= int64(r.spec.Requests) {
			return lat
		}
		req, err := http.NewRequestWithContext(r.ctx, http.MethodPost, r.spec.BaseURL+r.spec.Path, bytes.NewReader(r.bodies[i%int64(len(r.bodies))]))
		if err != nil {
			r.errs.Add(1)
			return lat
		}
		req.Header.Set("Content-Type", "application/json")
		if r.spec.APIKey != "" {
			req.Header.Set("Authorization", "Bearer "+r.spec.APIKey)
		}
		t0 := time.Now()
		resp, err := r.client.Do(req)
		if err != nil {
			if r.ctx.Err() == nil {
				r.errs.Add(1)
			}
			continue
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			r.errs.Add(1)
			continue
		}
		lat = append(lat, time.Since(t0))
	}
	return lat
}

// percentile of sorted durations (nearest rank).
func percentile(sorted []time.Duration, p float64) time.Duration {
	i := int(float64(len(sorted))*p+0.999999) - 1
	i = max(0, min(i, len(sorted)-1))
	return sorted[i]
}

// BenchConfig bounds the benchmark matrix.
type BenchConfig struct {
	// Clients are the concurrency levels (default 1, 8, 16, 32).
	Clients []int
	// Requests per run (default 400).
	Requests int
	// MaxDuration per run (default 20s).
	MaxDuration time.Duration
	// Texts sent round-robin (default: 64 synthetic AI4Privacy-style texts).
	Texts []string
	// Methods to measure, by name (default: every method).
	Methods []string
}

// BenchRow is one line of the benchmark table.
type BenchRow struct {
	Method   string
	Batching bool
	LoadResult
	// Speedup is RPS over the same method's 1-client RPS without batching
	// (the sequential baseline), measured in the same run.
	Speedup float64
}

// BenchTexts returns n synthetic documents (seeded) for load runs.
func BenchTexts(n int) ([]string, error) {
	g, err := generate.New(generate.Config{Seed: 11, N: n})
	if err != nil {
		return nil, fmt.Errorf("bench texts: %w", err)
	}
	out := make([]string, 0, n)
	for row := range g.All() {
		out = append(out, row.SourceText)
	}
	return out, nil
}

// Bench starts two servers on loopback over the same loaded methods, one with
// micro-batching and one without, and runs every method at every client
// count against both. Rows come in a stable order: method, batching off then
// on, clients ascending.
func Bench(ctx context.Context, methods []Method, opts Options, cfg BenchConfig) ([]BenchRow, error) {
	if len(cfg.Clients) == 0 {
		cfg.Clients = []int{1, 8, 16, 32}
	}
	if cfg.Requests <= 0 {
		cfg.Requests = 400
	}
	if cfg.MaxDuration <= 0 {
		cfg.MaxDuration = 20 * time.Second
	}
	if len(cfg.Texts) == 0 {
		t, err := BenchTexts(64)
		if err != nil {
			return nil, err
		}
		cfg.Texts = t
	}
	if len(cfg.Methods) == 0 {
		for _, m := range methods {
			cfg.Methods = append(cfg.Methods, m.Name)
		}
	}
	maxClients := slices.Max(cfg.Clients)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: maxClients, MaxConnsPerHost: maxClients}, Timeout: opts.RequestTimeout + 5*time.Second}
	defer client.CloseIdleConnections()
	var rows []BenchRow
	for _, batching := range []bool{false, true} {
		ms := make([]Method, len(methods))
		for i, m := range methods {
			m.Limits.Batching = batching
			// The queue must hold every client: the benchmark measures
			// throughput, not 429s.
			m.Limits.Queue = max(m.Limits.Queue, maxClients*2)
			ms[i] = m
		}
		err := withLoopbackServer(ctx, ms, opts, func(base string) error {
			for _, name := range cfg.Methods {
				// Warm-up: a few requests so that first-call costs are not measured.
				if _, err := Load(ctx, client, LoadSpec{BaseURL: base, Method: name, APIKey: opts.APIKey, Clients: 2, Requests: 8, Texts: cfg.Texts}); err != nil {
					return err
				}
				for _, c := range cfg.Clients {
					res, err := Load(ctx, client, LoadSpec{BaseURL: base, Method: name, APIKey: opts.APIKey, Clients: c, Requests: cfg.Requests, MaxDuration: cfg.MaxDuration, Texts: cfg.Texts})
					if err != nil {
						return err
					}
					rows = append(rows, BenchRow{Method: name, Batching: batching, LoadResult: res})
				}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	base := map[string]float64{}
	for _, r := range rows {
		if !r.Batching && r.Clients == cfg.Clients[0] {
			base[r.Method] = r.RPS
		}
	}
	for i := range rows {
		if b := base[rows[i].Method]; b > 0 {
			rows[i].Speedup = rows[i].RPS / b
		}
	}
	slices.SortStableFunc(rows, func(a, b BenchRow) int {
		if a.Method != b.Method {
			return slices.Index(cfg.Methods, a.Method) - slices.Index(cfg.Methods, b.Method)
		}
		return 0
	})
	return rows, nil
}

// withLoopbackServer serves methods on a loopback port while fn runs against
// its base URL, then shuts the server down; the error is fn's and the
// server's, joined.
func withLoopbackServer(ctx context.Context, methods []Method, opts Options, fn func(base string) error) error {
	srv, err := New(methods, opts)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("bench: listen: %w", err)
	}
	sctx, stop := context.WithCancel(ctx)
	defer stop()
	var g errgroup.Group
	g.Go(func() error { return srv.Serve(sctx, ln) })
	err = fn("http://" + ln.Addr().String())
	stop()
	return errors.Join(err, g.Wait())
}

// WriteBenchTable writes rows as a Markdown table.
func WriteBenchTable(w io.Writer, rows []BenchRow) error {
	var b bytes.Buffer
	b.WriteString("| method | micro-batching | clients | requests | errors | req/s | p50 ms | p95 ms | × sequential |\n")
	b.WriteString("|---|---|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, r := range rows {
		on := "off"
		if r.Batching {
			on = "on"
		}
		fmt.Fprintf(&b, "| %s | %s | %d | %d | %d | %.1f | %.2f | %.2f | %.2f |\n", r.Method, on, r.Clients, r.Requests, r.Errors, r.RPS,
			float64(r.P50.Microseconds())/1000, float64(r.P95.Microseconds())/1000, r.Speedup)
	}
	_, err := w.Write(b.Bytes())
	return err
}
