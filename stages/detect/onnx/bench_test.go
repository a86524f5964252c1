package onnx_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/piimask/piimask/record"
	"github.com/piimask/piimask/stages/detect/onnx"
	"github.com/piimask/piimask/stages/detect/onnx/internal/onnxtest"
	"github.com/piimask/piimask/stages/tokenize"
)

// benchModel writes a tiny random model (vocab 2k, dim 64, hidden 128, 9
// labels) and its tokenizer; returns the directory, the loader and texts.
func benchModel(b *testing.B) (string, onnx.TokenizerLoader, []record.Record) {
	r := rand.New(rand.NewPCG(1, 2))
	var words []string
	for i := 0; i < 2000; i++ {
		words = append(words, fmt.Sprintf("w%d", i))
	}
	tok := onnxtest.NewWordPiece(words)
	const D, H, L = 64, 128, 9
	rnd := func(n int) []float32 {
		out := make([]float32, n)
		for i := range out {
			out[i] = float32(r.NormFloat64() * 0.1)
		}
		return out
	}
	spec := onnxtest.Spec{Vocab: tok.VocabSize(), Dim: D, Labels: L, Emb: rnd(tok.VocabSize() * D),
		Hidden: H, W1: rnd(D * H), B1: rnd(H), W2: rnd(H * L), B2: rnd(L)}
	dir := b.TempDir()
	labels := []string{"O", "B-A", "I-A", "B-B", "I-B", "B-C", "I-C", "B-D", "I-D"}
	var id2 []string
	for i, l := range labels {
		id2 = append(id2, fmt.Sprintf("%q: %q", fmt.Sprint(i), l))
	}
	for name, data := range map[string][]byte{
		"model.onnx":     onnxtest.Model(spec),
		"tokenizer.json": tok.TokenizerJSON(),
		"config.json":    []byte(`{"id2label": {` + strings.Join(id2, ", ") + `}}`),
	} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	// 256 texts of 20–200 words (AI4Privacy-like lengths).
	recs := make([]record.Record, 256)
	for i := range recs {
		n := 20 + r.IntN(180)
		ws := make([]string, n)
		for j := range ws {
			ws[j] = words[r.IntN(len(words))]
		}
		recs[i] = record.Record{ID: fmt.Sprint(i), Text: strings.Join(ws, " ")}
	}
	return dir, func(string) (tokenize.Tokenizer, error) { return tok, nil }, recs
}

// BenchmarkDetect reports docs/s, tokens/s and the share of Detect wall time
// spent outside session.Run, for model batch sizes 1, 8, 32 and 1 or 2
// intra-op threads. Each Detect call gets 64 records, as the engine would.
func BenchmarkDetect(b *testing.B) {
	dir, load, recs := benchModel(b)
	for _, threads := range []int{1, 2} {
		for _, bs := range []int{1, 8, 32} {
			b.Run(fmt.Sprintf("batch=%d/threads=%d", bs, threads), func(b *testing.B) {
				m, err := onnx.New(context.Background(), onnx.Options{Model: dir, Tokenizer: load,
					BatchSize: bs, IntraOpThreads: threads, MaxLength: 256})
				if err != nil {
					if strings.Contains(err.Error(), "not found") && os.Getenv("CI") == "" {
						b.Skip(err)
					}
					b.Fatal(err)
				}
				defer m.Close()
				b.ResetTimer()
				for i := 0; b.Loop(); i++ {
					lo := (i * 64) % len(recs)
					if _, err := m.Detect(context.Background(), recs[lo:lo+64]); err != nil {
						b.Fatal(err)
					}
				}
				st := m.Stats()
				b.Logf("%+v", st)
				sec := st.Wall.Seconds()
				b.ReportMetric(float64(st.Docs)/sec, "docs/s")
				b.ReportMetric(float64(st.Tokens)/sec, "tokens/s")
				b.ReportMetric(100*st.OutsideRunShare(), "%outside-run")
				b.ReportMetric(100*float64(st.Tokens)/float64(max(st.PaddedTokens, 1)), "%useful-slots")
			})
		}
	}
}
