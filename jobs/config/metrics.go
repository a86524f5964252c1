package config

import (
	"strings"
	"time"
)

// Metrics is the job's `metrics:` section: where its Prometheus metrics go.
// The `piimask run` flags --metrics-addr, --metrics-textfile and
// --pushgateway-url override it.
type Metrics struct {
	// Listen serves /metrics on this host:port while the job runs.
	Listen string `yaml:"listen"`
	// Textfile is a node_exporter textfile-collector file (must end in .prom),
	// written atomically at the end of the run.
	Textfile string `yaml:"textfile"`
	// Pushgateway pushes the metrics at the end of the run (and every
	// Interval while it runs).
	Pushgateway *Pushgateway `yaml:"pushgateway"`
}

// Pushgateway configures pushes to a Prometheus Pushgateway.
type Pushgateway struct {
	URL string `yaml:"url" required:"true"`
	// Job is the grouping key's job label (default: the job's name).
	Job string `yaml:"job"`
	// Interval between pushes while the job runs, e.g. 30s (default: only at the end).
	Interval string `yaml:"interval"`
}

// IntervalDuration parses Interval (0 when empty).
func (p *Pushgateway) IntervalDuration() (time.Duration, error) {
	if p == nil || p.Interval == "" {
		return 0, nil
	}
	return time.ParseDuration(p.Interval)
}

// Shard is the job's `shard:` section. The index normally comes from
// `--shard i/N` or a Kubernetes Indexed Job's JOB_COMPLETION_INDEX; Count
// gives N when the environment does not (PIIMASK_SHARD_COUNT wins over it).
type Shard struct {
	Index int `yaml:"index"`
	Count int `yaml:"count"`
}

func (l *Loaded) checkMetrics() Problems {
	var ps Problems
	j := l.Job
	if m := j.Metrics; m != nil {
		if m.Textfile != "" && !strings.HasSuffix(m.Textfile, ".prom") {
			ps = append(ps, l.Problem("metrics.textfile", "node_exporter reads only *.prom files, got %q", m.Textfile))
		}
		if p := m.Pushgateway; p != nil {
			if !strings.HasPrefix(p.URL, "http://") && !strings.HasPrefix(p.URL, "https://") {
				ps = append(ps, l.Problem("metrics.pushgateway.url", "want an http:// or https:// URL, got %q", p.URL))
			}
			if d, err := p.IntervalDuration(); err != nil || d < 0 {
				ps = append(ps, l.Problem("metrics.pushgateway.interval", "want a duration such as 30s, got %q", p.Interval))
			}
		}
	}
	if s := j.Shard; s != nil {
		if s.Count < 0 || s.Index < 0 || (s.Count > 0 && s.Index >= s.Count) {
			ps = append(ps, l.Problem("shard", "want 0 <= index < count, got index %d, count %d", s.Index, s.Count))
		}
	}
	return ps
}
