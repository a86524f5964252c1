package train_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/piimask/piimask/internal/onnxgraph"
	"github.com/piimask/piimask/internal/onnxgraph/onnxgraphtest"
	"github.com/piimask/piimask/internal/train"
)

func toyConfig(kind onnxgraph.Kind) train.Config {
	return train.Config{Kind: kind, VocabSize: toyVocab, NumLabels: toyLabels, PadID: toyPad,
		EmbedDim: 16, Hidden: 48, Window: 2, Epochs: 6, BatchSize: 16, LearningRate: 5e-3, Seed: 42}
}

func TestLearnsToyTask(t *testing.T) {
	for _, kind := range []onnxgraph.Kind{onnxgraph.Encoder, onnxgraph.Decoder} {
		t.Run(string(kind), func(t *testing.T) {
			right := kind == onnxgraph.Encoder // the decoder's task needs no right context
			trainSet := toyExamples(800, 1, right)
			heldOut := toyExamples(200, 2, right)
			cfg := toyConfig(kind)
			before, err := train.NewWeights(cfg)
			if err != nil {
				t.Fatal(err)
			}
			e0 := before.Evaluate(heldOut)
			w, st, err := train.Train(context.Background(), trainSet, cfg)
			if err != nil {
				t.Fatal(err)
			}
			checkLearned(t, e0, w.Evaluate(heldOut), st, cfg.Epochs)
			if st.StoppedBy != "epochs" || st.Steps != cfg.Epochs*50 {
				t.Errorf("stopped by %q after %d steps", st.StoppedBy, st.Steps)
			}
		})
	}
}

// A left-context model cannot see the negator that follows a span, so on the
// encoder's task it must do measurably worse than the encoder does.
func TestDecoderCannotSeeRightContext(t *testing.T) {
	trainSet, heldOut := toyExamples(800, 1, true), toyExamples(200, 2, true)
	cfg := toyConfig(onnxgraph.Decoder)
	w, _, err := train.Train(context.Background(), trainSet, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if e := w.Evaluate(heldOut); e.EntityRecall() > 0.9 && e.Accuracy() > 0.95 {
		t.Errorf("decoder reached accuracy %.3f, recall %.3f on a task that needs right context", e.Accuracy(), e.EntityRecall())
	}
}

func TestDeterminism(t *testing.T) {
	ex := toyExamples(200, 3, true)
	run := func(seed uint64, workers int) []byte {
		cfg := toyConfig(onnxgraph.Encoder)
		cfg.Seed, cfg.Workers, cfg.Epochs = seed, workers, 2
		w, _, err := train.Train(context.Background(), ex, cfg)
		if err != nil {
			t.Fatal(err)
		}
		return modelBytes(t, w.Model)
	}
	a, b, c := run(7, 1), run(7, 3), run(8, 2)
	if !bytes.Equal(a, b) {
		t.Error("same seed, different worker count: different weights")
	}
	if bytes.Equal(a, c) {
		t.Error("different seeds gave identical weights")
	}
}

func TestStopsAndCancels(t *testing.T) {
	ex := toyExamples(100, 4, true)
	cfg := toyConfig(onnxgraph.Encoder)
	cfg.MaxSteps = 3
	_, st, err := train.Train(context.Background(), ex, cfg)
	if err != nil || st.Steps != 3 || st.StoppedBy != "max_steps" {
		t.Fatalf("max steps: %d steps, %q, %v", st.Steps, st.StoppedBy, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cfg.MaxSteps = 0
	cfg.Progress = func(s train.Step) {
		if s.Step == 2 {
			cancel()
		}
	}
	_, st, err = train.Train(ctx, ex, cfg)
	if !errors.Is(err, context.Canceled) || st.Steps != 2 {
		t.Fatalf("cancel: %d steps, %v", st.Steps, err)
	}
}

func TestCheckExamples(t *testing.T) {
	tests := []struct {
		name string
		ex   train.Example
		want string
	}{
		{"ok", train.Example{IDs: []int{1, 2}, Labels: []int{0, train.IgnoreLabel}}, ""},
		{"lengths", train.Example{IDs: []int{1, 2}, Labels: []int{0}}, "2 ids but 1 labels"},
		{"id", train.Example{IDs: []int{1, 60}, Labels: []int{0, 0}}, "token 1: id 60"},
		{"label", train.Example{IDs: []int{1}, Labels: []int{3}}, "token 0: label 3"},
		{"negative id", train.Example{IDs: []int{-1}, Labels: []int{0}}, "id -1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := train.CheckExamples([]train.Example{{IDs: []int{5}, Labels: []int{1}}, tc.ex}, toyVocab, toyLabels)
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), "example 1") || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want example 1 and %q", err, tc.want)
			}
		})
	}
}

