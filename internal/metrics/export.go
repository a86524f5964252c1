package metrics

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/prometheus/client_golang/prometheus/push"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// Outputs say where a run's metrics go. Any combination may be set.
type Outputs struct {
	// Listen is a host:port serving /metrics while the job runs.
	Listen string
	// Textfile is a node_exporter textfile-collector file (*.prom), written
	// atomically at the end of the run.
	Textfile string
	// Push configures the Pushgateway.
	Push *Push
	// Shard, when set ("i-of-n"), is a shard label on every textfile series
	// and the Pushgateway grouping key's shard label (unless Push.Shard is
	// set), so the shards of one job never overwrite each other's series.
	Shard string
}

// Push configures pushes to a Pushgateway, grouped by job and shard as the
// Pushgateway guidance for batch jobs recommends.
type Push struct {
	// URL of the Pushgateway, e.g. http://pushgateway:9091.
	URL string
	// Job is the grouping key's job label.
	Job string
	// Shard, when set, is an extra grouping label ("i-of-n").
	Shard string
	// Interval between pushes while the run lasts (0: only at the end).
	Interval time.Duration
	// Client is the HTTP client (default: 10 s timeout).
	Client *http.Client
}

// Exporter runs a job's metric outputs. Start it before the job and Finish it
// after.
type Exporter struct {
	m      *Metrics
	out    Outputs
	log    *slog.Logger
	srv    *http.Server
	addr   string
	stop   chan struct{}
	done   sync.WaitGroup
	mu     sync.Mutex // serializes pushes
	closed bool
}

// Start opens the /metrics endpoint (if Listen is set) and the periodic
// pusher (if Push.Interval > 0). log receives warnings about failed periodic
// pushes; they never fail the job.
func Start(m *Metrics, out Outputs, log *slog.Logger) (*Exporter, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	e := &Exporter{m: m, out: out, log: log, stop: make(chan struct{})}
	if out.Push != nil {
		if out.Push.URL == "" || out.Push.Job == "" {
			return nil, errors.New("metrics: pushgateway needs a url and a job name")
		}
		if out.Push.Shard == "" {
			out.Push.Shard = out.Shard
		}
		if out.Push.Client == nil {
			out.Push.Client = &http.Client{Timeout: 10 * time.Second}
		}
	}
	if out.Listen != "" {
		ln, err := net.Listen("tcp", out.Listen)
		if err != nil {
			return nil, fmt.Errorf("metrics endpoint: %w", err)
		}
		e.addr = ln.Addr().String()
		mux := http.NewServeMux()
		mux.Handle("/metrics", promhttp.HandlerFor(tickingGatherer{m}, promhttp.HandlerOpts{}))
		e.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
		e.done.Add(1)
		go func() {
			defer e.done.Done()
			if err := e.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				log.Warn("metrics endpoint stopped", "err", err)
			}
		}()
		log.Debug("metrics endpoint listening", "addr", e.addr)
	}
	if p := out.Push; p != nil && p.Interval > 0 {
		e.done.Add(1)
		go func() {
			defer e.done.Done()
			t := time.NewTicker(p.Interval)
			defer t.Stop()
			for {
				select {
				case <-e.stop:
					return
				case <-t.C:
					if err := e.push(context.Background(), false); err != nil {
						log.Warn("periodic metrics push failed", "err", err)
					}
				}
			}
		}()
	}
	return e, nil
}

// Addr is the /metrics endpoint's bound address ("" when not listening).
func (e *Exporter) Addr() string { return e.addr }

// tickingGatherer refreshes the run duration before every scrape.
type tickingGatherer struct{ m *Metrics }

func (t tickingGatherer) Gather() ([]*dto.MetricFamily, error) {
	t.m.Tick()
	return t.m.EndpointGatherer().Gather()
}

// push sends the metrics to the Pushgateway. final && success replaces the
// whole group (PUT) including the last-success timestamp; otherwise metrics
// are added (POST), which keeps the group's previous last-success timestamp.
func (e *Exporter) push(ctx context.Context, success bool) error {
	p := e.out.Push
	e.mu.Lock()
	defer e.mu.Unlock()
	e.m.Tick()
	pu := push.New(p.URL, p.Job).Client(p.Client).Format(expfmt.NewFormat(expfmt.TypeProtoDelim))
	if p.Shard != "" {
		pu = pu.Grouping("shard", p.Shard)
	}
	if success {
		if err := pu.Gatherer(e.m.Gatherer()).PushContext(ctx); err != nil {
			return fmt.Errorf("push to %s: %w", p.URL, err)
		}
		return nil
	}
	if err := pu.Gatherer(e.m.reg).AddContext(ctx); err != nil {
		return fmt.Errorf("push to %s: %w", p.URL, err)
	}
	return nil
}

