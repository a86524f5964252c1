package gold

import (
	"context"

	"github.com/piimask/piimask/record"
	"github.com/piimask/piimask/stages/detect"
)

// Type is the method type in job configs.
const Type = "gold"

// Method returns each record's gold spans with score 1.
type Method struct{ name string }

// New returns a gold method named name.
func New(name string) *Method { return &Method{name: name} }

// Register adds the gold method type to reg. It takes no options.
func Register(reg *detect.Registry) {
	reg.RegisterOptions(Type, struct{}{}, func(_ context.Context, spec detect.Spec) (detect.Method, error) {
		var none struct{}
		if err := detect.DecodeOptions(spec.Options, &none); err != nil {
			return nil, err
		}
		return New(spec.Name), nil
	})
}

// Name is the method's configured name.
func (m *Method) Name() string { return m.name }

// Detect copies each record's gold spans, with score 1.
func (m *Method) Detect(ctx context.Context, batch []record.Record) ([]detect.Prediction, error) {
	out := make([]detect.Prediction, len(batch))
	for i, r := range batch {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		spans := make([]record.Span, len(r.Gold))
		for j, s := range r.Gold {
			s.Score = 1
			spans[j] = s
		}
		out[i] = detect.Prediction{Spans: spans}
	}
	return out, nil
}

// Close releases nothing.
func (m *Method) Close() error { return nil }
