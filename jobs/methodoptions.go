package jobs

import (
	"fmt"

	"github.com/piimask/piimask/stages/detect/onnx"
)

// onnxOptions is the onnx method's options as config loading checks them:
// onnx.Options (the shape: every key, its type and doc) plus Check, the
// value checks the constructor makes before it opens the model.
type onnxOptions struct {
	onnx.Options `yaml:",inline"`
}

// Check reports option values onnx.New would refuse, without a model.
func (o onnxOptions) Check() error {
	if _, err := onnx.ParseStrategy(o.Aggregation); err != nil {
		return fmt.Errorf("option %w", err)
	}
	switch o.Thresholds {
	case "", "model", "none":
	default:
		return fmt.Errorf("option thresholds: %q: want model or none", o.Thresholds)
	}
	switch o.PaddingSide {
	case "", "left", "right":
	default:
		return fmt.Errorf("padding_side %q: want left or right", o.PaddingSide)
	}
	if o.RightContext > 0 && o.LeftContext > 0 {
		return fmt.Errorf("options right_context (%d) and left_context (%d): set one, not both", o.RightContext, o.LeftContext)
	}
	for _, f := range []struct {
		key string
		v   int
	}{{"batch_size", o.BatchSize}, {"max_length", o.MaxLength}, {"right_context", o.RightContext}, {"left_context", o.LeftContext}, {"sort_buffer", o.SortBuffer}} {
		if f.v < 0 {
			return fmt.Errorf("option %s: must not be negative, got %d", f.key, f.v)
		}
	}
	return nil
}
