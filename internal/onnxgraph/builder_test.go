package onnxgraph_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/piimask/piimask/internal/onnxgraph"
)

func TestBuilderErrors(t *testing.T) {
	tests := []struct {
		name  string
		build func(b *onnxgraph.Builder)
		want  string
	}{
		{"undefined input", func(b *onnxgraph.Builder) {
			x := b.Input("x", onnxgraph.Float, onnxgraph.Sym("n"))
			b.OpTo("y", "Add", []string{x, "nope"})
			b.Output("y", onnxgraph.Float, onnxgraph.Sym("n"))
		}, `reads "nope"`},
		{"duplicate", func(b *onnxgraph.Builder) {
			b.Input("x", onnxgraph.Float)
			b.Input("x", onnxgraph.Float)
		}, "defined twice"},
		{"no outputs", func(b *onnxgraph.Builder) { b.Input("x", onnxgraph.Float) }, "no outputs"},
		{"output not produced", func(b *onnxgraph.Builder) { b.Output("z", onnxgraph.Float) }, `output "z"`},
		{"bad tensor", func(b *onnxgraph.Builder) { b.FloatInit("w", []int64{2, 2}, []float32{1}) }, "wants 4 values, got 1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := onnxgraph.NewBuilder("g")
			tc.build(b)
			_, err := b.Model("test", nil)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want %q", err, tc.want)
			}
		})
	}
}

func TestMarshalRoundTripAndDeterminism(t *testing.T) {
	m := randomModel(onnxgraph.Encoder, 2, 2, 9)
	model, err := m.Model()
	if err != nil {
		t.Fatal(err)
	}
	a, err := onnxgraph.Marshal(model)
	if err != nil {
		t.Fatal(err)
	}
	model2, _ := m.Model()
	b, _ := onnxgraph.Marshal(model2)
	if !bytes.Equal(a, b) {
		t.Fatal("same weights gave different bytes")
	}
	back, err := onnxgraph.Unmarshal(a)
	if err != nil {
		t.Fatal(err)
	}
	if back.IrVersion != onnxgraph.IRVersion || back.OpsetImport[0].Version != onnxgraph.OpsetVersion {
		t.Fatalf("versions IR %d opset %d", back.IrVersion, back.OpsetImport[0].Version)
	}
	var inputs []string
	for _, in := range back.Graph.Input {
		inputs = append(inputs, in.Name)
	}
	if got := strings.Join(inputs, ","); got != "input_ids,attention_mask,token_type_ids" {
		t.Fatalf("inputs %s", got)
	}
	out := back.Graph.Output[0]
	dims := out.Type.GetTensorType().Shape.Dim
	if out.Name != "logits" || dims[0].GetDimParam() != "batch" || dims[1].GetDimParam() != "sequence" || dims[2].GetDimValue() != 4 {
		t.Fatalf("output %v", out)
	}
	if _, err := onnxgraph.Unmarshal([]byte{0xff, 0xff}); err == nil {
		t.Fatal("garbage decoded")
	}
}
