package pipeline_test

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/piimask/piimask/pipeline"
)

// A source, a parallel map that keeps input order, batching and a sink —
// the shape of every piimask job (read, detect, score/mask, write).
func Example() {
	r := pipeline.New(context.Background())
	words := pipeline.Source(r, "read", func(ctx context.Context, emit func(string) error) error {
		for _, w := range strings.Fields("alpha beta gamma delta epsilon") {
			if err := emit(w); err != nil {
				return err
			}
		}
		return nil
	})
	upper := pipeline.Map(r, "upper", words, 4, func(ctx context.Context, w string) (string, error) {
		return strings.ToUpper(w), nil
	})
	batches := pipeline.Batch(r, "batch", upper, 2)
	pipeline.Sink(r, "write", batches, func(ctx context.Context, b []string) error {
		fmt.Println(b)
		return nil
	})
	if err := r.Wait(); err != nil {
		fmt.Println("error:", err)
	}
	// Output:
	// [ALPHA BETA]
	// [GAMMA DELTA]
	// [EPSILON]
}

// The first error of any stage cancels every stage and is Wait's result,
// named by its stage.
func Example_error() {
	r := pipeline.New(context.Background())
	nums := pipeline.Source(r, "read", func(ctx context.Context, emit func(int) error) error {
		for i := 0; ; i++ { // endless: stopped by the failing stage
			if err := emit(i); err != nil {
				return err
			}
		}
	})
	checked := pipeline.Map(r, "check", nums, 2, func(ctx context.Context, n int) (int, error) {
		if n == 3 {
			return 0, errors.New("document 3 is malformed")
		}
		return n, nil
	})
	pipeline.Sink(r, "write", checked, func(ctx context.Context, n int) error { return nil })
	fmt.Println(r.Wait())
	// Output:
	// stage check: document 3 is malformed
}
