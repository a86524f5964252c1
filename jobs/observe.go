package jobs

import (
	"context"
	"fmt"

	"github.com/piimask/piimask/internal/metrics"
	"github.com/piimask/piimask/jobs/config"
	"github.com/piimask/piimask/labels"
)

// Overrides are `piimask run` flags that take precedence over the job config.
type Overrides struct {
	// Shard is the --shard i/N value ("" = from the environment or config).
	Shard string
	// MetricsAddr, MetricsTextfile and PushgatewayURL override the config's
	// metrics section.
	MetricsAddr     string
	MetricsTextfile string
	PushgatewayURL  string
	// MaxRejectRatio overrides max_reject_ratio when >= 0.
	MaxRejectRatio float64
	// OutputDir overrides output.dir (sharded runs write <dir>/shard-i-of-N).
	OutputDir string
	// FailOnExportError makes a failed metrics export (push, textfile)
	// fail an otherwise successful run; by default it is only a warning.
	FailOnExportError bool
}

// Apply writes the overrides into the loaded job and resolves its shard from
// the flag, a Kubernetes Indexed Job's environment or the config.
func (o Overrides) Apply(l *config.Loaded, env *Env) error {
	env.defaults()
	if o.FailOnExportError {
		env.FailOnExportError = true
	}
	j := l.Job
	s, err := ResolveShard(o.Shard, j, env.LookupEnv)
	if err != nil {
		return err
	}
	if s.Enabled() {
		j.Shard = &config.Shard{Index: s.Index, Count: s.Count}
	} else {
		j.Shard = nil
	}
	if o.OutputDir != "" {
		j.Output.Dir = o.OutputDir
	}
	if o.MetricsAddr != "" || o.MetricsTextfile != "" || o.PushgatewayURL != "" {
		if j.Metrics == nil {
			j.Metrics = &config.Metrics{}
		}
		if o.MetricsAddr != "" {
			j.Metrics.Listen = o.MetricsAddr
		}
		if o.MetricsTextfile != "" {
			j.Metrics.Textfile = o.MetricsTextfile
		}
		if o.PushgatewayURL != "" {
			if j.Metrics.Pushgateway == nil {
				j.Metrics.Pushgateway = &config.Pushgateway{}
			}
			j.Metrics.Pushgateway.URL = o.PushgatewayURL
		}
	}
	if o.MaxRejectRatio >= 0 {
		if o.MaxRejectRatio > 1 {
			return fmt.Errorf("--max-reject-ratio: must be in [0, 1], got %g", o.MaxRejectRatio)
		}
		j.MaxRejectRatio = o.MaxRejectRatio
	}
	return nil
}

// metricOutputs turns the job's metrics section into exporter outputs.
func metricOutputs(j *config.Job, shard Shard) (metrics.Outputs, error) {
	var out metrics.Outputs
	mc := j.Metrics
	if mc == nil {
		return out, nil
	}
	out.Listen, out.Textfile = mc.Listen, mc.Textfile
	if shard.Enabled() {
		out.Shard = metrics.ShardLabel(shard.Index, shard.Count)
		if out.Textfile != "" {
			out.Textfile = metrics.ShardTextfile(out.Textfile, out.Shard)
		}
	}
	if p := mc.Pushgateway; p != nil && p.URL != "" {
		iv, err := p.IntervalDuration()
		if err != nil {
			return out, fmt.Errorf("metrics.pushgateway.interval: %w", err)
		}
		job := p.Job
		if job == "" {
			job = "piimask-" + j.Name
		}
		out.Push = &metrics.Push{URL: p.URL, Job: job, Interval: iv, Shard: out.Shard}
	}
	return out, nil
}

// observed runs a job with its metrics: a fresh registry, the configured
// outputs, and a final one-line summary record (job finished / job failed).
// The job's output directory becomes the shard's own when sharded.
func observed(ctx context.Context, l *config.Loaded, env *Env, run Runner) (err error) {
	job := *l.Job
	shard := jobShard(&job)
	job.Output.Dir = shard.Dir(job.Output.Dir)
	ll := *l
	ll.Job = &job
	names := make([]string, 0, len(job.Methods))
	for _, m := range job.Methods {
		names = append(names, m.Name)
	}
	classes := job.Labels
	if len(classes) == 0 {
		classes = labels.All()
	}
	m := metrics.New(metrics.Options{Methods: names, Classes: classes, Version: env.Version, Kind: job.Kind, Process: true})
	outs, err := metricOutputs(&job, shard)
	if err != nil {
		return err
	}
	exp, err := metrics.Start(m, outs, env.Logger)
	if err != nil {
		return err
	}
	if a := exp.Addr(); a != "" {
		env.Logger.Info("metrics endpoint", "addr", a, "path", "/metrics")
	}
	renv := *env
	renv.Metrics = m
	runErr := run(ctx, &ll, &renv)
	// Outputs still go out when the context was cancelled.
	ferr := exp.Finish(context.WithoutCancel(ctx), runErr)
	t := m.Totals()
	attrs := []any{"job", job.Name, "kind", job.Kind, "seconds", fmt.Sprintf("%.3f", t.Seconds),
		"records_read", t.Read, "records_rejected", t.Rejected, "records_written", t.Written}
	if shard.Enabled() {
		attrs = append(attrs, "shard", shard.String())
	}
	if runErr != nil {
		env.Logger.Error("job failed", append(attrs, "err", runErr)...)
	} else {
		env.Logger.Info("job finished", append(attrs, "output", job.Output.Dir)...)
	}
	if ferr != nil {
		// A failed export (Pushgateway down, textfile directory not
		// writable) does not fail a run whose outputs are complete, unless
		// --fail-on-export-error asks for it.
		if runErr == nil && env.FailOnExportError {
			return fmt.Errorf("metrics output: %w", ferr)
		}
		env.Logger.Warn("metrics output failed", "err", ferr)
	}
	return runErr
}
