package server

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/piimask/piimask/record"
	"github.com/piimask/piimask/stages/detect"
)

// ErrQueueFull is returned by a batcher whose queue is full; handlers answer
// 429 with Retry-After.
var ErrQueueFull = errors.New("queue full")

// errStopped is returned for requests submitted after the batcher stopped.
var errStopped = errors.New("server is shutting down")

// Limits bound how one method runs requests.
type Limits struct {
	// Workers is the number of Detect calls in flight at once.
	Workers int
	// Queue is the number of requests that may wait for a worker.
	Queue int
	// Batching groups concurrent requests into one Detect call.
	Batching bool
	// MaxBatch is the largest micro-batch.
	MaxBatch int
	// BatchWait is how long a worker waits for more requests once it holds
	// one, before calling Detect with what it has.
	BatchWait time.Duration
}

// job is one request's document waiting for a Detect call.
type job struct {
	ctx  context.Context
	rec  record.Record
	done chan jobResult // buffered (1): workers never block on it
}

type jobResult struct {
	pred detect.Prediction
	err  error
}

// batcher runs one method's Detect calls on a bounded pool of workers.
// Concurrent requests are grouped into one Detect call of up to MaxBatch
// documents, waiting at most BatchWait for the batch to fill.
type batcher struct {
	name    string
	method  detect.Method
	lim     Limits
	queue   chan *job
	metrics *metrics

	// stopMu guards stopped against concurrent submit and stop.
	stopMu  sync.RWMutex
	stopped bool
	wg      sync.WaitGroup
	// runCtx is the context Detect calls run under; cancelled by stop after
	// the workers drained the queue (or at once when abort is true).
	runCtx    context.Context
	cancelRun context.CancelFunc

	// inflight, when set, counts the server's requests in progress; with
	// running (this batcher's documents inside a Detect call) it tells a
	// gathering worker how many requests could still join its batch, so a
	// lone request is not held for BatchWait.
	inflight *atomic.Int64
	running  atomic.Int64
}

func newBatcher(name string, m detect.Method, lim Limits, met *metrics, inflight *atomic.Int64) *batcher {
	if lim.Workers <= 0 {
		lim.Workers = 1
	}
	if lim.Queue <= 0 {
		lim.Queue = 1
	}
	if lim.MaxBatch <= 0 || !lim.Batching {
		lim.MaxBatch = 1
	}
	if !lim.Batching {
		lim.BatchWait = 0
	}
	ctx, cancel := context.WithCancel(context.Background())
	b := &batcher{name: name, method: m, lim: lim, queue: make(chan *job, lim.Queue), metrics: met, runCtx: ctx, cancelRun: cancel, inflight: inflight}
	for range lim.Workers {
		b.wg.Add(1)
		go b.work()
	}
	return b
}

// submit queues rec and waits for its prediction, the request's context, or
// the server's stop.
func (b *batcher) submit(ctx context.Context, rec record.Record) (detect.Prediction, error) {
	j := &job{ctx: ctx, rec: rec, done: make(chan jobResult, 1)}
	b.stopMu.RLock()
	if b.stopped {
		b.stopMu.RUnlock()
		return detect.Prediction{}, errStopped
	}
	select {
	case b.queue <- j:
		b.metrics.queued.WithLabelValues(b.name).Inc()
	default:
		b.stopMu.RUnlock()
		return detect.Prediction{}, ErrQueueFull
	}
	b.stopMu.RUnlock()
	select {
	case r := <-j.done:
		return r.pred, r.err
	case <-ctx.Done():
		return detect.Prediction{}, ctx.Err()
	}
}

// work is one worker: take a job, gather a batch, run Detect, answer.
func (b *batcher) work() {
	defer b.wg.Done()
	batch := make([]*job, 0, b.lim.MaxBatch)
	var timer *time.Timer
	for {
		first, ok := <-b.queue
		if !ok {
			return
		}
		b.metrics.queued.WithLabelValues(b.name).Dec()
		batch = append(batch[:0], first)
		closed := false
		if b.lim.MaxBatch > 1 {
			if timer == nil {
				timer = time.NewTimer(b.lim.BatchWait)
			} else {
				timer.Reset(b.lim.BatchWait)
			}
		gather:
			for len(batch) < b.lim.MaxBatch && b.mayGrow(len(batch)) {
				select {
				case j, ok := <-b.queue:
					if !ok {
						closed = true
						break gather
					}
					b.metrics.queued.WithLabelValues(b.name).Dec()
					batch = append(batch, j)
				case <-timer.C:
					break gather
				}
			}
			timer.Stop()
		}
		b.run(batch)
		if closed {
			return
		}
	}
}

// mayGrow reports whether other requests are in progress that could join a
// batch of n: requests in flight on the server minus those already inside a
// Detect call of this method. Without a counter it always waits.
func (b *batcher) mayGrow(n int) bool {
	if b.inflight == nil {
		return true
	}
	return b.inflight.Load()-b.running.Load() > int64(n)
}

// run calls Detect once for the live jobs of batch.
func (b *batcher) run(batch []*job) {
	live := batch[:0]
	for _, j := range batch {
		if err := j.ctx.Err(); err != nil {
			j.done <- jobResult{err: err}
			continue
		}
		live = append(live, j)
	}
	if len(live) == 0 {
		return
	}
	recs := make([]record.Record, len(live))
	for i, j := range live {
		recs[i] = j.rec
	}
	b.running.Add(int64(len(recs)))
	defer b.running.Add(-int64(len(recs)))
	b.metrics.batchSize.WithLabelValues(b.name).Observe(float64(len(recs)))
	start := time.Now()
	preds, err := b.method.Detect(b.runCtx, recs)
	b.metrics.detectSeconds.WithLabelValues(b.name).Observe(time.Since(start).Seconds())
	if err == nil && len(preds) != len(recs) {
		err = fmt.Errorf("method %s returned %d predictions for %d documents", b.name, len(preds), len(recs))
	}
	for i, j := range live {
		if err != nil {
			j.done <- jobResult{err: fmt.Errorf("method %s: %w", b.name, err)}
			continue
		}
		j.done <- jobResult{pred: preds[i]}
	}
}

// stop refuses new jobs, lets the workers finish what is queued, and waits
// for them until ctx ends; then in-flight Detect calls are cancelled.
func (b *batcher) stop(ctx context.Context) error {
	b.stopMu.Lock()
	if !b.stopped {
		b.stopped = true
		close(b.queue)
	}
	b.stopMu.Unlock()
	done := make(chan struct{})
	go func() { b.wg.Wait(); close(done) }()
	select {
	case <-done:
		b.cancelRun()
		return nil
	case <-ctx.Done():
		b.cancelRun()
		<-done
		return fmt.Errorf("method %s: stop: %w", b.name, ctx.Err())
	}
}
