package metrics

import (
	"runtime"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/piimask/piimask/stages/detect"
)

// OtherClass is the class label for spans whose label is outside the job's
// class list, so a method that invents labels cannot grow the label set.
const OtherClass = "other"

// Options describe the run being measured.
type Options struct {
	// Methods are the method names from the job config.
	Methods []string
	// Classes is the job's class list; spans of other labels count as OtherClass.
	Classes []string
	// Version and GoVersion go into piimask_build_info.
	Version   string
	GoVersion string
	// Kind is the job kind (evaluate, mask, …), a piimask_build_info label.
	Kind string
	// Process adds the Go runtime and process collectors. They are served
	// only on the /metrics endpoint (EndpointGatherer): a textfile or a
	// Pushgateway push must not carry them, since node_exporter and the
	// Pushgateway expose their own and reject or drop the duplicates.
	Process bool
}

// Metrics holds one run's collectors. Every method is safe for concurrent
// use, and a nil *Metrics is a valid no-op, so stages need no nil checks.
type Metrics struct {
	reg     *prometheus.Registry
	success *prometheus.Registry
	proc    *prometheus.Registry // Go runtime and process collectors (endpoint only)
	classes map[string]bool
	methods map[string]bool
	started time.Time

	recordsRead     *prometheus.CounterVec
	recordsWritten  *prometheus.CounterVec
	recordsRejected *prometheus.CounterVec
	spans           *prometheus.CounterVec
	failures        *prometheus.CounterVec
	stageSeconds    *prometheus.HistogramVec
	inFlight        *prometheus.GaugeVec
	queueDepth      *prometheus.GaugeVec
	llmRequests     *prometheus.CounterVec
	llmRetries      *prometheus.CounterVec
	llmErrors       *prometheus.CounterVec
	llmSeconds      *prometheus.HistogramVec
	tokens          *prometheus.CounterVec
	cost            *prometheus.CounterVec
	runSeconds      prometheus.Gauge
	startTime       prometheus.Gauge
	lastSuccess     prometheus.Gauge

	read, rejected, written atomic.Int64
}

// New builds the collectors of one run in a fresh registry.
func New(o Options) *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry(), success: prometheus.NewRegistry(), proc: prometheus.NewRegistry(), started: time.Now(),
		classes: map[string]bool{}, methods: map[string]bool{}}
	for _, c := range o.Classes {
		m.classes[c] = true
	}
	for _, n := range o.Methods {
		m.methods[n] = true
	}
	f := factory{m.reg}
	m.recordsRead = f.counter("piimask_records_read_total", "Records a stage received (input rows for the read stage, documents for detect stages).", "stage")
	m.recordsWritten = f.counter("piimask_records_written_total", "Records a stage wrote out.", "stage")
	m.recordsRejected = f.counter("piimask_records_rejected_total", "Input rows rejected as malformed (see rejects.jsonl).", "stage")
	m.spans = f.counter("piimask_spans_detected_total", "PII spans detected, by method and class.", "method", "class")
	m.failures = f.counter("piimask_method_failures_total", "Documents a method gave no answer for (per-document failures, not run errors).", "method")
	m.stageSeconds = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "piimask_stage_duration_seconds",
		Help:    "Time a stage spent on one item (a batch for detect stages).",
		Buckets: prometheus.ExponentialBuckets(0.0001, 4, 10)}, []string{"stage"})
	m.inFlight = f.gauge("piimask_stage_in_flight", "Items a stage is working on now.", "stage")
	m.queueDepth = f.gauge("piimask_stage_queue_depth", "Items waiting in front of a stage.", "stage")
	m.llmRequests = f.counter("piimask_llm_requests_total", "HTTP attempts to an LLM API, by HTTP status class (network = no response).", "method", "status_class")
	m.llmRetries = f.counter("piimask_llm_retries_total", "HTTP attempts that were retries.", "method")
	m.llmErrors = f.counter("piimask_llm_errors_total", "HTTP attempts that failed (non-2xx or no response), by status class.", "method", "status_class")
	m.llmSeconds = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "piimask_llm_request_duration_seconds",
		Help: "Duration of one HTTP attempt to an LLM API.", Buckets: prometheus.ExponentialBuckets(0.05, 2, 10)}, []string{"method"})
	m.tokens = f.counter("piimask_llm_tokens_total", "Tokens an API method consumed, by kind (prompt or completion).", "method", "kind")
	m.cost = f.counter("piimask_llm_cost_usd_total", "Estimated API cost in US dollars.", "method")
	m.runSeconds = prometheus.NewGauge(prometheus.GaugeOpts{Name: "piimask_run_duration_seconds", Help: "Wall time of the run so far (final at the end)."})
	m.startTime = prometheus.NewGauge(prometheus.GaugeOpts{Name: "piimask_run_start_time_seconds", Help: "Unix time the run started."})
	m.lastSuccess = prometheus.NewGauge(prometheus.GaugeOpts{Name: "piimask_last_success_timestamp_seconds", Help: "Unix time the job last finished successfully."})
	buildInfo := prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "piimask_build_info", Help: "Always 1; the labels say which piimask ran."}, []string{"version", "goversion", "kind"})
	m.reg.MustRegister(m.stageSeconds, m.llmSeconds, m.runSeconds, m.startTime, buildInfo)
	m.success.MustRegister(m.lastSuccess)
	if o.Process {
		m.proc.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	}
	gv := o.GoVersion
	if gv == "" {
		gv = runtime.Version()
	}
	ver := o.Version
	if ver == "" {
		ver = "dev"
	}
	buildInfo.WithLabelValues(ver, gv, o.Kind).Set(1)
	m.startTime.Set(float64(m.started.UnixNano()) / 1e9)
	// Zero series for every configured method, so rates exist from the start.
	for n := range m.methods {
		m.failures.WithLabelValues(n)
	}
	return m
}

