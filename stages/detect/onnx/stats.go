package onnx

import (
	"sync/atomic"
	"time"
)

// statCounters accumulate time and volume across Detect calls (atomics: the
// engine may call Detect concurrently).
type statCounters struct {
	docs, tokens, rows, batches, paddedTokens     atomic.Int64
	wall, tokenize, pack, run, scatter, aggregate atomic.Int64
}

// Stats is a snapshot of the method's counters since it was opened.
type Stats struct {
	Docs, Tokens, Rows, Batches int64
	// PaddedTokens is the number of token slots sent to the model (rows ×
	// padded length); Tokens/PaddedTokens is the padding efficiency.
	PaddedTokens int64
	// Wall is the summed wall time of Detect calls. Tokenize runs in a
	// producer goroutine overlapping Run, so the parts need not add up.
	Wall, Tokenize, Pack, Run, Scatter, Aggregate time.Duration
}

// OutsideRunShare is the share of Detect wall time not spent in session.Run.
func (s Stats) OutsideRunShare() float64 {
	if s.Wall <= 0 {
		return 0
	}
	return 1 - float64(s.Run)/float64(s.Wall)
}

// Stats returns the counters accumulated so far.
func (m *Method) Stats() Stats {
	c := &m.stats
	return Stats{
		Docs: c.docs.Load(), Tokens: c.tokens.Load(), Rows: c.rows.Load(), Batches: c.batches.Load(),
		PaddedTokens: c.paddedTokens.Load(),
		Wall:         time.Duration(c.wall.Load()), Tokenize: time.Duration(c.tokenize.Load()),
		Pack: time.Duration(c.pack.Load()), Run: time.Duration(c.run.Load()),
		Scatter: time.Duration(c.scatter.Load()), Aggregate: time.Duration(c.aggregate.Load()),
	}
}
