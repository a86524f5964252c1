package jobs

import (
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
)

// progress shows how far a job is: a progress bar on a terminal, otherwise a
// periodic one-line log record (for batch logs). It counts documents.
type progress struct {
	env   *Env
	name  string
	bar   *progressbar.ProgressBar
	mu    sync.Mutex
	n     int64
	start time.Time
	last  time.Time
	every time.Duration
}

func newProgress(env *Env, name string) *progress {
	p := &progress{env: env, name: name, start: time.Now(), last: time.Now(), every: 10 * time.Second}
	if env.Progress {
		p.bar = progressbar.NewOptions64(-1,
			progressbar.OptionSetWriter(env.Stderr),
			progressbar.OptionSetDescription(name),
			progressbar.OptionShowCount(),
			progressbar.OptionShowIts(),
			progressbar.OptionSetItsString("docs"),
			progressbar.OptionThrottle(200*time.Millisecond),
			progressbar.OptionClearOnFinish(),
		)
	}
	return p
}

// Add counts n more documents done.
func (p *progress) Add(n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.n += int64(n)
	if p.bar != nil {
		p.bar.Add(n)
		return
	}
	if now := time.Now(); now.Sub(p.last) >= p.every {
		p.last = now
		el := now.Sub(p.start).Seconds()
		p.env.Logger.Info("progress", "job", p.name, "docs", p.n, "docs_per_s", float64(p.n)/el)
	}
}

// Finish closes the bar.
func (p *progress) Finish() {
	if p.bar != nil {
		p.bar.Finish()
	}
}