type factory struct{ reg *prometheus.Registry }

func (f factory) counter(name, help string, labels ...string) *prometheus.CounterVec {
	c := prometheus.NewCounterVec(prometheus.CounterOpts{Name: name, Help: help}, labels)
	f.reg.MustRegister(c)
	return c
}

func (f factory) gauge(name, help string, labels ...string) *prometheus.GaugeVec {
	g := prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: name, Help: help}, labels)
	f.reg.MustRegister(g)
	return g
}

// Gatherer gives the run's metrics, the last-success timestamp included once
// MarkSuccess was called. It never holds the Go runtime or process
// collectors: this is what the textfile and the Pushgateway get.
func (m *Metrics) Gatherer() prometheus.Gatherer {
	return prometheus.Gatherers{m.reg, m.success}
}

// EndpointGatherer is Gatherer plus the Go runtime and process collectors
// (when Options.Process is set), for the /metrics endpoint only.
func (m *Metrics) EndpointGatherer() prometheus.Gatherer {
	return prometheus.Gatherers{m.reg, m.success, m.proc}
}

// method bounds a method name to the configured set.
func (m *Metrics) method(name string) string {
	if m.methods[name] {
		return name
	}
	return OtherClass
}

// class bounds a span label to the job's class list.
func (m *Metrics) class(label string) string {
	if m.classes[label] {
		return label
	}
	return OtherClass
}

// Read counts n records received by stage.
func (m *Metrics) Read(stage string, n int) {
	if m == nil || n == 0 {
		return
	}
	m.recordsRead.WithLabelValues(stage).Add(float64(n))
	if stage == StageRead {
		m.read.Add(int64(n))
	}
}

// Written counts n records written by stage.
func (m *Metrics) Written(stage string, n int) {
	if m == nil || n == 0 {
		return
	}
	m.recordsWritten.WithLabelValues(stage).Add(float64(n))
	m.written.Add(int64(n))
}

// Rejected counts n input rows rejected by stage.
func (m *Metrics) Rejected(stage string, n int) {
	if m == nil || n == 0 {
		return
	}
	m.recordsRejected.WithLabelValues(stage).Add(float64(n))
	m.rejected.Add(int64(n))
}

// StageRead is the stage name of the input reader.
const StageRead = "read"

// Prediction counts the spans of one prediction by class, plus failures, tokens
// and cost from its usage.
func (m *Metrics) Prediction(method string, p *detect.Prediction) {
	if m == nil {
		return
	}
	method = m.method(method)
	for _, s := range p.Spans {
		m.spans.WithLabelValues(method, m.class(s.Label)).Inc()
	}
	if p.Failure != "" {
		m.failures.WithLabelValues(method).Inc()
	}
	if u := p.Usage; u != (detect.Usage{}) {
		m.tokens.WithLabelValues(method, "prompt").Add(float64(u.PromptTokens))
		m.tokens.WithLabelValues(method, "completion").Add(float64(u.CompletionTokens))
		m.cost.WithLabelValues(method).Add(u.CostUSD)
	}
}

// ItemDone implements pipeline.Observer: the stage latency histogram.
func (m *Metrics) ItemDone(stage string, took time.Duration) {
	if m == nil {
		return
	}
	m.stageSeconds.WithLabelValues(stage).Observe(took.Seconds())
}

// QueueDepth implements pipeline.Observer.
func (m *Metrics) QueueDepth(stage string, depth int) {
	if m == nil {
		return
	}
	m.queueDepth.WithLabelValues(stage).Set(float64(depth))
}

// InFlight implements pipeline.Observer.
func (m *Metrics) InFlight(stage string, delta int) {
	if m == nil {
		return
	}
	m.inFlight.WithLabelValues(stage).Add(float64(delta))
}

// Request implements detect.Events: LLM requests, retries and errors by
// status class, and their latency.
func (m *Metrics) Request(method string, status int, took time.Duration, retry bool) {
	if m == nil {
		return
	}
	method = m.method(method)
	class := detect.StatusClass(status)
	m.llmRequests.WithLabelValues(method, class).Inc()
	if retry {
		m.llmRetries.WithLabelValues(method).Inc()
	}
	if class != "2xx" {
		m.llmErrors.WithLabelValues(method, class).Inc()
	}
	m.llmSeconds.WithLabelValues(method).Observe(took.Seconds())
}

// Tick updates the run duration; exporters call it before each export.
func (m *Metrics) Tick() {
	if m == nil {
		return
	}
	m.runSeconds.Set(time.Since(m.started).Seconds())
}

// MarkSuccess sets the last-success timestamp to now (call it only when the
// job succeeded) and the final run duration.
func (m *Metrics) MarkSuccess(now time.Time) {
	if m == nil {
		return
	}
	m.Tick()
	m.lastSuccess.Set(float64(now.UnixNano()) / 1e9)
}

// Totals are the run's headline counts for the final summary line.
type Totals struct {
	Read, Rejected, Written int64
	Seconds                 float64
}

// Totals returns the run's headline counts so far.
func (m *Metrics) Totals() Totals {
	if m == nil {
		return Totals{}
	}
	return Totals{Read: m.read.Load(), Rejected: m.rejected.Load(), Written: m.written.Load(),
		Seconds: time.Since(m.started).Seconds()}
}

// ShardLabel renders a shard as the grouping label value "i-of-n" ("" for an
// unsharded run).
func ShardLabel(index, count int) string {
	if count <= 1 {
		return ""
	}
	return strconv.Itoa(index) + "-of-" + strconv.Itoa(count)
}
