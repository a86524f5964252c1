package gold_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/piimask/piimask/record"
	"github.com/piimask/piimask/stages/detect"
	"github.com/piimask/piimask/stages/detect/gold"
)

func TestGold(t *testing.T) {
	reg := detect.NewRegistry()
	gold.Register(reg)
	m, err := reg.New(context.Background(), detect.Spec{Name: "truth", Type: gold.Type})
	if err != nil {
		t.Fatal(err)
	}
	if m.Name() != "truth" {
		t.Errorf("name %q", m.Name())
	}
	batch := []record.Record{
		{Text: "Anna", Gold: []record.Span{{Start: 0, End: 4, Label: "FIRSTNAME"}}},
		{Text: "nothing"},
	}
	preds, err := m.Detect(context.Background(), batch)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]record.Span{{{Start: 0, End: 4, Label: "FIRSTNAME", Score: 1}}, {}}
	for i, p := range preds {
		if !reflect.DeepEqual(p.Spans, want[i]) {
			t.Errorf("doc %d: %+v, want %+v", i, p.Spans, want[i])
		}
	}
	if batch[0].Gold[0].Score != 0 {
		t.Error("Detect modified the record's gold spans")
	}
	if _, err := reg.New(context.Background(), detect.Spec{Name: "x", Type: gold.Type, Options: detect.Options{"k": 1}}); err == nil {
		t.Error("unknown option accepted")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := m.Detect(ctx, batch); err == nil {
		t.Error("cancelled context ignored")
	}
}
