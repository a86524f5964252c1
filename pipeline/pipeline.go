package pipeline

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/sourcegraph/conc/panics"
	"github.com/sourcegraph/conc/pool"
	"github.com/sourcegraph/conc/stream"
)

// Observer receives per-stage measurements. Implementations must be safe for
// concurrent use. A nil Observer is allowed everywhere.
type Observer interface {
	// ItemDone is called once per item a stage finished, with the time the
	// stage's function spent on it.
	ItemDone(stage string, took time.Duration)
	// QueueDepth reports how many items wait in front of a stage.
	QueueDepth(stage string, depth int)
	// InFlight reports how many items a stage is working on (+1 start, -1 end).
	InFlight(stage string, delta int)
}

// Run is one execution of a pipeline. Create it with New, add stages with
// Source, Map, Batch and Sink, then call Wait.
type Run struct {
	ctx  context.Context
	pool *pool.ContextPool
	obs  Observer
	buf  int
}

// Option configures a Run.
type Option func(*Run)

// WithObserver sends per-stage measurements to obs.
func WithObserver(obs Observer) Option { return func(r *Run) { r.obs = obs } }

// WithBuffer sets the capacity of the channels between stages (default 64).
func WithBuffer(n int) Option {
	return func(r *Run) {
		if n > 0 {
			r.buf = n
		}
	}
}

// New starts a run bound to ctx. The first stage error cancels every stage.
func New(ctx context.Context, opts ...Option) *Run {
	r := &Run{buf: 64}
	for _, o := range opts {
		o(r)
	}
	r.pool = pool.New().WithContext(ctx).WithCancelOnError().WithFirstError()
	// The pool derives its own cancellable context; capture it through a
	// first no-op stage so stages and emitters all see the same one.
	ready := make(chan context.Context, 1)
	r.pool.Go(func(c context.Context) error { ready <- c; return nil })
	r.ctx = <-ready
	return r
}

// Context is the run's context: cancelled on the first error or when the
// parent context is cancelled.
func (r *Run) Context() context.Context { return r.ctx }

// Wait blocks until every stage has returned and gives the first error.
func (r *Run) Wait() error { return r.pool.Wait() }

// StageError is an error returned (or a panic raised) by a named stage.
type StageError struct {
	Stage string
	Err   error
}

// Error names the stage and gives its error.
func (e *StageError) Error() string { return fmt.Sprintf("stage %s: %v", e.Stage, e.Err) }

// Unwrap gives the stage's own error.
func (e *StageError) Unwrap() error { return e.Err }

func (r *Run) goStage(name string, f func(ctx context.Context) error) {
	r.pool.Go(func(ctx context.Context) error {
		var err error
		if rec := panics.Try(func() { err = f(ctx) }); rec != nil {
			err = rec.AsError()
		}
		if err != nil && ctx.Err() != nil && err == ctx.Err() {
			return err
		}
		if err != nil {
			return &StageError{Stage: name, Err: err}
		}
		return nil
	})
}

// send delivers v on out unless ctx is cancelled first.
func send[T any](ctx context.Context, out chan<- T, v T) error {
	select {
	case out <- v:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Source starts a producing stage. produce calls emit for every value; emit
// blocks while downstream is full and fails once the run is cancelled. The
// output channel is closed when produce returns.
func Source[T any](r *Run, name string, produce func(ctx context.Context, emit func(T) error) error) <-chan T {
	out := make(chan T, r.buf)
	r.goStage(name, func(ctx context.Context) error {
		defer close(out)
		start := time.Now()
		emit := func(v T) error {
			if r.obs != nil {
				r.obs.ItemDone(name, time.Since(start))
				r.obs.QueueDepth(name, len(out))
			}
			err := send(ctx, out, v)
			start = time.Now()
			return err
		}
		return produce(ctx, emit)
	})
	return out
}

// Map applies fn to every value of in with at most workers calls running at
// once, and emits the results in input order. An error from fn stops the run.
func Map[In, Out any](r *Run, name string, in <-chan In, workers int, fn func(ctx context.Context, v In) (Out, error)) <-chan Out {
	if workers < 1 {
		workers = 1
	}
	out := make(chan Out, r.buf)
	r.goStage(name, func(parent context.Context) error {
		defer close(out)
		ctx, cancel := context.WithCancel(parent)
		defer cancel()
		var (
			mu       sync.Mutex
			firstErr error
		)
		fail := func(err error) {
			mu.Lock()
			if firstErr == nil {
				firstErr = err
			}
			mu.Unlock()
			cancel()
		}
		s := stream.New().WithMaxGoroutines(workers)
		for v := range in {
			if ctx.Err() != nil {
				break
			}
			if r.obs != nil {
				r.obs.QueueDepth(name, len(in))
			}
			s.Go(func() stream.Callback {
				if ctx.Err() != nil {
					return func() {}
				}
				if r.obs != nil {
					r.obs.InFlight(name, 1)
				}
				start := time.Now()
				var res Out
				var err error
				if rec := panics.Try(func() { res, err = fn(ctx, v) }); rec != nil {
					err = rec.AsError()
				}
				took := time.Since(start)
				if r.obs != nil {
					r.obs.InFlight(name, -1)
				}
				return func() {
					if ctx.Err() != nil {
						return
					}
					if err != nil {
						fail(err)
						return
					}
					if r.obs != nil {
						r.obs.ItemDone(name, took)
					}
					if serr := send(ctx, out, res); serr != nil {
						fail(serr)
					}
				}
			})
		}
		s.Wait()
		mu.Lock()
		defer mu.Unlock()
		if firstErr != nil && (parent.Err() == nil || !errors.Is(firstErr, context.Canceled)) {
			return firstErr
		}
		return parent.Err()
	})
	return out
}

// Batch groups consecutive values of in into slices of at most size values,
// in order. The last batch may be shorter.
func Batch[T any](r *Run, name string, in <-chan T, size int) <-chan []T {
	if size < 1 {
		size = 1
	}
	out := make(chan []T, max(1, r.buf/size))
	r.goStage(name, func(ctx context.Context) error {
		defer close(out)
		batch := make([]T, 0, size)
		for v := range in {
			batch = append(batch, v)
			if len(batch) == size {
				if err := send(ctx, out, batch); err != nil {
					return err
				}
				batch = make([]T, 0, size)
			}
		}
		if len(batch) > 0 {
			if err := send(ctx, out, batch); err != nil {
				return err
			}
		}
		return ctx.Err()
	})
	return out
}

// Unbatch flattens slices back into single values, in order.
func Unbatch[T any](r *Run, name string, in <-chan []T) <-chan T {
	out := make(chan T, r.buf)
	r.goStage(name, func(ctx context.Context) error {
		defer close(out)
		for b := range in {
			for _, v := range b {
				if err := send(ctx, out, v); err != nil {
					return err
				}
			}
		}
		return ctx.Err()
	})
	return out
}

// Sink consumes every value of in with consume, one at a time, in order.
func Sink[T any](r *Run, name string, in <-chan T, consume func(ctx context.Context, v T) error) {
	r.goStage(name, func(ctx context.Context) error {
		for v := range in {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			start := time.Now()
			if err := consume(ctx, v); err != nil {
				return err
			}
			if r.obs != nil {
				r.obs.ItemDone(name, time.Since(start))
			}
		}
		return ctx.Err()
	})
}
