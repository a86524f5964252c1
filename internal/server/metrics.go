package server

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are the server's Prometheus series, on a registry of their own (no
// global registry). Labels are route patterns, method names from the config
// and status codes: never text.
type metrics struct {
	reg           *prometheus.Registry
	requests      *prometheus.CounterVec
	duration      *prometheus.HistogramVec
	queued        *prometheus.GaugeVec
	rejected      *prometheus.CounterVec
	batchSize     *prometheus.HistogramVec
	detectSeconds *prometheus.HistogramVec
	inputChars    prometheus.Histogram
}

func newMetrics() *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "piimask_http_requests_total", Help: "HTTP requests by route and status code.",
		}, []string{"route", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "piimask_http_request_duration_seconds", Help: "HTTP request latency by route.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"route"}),
		queued: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "piimask_queue_depth", Help: "Requests waiting for a worker, per method.",
		}, []string{"method"}),
		rejected: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "piimask_queue_rejected_total", Help: "Requests refused with 429 because a method's queue was full.",
		}, []string{"method"}),
		batchSize: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "piimask_batch_size", Help: "Documents per Detect call (micro-batch size).",
			Buckets: []float64{1, 2, 4, 8, 16, 32, 64},
		}, []string{"method"}),
		detectSeconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "piimask_detect_duration_seconds", Help: "Duration of one Detect call, per method.",
			Buckets: prometheus.ExponentialBuckets(0.0005, 2, 16),
		}, []string{"method"}),
		inputChars: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "piimask_input_chars", Help: "Length of analysed texts in code points.",
			Buckets: prometheus.ExponentialBuckets(16, 4, 8),
		}),
	}
	m.reg.MustRegister(m.requests, m.duration, m.queued, m.rejected, m.batchSize, m.detectSeconds, m.inputChars,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}