const toyLabelMap = `{"id2label":{"0":"O","1":"B-X","2":"I-X"},"label2id":{"O":0,"B-X":1,"I-X":2}}`

// The trained model, written as a model directory, runs in the real ONNX
// Runtime with the same logits as the Go forward pass, batched and padded.
func TestModelDirRunsInORT(t *testing.T) {
	onnxgraphtest.Init(t)
	for _, kind := range []onnxgraph.Kind{onnxgraph.Encoder, onnxgraph.Decoder} {
		t.Run(string(kind), func(t *testing.T) {
			cfg := toyConfig(kind)
			cfg.Epochs = 1
			w, _, err := train.Train(context.Background(), toyExamples(200, 5, true), cfg)
			if err != nil {
				t.Fatal(err)
			}
			dir := filepath.Join(t.TempDir(), "model")
			tok := []byte(`{"version":"1.0","model":{"type":"WordLevel"}}`)
			if err := train.WriteModelDir(dir, w, []byte(toyLabelMap), tok); err != nil {
				t.Fatal(err)
			}
			got, _ := os.ReadFile(filepath.Join(dir, train.TokenizerFile))
			if !bytes.Equal(got, tok) {
				t.Error("tokenizer.json not copied verbatim")
			}
			var hf map[string]any
			raw, _ := os.ReadFile(filepath.Join(dir, train.ConfigFile))
			if err := json.Unmarshal(raw, &hf); err != nil {
				t.Fatal(err)
			}
			wantType := train.ModelTypeEncoder
			if kind == onnxgraph.Decoder {
				wantType = train.ModelTypeDecoder
			}
			if hf["model_type"] != wantType || hf["num_labels"] != 3.0 || hf["pad_token_id"] != 0.0 ||
				hf["id2label"].(map[string]any)["2"] != "I-X" || hf["label2id"].(map[string]any)["B-X"] != 1.0 ||
				hf["max_position_embeddings"] != 512.0 || len(hf["architectures"].([]any)) != 1 {
				t.Errorf("config.json: %s", raw)
			}

			seqs := toyExamples(4, 6, true)
			in := newORTBatch(kind, seqs, 1)
			logits, shape := onnxgraphtest.Run(t, filepath.Join(dir, train.ModelFile), kind.InputNames(), len(seqs), in.seq,
				[][]int64{in.ids, in.mask, in.aux}, onnxgraph.LogitsName)
			if shape[2] != toyLabels {
				t.Fatalf("shape %v", shape)
			}
			if worst := in.maxDiff(logits, seqs, w.Logits); worst > 1e-5 {
				t.Fatalf("ORT and Go logits differ by %g", worst)
			}
		})
	}
}

func TestWriteModelDirErrorsAndReplace(t *testing.T) {
	w, err := train.NewWeights(toyConfig(onnxgraph.Encoder))
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "m")
	tests := []struct {
		name, labels, tok, want string
	}{
		{"too few labels", `{"id2label":{"0":"O","1":"B-X"}}`, `{}`, "2 labels, the model 3"},
		{"gap", `{"id2label":{"0":"O","1":"B-X","3":"I-X"}}`, `{}`, "no label for id 2"},
		{"duplicate", `{"id2label":{"0":"O","1":"X","2":"X"}}`, `{}`, `"X" appears twice`},
		{"bad json", `{`, `{}`, "label map"},
		{"bad tokenizer", toyLabelMap, `{`, "tokenizer.json"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := train.WriteModelDir(dir, w, []byte(tc.labels), []byte(tc.tok))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want %q", err, tc.want)
			}
			if _, err := os.Stat(dir); !os.IsNotExist(err) {
				t.Fatal("a failed write left a directory behind")
			}
		})
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "stale.txt"), []byte("x"), 0o644)
	if err := train.WriteModelDir(dir, w, []byte(toyLabelMap), []byte(`{}`)); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if strings.Join(names, ",") != "config.json,model.onnx,tokenizer.json" {
		t.Fatalf("model dir holds %v", names)
	}
	siblings, _ := os.ReadDir(filepath.Dir(dir))
	if len(siblings) != 1 {
		t.Fatalf("temporary directories left: %d entries", len(siblings))
	}
}