// Finish ends the outputs after the job: on success (runErr == nil) it sets
// the last-success timestamp; then it pushes a final time, writes the
// textfile and closes the endpoint. Errors of the outputs are returned
// joined; they do not hide runErr, which the caller keeps.
func (e *Exporter) Finish(ctx context.Context, runErr error) error {
	if e == nil || e.closed {
		return nil
	}
	e.closed = true
	close(e.stop)
	success := runErr == nil
	if success {
		e.m.MarkSuccess(time.Now())
	} else {
		e.m.Tick()
	}
	var errs []error
	if e.out.Push != nil {
		errs = append(errs, e.push(ctx, success))
	}
	if e.out.Textfile != "" {
		errs = append(errs, WriteTextfile(e.out.Textfile, e.m, success, e.out.Shard))
	}
	if e.srv != nil {
		sctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		errs = append(errs, e.srv.Shutdown(sctx))
		cancel()
	}
	e.done.Wait()
	return errors.Join(errs...)
}

// WriteTextfile writes the metrics for node_exporter's textfile collector:
// a temporary file in the same directory, renamed into place, so the
// collector never reads half a file. When the run failed, the previous
// file's last-success timestamp is carried over so a failure does not erase
// when the job last worked. A non-empty shard ("i-of-n") becomes a shard
// label on every series. The file never holds Go runtime or process series:
// node_exporter exports its own and rejects a textfile that repeats them.
func WriteTextfile(path string, m *Metrics, success bool, shard string) error {
	if !strings.HasSuffix(path, ".prom") {
		return fmt.Errorf("metrics textfile %s: node_exporter reads only *.prom files", path)
	}
	m.Tick()
	var g prometheus.Gatherer = m.reg
	if success {
		g = m.Gatherer()
	} else if ts, ok := previousLastSuccess(path); ok {
		m.lastSuccess.Set(ts)
		g = m.Gatherer()
	}
	if shard != "" {
		g = labelled{g: g, name: "shard", value: shard}
	}
	if err := prometheus.WriteToTextfile(path, g); err != nil {
		return fmt.Errorf("metrics textfile: %w", err)
	}
	return nil
}

// ShardTextfile names a shard's own textfile: "dir/piimask.prom" becomes
// "dir/piimask-shard-1-of-3.prom" for shard "1-of-3", so shards sharing a
// node's textfile directory never replace each other's file. A path that
// already names the shard, or an empty shard, is returned unchanged.
func ShardTextfile(path, shard string) string {
	if shard == "" || strings.Contains(filepath.Base(path), "shard-"+shard) {
		return path
	}
	return strings.TrimSuffix(path, ".prom") + "-shard-" + shard + ".prom"
}

// labelled adds one constant label to every gathered series.
type labelled struct {
	g           prometheus.Gatherer
	name, value string
}

func (l labelled) Gather() ([]*dto.MetricFamily, error) {
	fams, err := l.g.Gather()
	if err != nil {
		return nil, err
	}
	for _, f := range fams {
		for _, m := range f.Metric {
			for _, lp := range m.Label {
				if lp.GetName() == l.name {
					return nil, fmt.Errorf("metric %s already has a %s label", f.GetName(), l.name)
				}
			}
			name, value := l.name, l.value
			m.Label = append(m.Label, &dto.LabelPair{Name: &name, Value: &value})
			slices.SortFunc(m.Label, func(a, b *dto.LabelPair) int { return strings.Compare(a.GetName(), b.GetName()) })
		}
	}
	return fams, nil
}

// previousLastSuccess reads piimask_last_success_timestamp_seconds from an
// existing textfile.
func previousLastSuccess(path string) (float64, bool) {
	f, err := os.Open(path)
	if err != nil {
		return 0, false
	}
	defer f.Close()
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(f)
	if err != nil {
		return 0, false
	}
	fam, ok := fams["piimask_last_success_timestamp_seconds"]
	if !ok || len(fam.Metric) == 0 || fam.Metric[0].Gauge == nil {
		return 0, false
	}
	return fam.Metric[0].Gauge.GetValue(), true
}
