package train_test

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/piimask/piimask/internal/onnxgraph"
	"github.com/piimask/piimask/internal/train"
)

// Default model size on a BERT-sized vocabulary and the AI4Privacy label map
// (54 classes → 109 BIO labels).
const (
	benchVocab  = 30522
	benchLabels = 109
	benchSeqLen = 128
)

func benchExamples(n int) []train.Example {
	r := rand.New(rand.NewPCG(1, 2))
	out := make([]train.Example, n)
	for i := range out {
		ids, labels := make([]int, benchSeqLen), make([]int, benchSeqLen)
		for j := range ids {
			ids[j] = r.IntN(benchVocab)
			labels[j] = r.IntN(benchLabels)
		}
		out[i] = train.Example{IDs: ids, Labels: labels}
	}
	return out
}

// BenchmarkTrainStep measures training throughput at the default size
// (embed 32, hidden 128, window ±2, batch 32×128 tokens).
func BenchmarkTrainStep(b *testing.B) {
	for _, kind := range []onnxgraph.Kind{onnxgraph.Encoder, onnxgraph.Decoder} {
		b.Run(string(kind), func(b *testing.B) {
			ex := benchExamples(32)
			cfg := train.Config{Kind: kind, VocabSize: benchVocab, NumLabels: benchLabels, Epochs: 1 << 30}
			b.ResetTimer()
			_, st, err := train.Train(context.Background(), ex, func() train.Config { cfg.MaxSteps = b.N; return cfg }())
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(st.Tokens)/b.Elapsed().Seconds(), "tokens/s")
		})
	}
}

// BenchmarkForward measures the pure-Go forward pass at the default size.
func BenchmarkForward(b *testing.B) {
	w, err := train.NewWeights(train.Config{VocabSize: benchVocab, NumLabels: benchLabels})
	if err != nil {
		b.Fatal(err)
	}
	ids := benchExamples(1)[0].IDs
	b.ResetTimer()
	for b.Loop() {
		w.Logits(ids)
	}
	b.ReportMetric(float64(b.N*len(ids))/b.Elapsed().Seconds(), "tokens/s")
}

// BenchmarkTrainStepConvVsWindow measures training throughput of the
// ConvTagger at the embedded model's size (vocabulary 20k, embed 64, 20
// features, hidden 128, 3 layers × 5 offsets) against the WindowMLP at the
// old embedded size (embed 48, hidden 192, ±3), both on batches of 32×128
// tokens and 113 labels.
func BenchmarkTrainStepConvVsWindow(b *testing.B) {
	const vocab, labels, feats = 20000, 113, 20
	ex := benchExamples(32)
	for i := range ex {
		for j := range ex[i].IDs {
			ex[i].IDs[j] %= vocab
			ex[i].Labels[j] %= labels
		}
	}
	b.Run("window", func(b *testing.B) {
		cfg := train.Config{VocabSize: vocab, NumLabels: labels, EmbedDim: 48, Hidden: 192, Window: 3, Epochs: 1 << 30, MaxSteps: b.N}
		_, st, err := train.Train(context.Background(), ex, cfg)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(st.Tokens)/b.Elapsed().Seconds(), "tokens/s")
	})
	for _, kind := range []onnxgraph.Kind{onnxgraph.Encoder, onnxgraph.Decoder} {
		b.Run("conv-"+string(kind), func(b *testing.B) {
			cfg := train.Config{Kind: kind, VocabSize: vocab, NumLabels: labels, EmbedDim: 64, Hidden: 128,
				NumFeatures: feats, Features: make([]float32, vocab*feats), WordDropout: 0.1, UnkID: 1,
				Epochs: 1 << 30, MaxSteps: b.N}
			_, st, err := train.TrainConv(context.Background(), ex, cfg)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(st.Tokens)/b.Elapsed().Seconds(), "tokens/s")
		})
	}
}
