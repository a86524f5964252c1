package pipeline

import (
	"context"
	"errors"
	"math/rand/v2"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func numbers(n int) func(ctx context.Context, emit func(int) error) error {
	return func(ctx context.Context, emit func(int) error) error {
		for i := 0; i < n; i++ {
			if err := emit(i); err != nil {
				return err
			}
		}
		return nil
	}
}

func TestMapKeepsOrder(t *testing.T) {
	cases := []struct {
		name    string
		n       int
		workers int
	}{
		{"sequential", 200, 1},
		{"parallel", 500, 8},
		{"more workers than items", 3, 16},
		{"empty", 0, 4},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := New(context.Background(), WithBuffer(4))
			src := Source(r, "src", numbers(tc.n))
			var active, peak atomic.Int32
			sq := Map(r, "square", src, tc.workers, func(ctx context.Context, v int) (int, error) {
				cur := active.Add(1)
				for {
					p := peak.Load()
					if cur <= p || peak.CompareAndSwap(p, cur) {
						break
					}
				}
				time.Sleep(time.Duration(rand.IntN(200)) * time.Microsecond)
				active.Add(-1)
				return v * v, nil
			})
			var got []int
			Sink(r, "collect", sq, func(ctx context.Context, v int) error { got = append(got, v); return nil })
			if err := r.Wait(); err != nil {
				t.Fatal(err)
			}
			if len(got) != tc.n {
				t.Fatalf("got %d items, want %d", len(got), tc.n)
			}
			for i, v := range got {
				if v != i*i {
					t.Fatalf("item %d = %d, want %d (order lost)", i, v, i*i)
				}
			}
			if int(peak.Load()) > tc.workers {
				t.Fatalf("peak concurrency %d exceeds workers %d", peak.Load(), tc.workers)
			}
		})
	}
}

func TestFirstErrorStopsRun(t *testing.T) {
	boom := errors.New("boom")
	r := New(context.Background())
	var processed atomic.Int64
	src := Source(r, "src", numbers(1_000_000))
	m := Map(r, "fail", src, 4, func(ctx context.Context, v int) (int, error) {
		processed.Add(1)
		if v == 100 {
			return 0, boom
		}
		return v, nil
	})
	Sink(r, "sink", m, func(ctx context.Context, v int) error { return nil })
	err := r.Wait()
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want boom", err)
	}
	if !strings.Contains(err.Error(), "stage fail") {
		t.Fatalf("error %q does not name the stage", err)
	}
	if processed.Load() > 10_000 {
		t.Fatalf("run went on after the error: %d items processed", processed.Load())
	}
}

func TestPanicBecomesError(t *testing.T) {
	r := New(context.Background())
	src := Source(r, "src", numbers(10))
	m := Map(r, "panicky", src, 2, func(ctx context.Context, v int) (int, error) {
		if v == 5 {
			panic("bad item")
		}
		return v, nil
	})
	Sink(r, "sink", m, func(ctx context.Context, v int) error { return nil })
	err := r.Wait()
	if err == nil || !strings.Contains(err.Error(), "bad item") {
		t.Fatalf("err = %v, want the panic as an error", err)
	}
}

func TestCancellationStopsEveryStage(t *testing.T) {
	before := runtime.NumGoroutine()
	ctx, cancel := context.WithCancel(context.Background())
	r := New(ctx, WithBuffer(2))
	endless := Source(r, "endless", func(ctx context.Context, emit func(int) error) error {
		for i := 0; ; i++ {
			if err := emit(i); err != nil {
				return err
			}
		}
	})
	m := Map(r, "slow", endless, 3, func(ctx context.Context, v int) (int, error) {
		time.Sleep(time.Millisecond)
		return v, nil
	})
	var seen atomic.Int64
	Sink(r, "sink", m, func(ctx context.Context, v int) error {
		if seen.Add(1) == 20 {
			cancel()
		}
		return nil
	})
	done := make(chan error, 1)
	go func() { done <- r.Wait() }()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("run did not stop after cancellation")
	}
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > before+2 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if g := runtime.NumGoroutine(); g > before+2 {
		t.Fatalf("goroutines leaked: %d before, %d after", before, g)
	}
}

func TestBatchAndUnbatch(t *testing.T) {
	cases := []struct{ n, size, batches int }{{10, 3, 4}, {9, 3, 3}, {0, 5, 0}, {1, 1, 1}}
	for _, tc := range cases {
		r := New(context.Background())
		src := Source(r, "src", numbers(tc.n))
		b := Batch(r, "batch", src, tc.size)
		var sizes []int
		counted := Map(r, "count", b, 2, func(ctx context.Context, v []int) ([]int, error) {
			return v, nil
		})
		seenBatches := Map(r, "peek", counted, 1, func(ctx context.Context, v []int) ([]int, error) {
			sizes = append(sizes, len(v))
			return v, nil
		})
		flat := Unbatch(r, "unbatch", seenBatches)
		var got []int
		Sink(r, "sink", flat, func(ctx context.Context, v int) error { got = append(got, v); return nil })
		if err := r.Wait(); err != nil {
			t.Fatal(err)
		}
		if len(sizes) != tc.batches {
			t.Errorf("n=%d size=%d: %d batches, want %d", tc.n, tc.size, len(sizes), tc.batches)
		}
		for i, s := range sizes {
			if s > tc.size || (i < len(sizes)-1 && s != tc.size) {
				t.Errorf("batch %d has %d items (size %d)", i, s, tc.size)
			}
		}
		for i, v := range got {
			if v != i {
				t.Fatalf("unbatched order broken at %d: %d", i, v)
			}
		}
		if len(got) != tc.n {
			t.Fatalf("got %d items, want %d", len(got), tc.n)
		}
	}
}

type countingObserver struct{ items atomic.Int64 }

func (c *countingObserver) ItemDone(stage string, took time.Duration) {
	if stage == "double" {
		c.items.Add(1)
	}
}
func (c *countingObserver) QueueDepth(string, int) {}
func (c *countingObserver) InFlight(string, int)   {}

func TestObserverSeesEveryItem(t *testing.T) {
	obs := &countingObserver{}
	r := New(context.Background(), WithObserver(obs))
	m := Map(r, "double", Source(r, "src", numbers(50)), 3, func(ctx context.Context, v int) (int, error) { return 2 * v, nil })
	Sink(r, "sink", m, func(ctx context.Context, v int) error { return nil })
	if err := r.Wait(); err != nil {
		t.Fatal(err)
	}
	if obs.items.Load() != 50 {
		t.Fatalf("observer saw %d items, want 50", obs.items.Load())
	}
}

func BenchmarkMapOverhead(b *testing.B) {
	r := New(context.Background())
	m := Map(r, "id", Source(r, "src", numbers(b.N)), 4, func(ctx context.Context, v int) (int, error) { return v, nil })
	Sink(r, "sink", m, func(ctx context.Context, v int) error { return nil })
	if err := r.Wait(); err != nil {
		b.Fatal(err)
	}
}
