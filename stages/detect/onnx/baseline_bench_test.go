package onnx_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/piimask/piimask/models"
	"github.com/piimask/piimask/record"
	"github.com/piimask/piimask/stages/detect/onnx"
	"github.com/piimask/piimask/stages/generate"
	"github.com/piimask/piimask/stages/tokenize"
	"github.com/piimask/piimask/stages/tokenize/hf"
)

// BenchmarkBaselineModel runs the shipped baseline model (models/baseline)
// through the onnx method with its real tokenizer on generated documents:
// docs/s and tokens/s by batch size and intra-op threads, and the share of
// wall time spent outside session.Run.
func BenchmarkBaselineModel(b *testing.B) {
	dir, err := models.Materialize("builtin:baseline", b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	gen, err := generate.New(generate.Config{Seed: 99, N: 512})
	if err != nil {
		b.Fatal(err)
	}
	var recs []record.Record
	for row := range gen.All() {
		recs = append(recs, record.Record{ID: row.ID, Text: row.SourceText, Language: row.Language})
	}
	load := func(p string) (tokenize.Tokenizer, error) {
		t, err := hf.Load(p)
		if err != nil {
			return nil, err
		}
		return t, nil
	}
	for _, threads := range []int{1, 2} {
		for _, bs := range []int{1, 8, 32} {
			b.Run(fmt.Sprintf("batch=%d/threads=%d", bs, threads), func(b *testing.B) {
				m, err := onnx.New(context.Background(), onnx.Options{Model: dir, Tokenizer: load,
					BatchSize: bs, IntraOpThreads: threads, MaxLength: 128, Stride: 16, Aggregation: "first"})
				if err != nil {
					if strings.Contains(err.Error(), "not found") && os.Getenv("CI") == "" {
						b.Skip(err)
					}
					b.Fatal(err)
				}
				defer m.Close()
				for i := 0; b.Loop(); i++ {
					lo := (i * 64) % len(recs)
					if _, err := m.Detect(context.Background(), recs[lo:lo+64]); err != nil {
						b.Fatal(err)
					}
				}
				st := m.Stats()
				sec := st.Wall.Seconds()
				b.ReportMetric(float64(st.Docs)/sec, "docs/s")
				b.ReportMetric(float64(st.Tokens)/sec, "tokens/s")
				b.ReportMetric(100*st.OutsideRunShare(), "%outside-run")
			})
		}
	}
}
