package jobs

import (
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/piimask/piimask/jobs/config"
	"github.com/piimask/piimask/stages/read"
)

// progress shows how far a job is: a progress bar on a terminal, otherwise a
// periodic one-line log record (for batch logs). It counts documents; when
// the total is known (generated input, Parquet files) it also shows an ETA.
type progress struct {
	env   *Env
	name  string
	bar   *progressbar.ProgressBar
	mu    sync.Mutex
	n     int64
	total int64 // -1 when unknown
	start time.Time
	last  time.Time
	every time.Duration
}

// newProgress starts a progress display for total documents (-1: unknown).
func newProgress(env *Env, name string, total int64) *progress {
	p := &progress{env: env, name: name, total: total, start: time.Now(), last: time.Now(), every: 10 * time.Second}
	if env.Progress {
		p.bar = progressbar.NewOptions64(total,
			progressbar.OptionSetWriter(env.Stderr),
			progressbar.OptionSetDescription(name),
			progressbar.OptionShowCount(),
			progressbar.OptionShowIts(),
			progressbar.OptionSetItsString("docs"),
			progressbar.OptionSetPredictTime(total > 0),
			progressbar.OptionThrottle(200*time.Millisecond),
			progressbar.OptionClearOnFinish(),
		)
	}
	return p
}

// expectedDocuments is the number of documents a job will process when it
// can be known up front: generated input, or Parquet files (row counts in
// their footers), capped by filters.limit. Language and sample filters make
// it unknown (-1) unless a limit bounds it.
func expectedDocuments(job *config.Job) int64 {
	var total int64 = -1
	switch {
	case job.Input.Generate != nil:
		total = int64(job.Input.Generate.N)
	case len(job.Input.Paths) > 0:
		if paths, err := read.Expand(job.Input.Paths); err == nil {
			if n, ok := read.CountRows(paths, read.Options{Format: job.Input.Format}); ok {
				total = n
			}
		}
	}
	if len(job.Filters.Languages) > 0 || job.Filters.Sample != nil {
		total = -1
	}
	if limit := int64(job.Filters.Limit); limit > 0 && (total < 0 || limit < total) {
		total = limit
	}
	if s := jobShard(job); s.Enabled() && total > 0 {
		total = (total + int64(s.Count) - 1) / int64(s.Count) // about a 1/N share
	}
	return total
}

// Add counts n more documents done.
func (p *progress) Add(n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.n += int64(n)
	if p.bar != nil {
		_ = p.bar.Add(n) // a failed redraw on the terminal is not a job error
		return
	}
	if now := time.Now(); now.Sub(p.last) >= p.every {
		p.last = now
		el := now.Sub(p.start).Seconds()
		rate := float64(p.n) / el
		args := []any{"job", p.name, "docs", p.n, "docs_per_s", rate}
		if p.total > 0 && rate > 0 {
			args = append(args, "total", p.total, "eta_s", float64(max(p.total-p.n, 0))/rate)
		}
		p.env.Logger.Info("progress", args...)
	}
}

// Finish closes the bar.
func (p *progress) Finish() {
	if p.bar != nil {
		_ = p.bar.Finish() // as Add: only the terminal redraw can fail
	}
}
