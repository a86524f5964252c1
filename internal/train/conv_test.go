package train_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/piimask/piimask/internal/onnxgraph"
	"github.com/piimask/piimask/internal/onnxgraph/onnxgraphtest"
	"github.com/piimask/piimask/internal/train"
)

func toyConvConfig(kind onnxgraph.Kind) train.Config {
	offs := [][]int{{-1, 0, 1}, {-2, 0, 2}}
	if kind == onnxgraph.Decoder {
		offs = [][]int{{-1, 0}, {-2, 0}}
	}
	// Two features: "is a marker or negator", "is entity-like".
	feats := make([]float32, toyVocab*2)
	for id := range toyVocab {
		if id == 3 || id == 4 {
			feats[id*2] = 1
		}
		if isEnt(id) {
			feats[id*2+1] = 1
		}
	}
	return train.Config{Kind: kind, VocabSize: toyVocab, NumLabels: toyLabels, PadID: toyPad,
		EmbedDim: 8, Hidden: 24, Offsets: offs, NumFeatures: 2, Features: feats,
		Epochs: 6, BatchSize: 16, LearningRate: 5e-3, Seed: 42, Schedule: train.ScheduleLinear,
		WordDropout: 0.05, UnkID: 59}
}

func TestConvLearnsToyTask(t *testing.T) {
	for _, kind := range []onnxgraph.Kind{onnxgraph.Encoder, onnxgraph.Decoder} {
		t.Run(string(kind), func(t *testing.T) {
			right := kind == onnxgraph.Encoder
			trainSet := toyExamples(800, 1, right)
			heldOut := toyExamples(200, 2, right)
			cfg := toyConvConfig(kind)
			before, err := train.NewConvWeights(cfg)
			if err != nil {
				t.Fatal(err)
			}
			e0 := before.Evaluate(heldOut)
			w, st, err := train.TrainConv(context.Background(), trainSet, cfg)
			if err != nil {
				t.Fatal(err)
			}
			checkLearned(t, e0, w.Evaluate(heldOut), st, cfg.Epochs)
		})
	}
}

// Same data and config, any number of workers: the same model file, byte for
// byte (word dropout included).
func TestConvDeterminism(t *testing.T) {
	ex := toyExamples(300, 3, true)
	var files [][]byte
	for _, workers := range []int{1, 2, 1} {
		cfg := toyConvConfig(onnxgraph.Encoder)
		cfg.Epochs, cfg.Workers, cfg.Shards = 2, workers, 3
		w, _, err := train.TrainConv(context.Background(), ex, cfg)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, modelBytes(t, w.Model))
	}
	if !bytes.Equal(files[0], files[1]) || !bytes.Equal(files[0], files[2]) {
		t.Fatal("model bytes differ between runs")
	}
	cfg := toyConvConfig(onnxgraph.Encoder)
	cfg.Epochs, cfg.Shards, cfg.Seed = 2, 3, 43
	w, _, err := train.TrainConv(context.Background(), ex, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(files[0], modelBytes(t, w.Model)) {
		t.Fatal("another seed gave the same model")
	}
}

func TestConvConfigErrors(t *testing.T) {
	ex := toyExamples(10, 3, true)
	for name, change := range map[string]func(*train.Config){
		"features size": func(c *train.Config) { c.Features = c.Features[1:] },
		"dropout":       func(c *train.Config) { c.WordDropout = 1 },
		"unk":           func(c *train.Config) { c.UnkID = toyVocab },
		"offsets":       func(c *train.Config) { c.Offsets = [][]int{{1, 0}} },
	} {
		cfg := toyConvConfig(onnxgraph.Encoder)
		change(&cfg)
		if _, _, err := train.TrainConv(context.Background(), ex, cfg); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// A trained conv model written as a model directory (with an extra
// tokenizer_config.json) runs in ONNX Runtime with the Go logits, padded.
func TestConvModelDirRunsInORT(t *testing.T) {
	onnxgraphtest.Init(t)
	for _, kind := range []onnxgraph.Kind{onnxgraph.Encoder, onnxgraph.Decoder} {
		t.Run(string(kind), func(t *testing.T) {
			cfg := toyConvConfig(kind)
			cfg.Epochs = 1
			w, _, err := train.TrainConv(context.Background(), toyExamples(200, 5, true), cfg)
			if err != nil {
				t.Fatal(err)
			}
			dir := filepath.Join(t.TempDir(), "model")
			tok := []byte(`{"version":"1.0","model":{"type":"WordLevel"}}`)
			extra := map[string][]byte{"tokenizer_config.json": []byte(`{"padding_side":"left"}`)}
			if err := train.WriteModelDirFiles(dir, w, []byte(toyLabelMap), tok, extra); err != nil {
				t.Fatal(err)
			}
			if got, _ := os.ReadFile(filepath.Join(dir, "tokenizer_config.json")); !bytes.Equal(got, extra["tokenizer_config.json"]) {
				t.Error("tokenizer_config.json not written")
			}
			var hf train.HFConfig
			raw, _ := os.ReadFile(filepath.Join(dir, train.ConfigFile))
			if err := json.Unmarshal(raw, &hf); err != nil {
				t.Fatal(err)
			}
			wantType, wantLeft, wantRight := train.ModelTypeConvEncoder, 3, 3
			if kind == onnxgraph.Decoder {
				wantType, wantLeft, wantRight = train.ModelTypeConvDecoder, 3, 0
			}
			if hf.ModelType != wantType || hf.WindowLeft != wantLeft || hf.WindowRight != wantRight || hf.NumLayers != 2 ||
				hf.NumFeatures != 2 || hf.IsDecoder != (kind == onnxgraph.Decoder) || hf.NumLabels != 3 {
				t.Errorf("config.json: %s", raw)
			}
			seqs := toyExamples(4, 6, true)
			in := newORTBatch(kind, seqs, 0)
			logits, _ := onnxgraphtest.Run(t, filepath.Join(dir, train.ModelFile), kind.InputNames(), len(seqs), in.seq,
				[][]int64{in.ids, in.mask, in.aux}, onnxgraph.LogitsName)
			if worst := in.maxDiff(logits, seqs, w.Logits); worst > 1e-4 {
				t.Fatalf("ORT and Go logits differ by %g", worst)
			}
		})
	}
}
