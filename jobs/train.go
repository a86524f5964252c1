package jobs

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/piimask/piimask/jobs/config"
	"github.com/piimask/piimask/stages/dataset"
	"github.com/piimask/piimask/stages/onnxgraph"
	"github.com/piimask/piimask/stages/tokenize"
	"github.com/piimask/piimask/stages/tokenize/hf"
	"github.com/piimask/piimask/stages/train"
)

func readExamples(ctx context.Context, path string) ([]train.Example, error) {
	var out []train.Example
	err := dataset.ReadTokenRows(ctx, path, func(r dataset.Row) error {
		ex := train.Example{IDs: make([]int, len(r.InputIDs)), Labels: make([]int, len(r.Labels))}
		for i := range r.InputIDs {
			ex.IDs[i] = int(r.InputIDs[i])
			ex.Labels[i] = int(r.Labels[i])
		}
		out = append(out, ex)
		return nil
	})
	return out, err
}

func readLabelMap(path string) (*tokenize.LabelMap, []byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("label map: %w", err)
	}
	var doc struct {
		ID2Label map[string]string `json:"id2label"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, nil, fmt.Errorf("label map %s: %w", path, err)
	}
	lm, err := tokenize.LabelMapFromID2Label(doc.ID2Label)
	if err != nil {
		return nil, nil, fmt.Errorf("label map %s: %w", path, err)
	}
	return lm, data, nil
}

func runTrain(ctx context.Context, l *config.Loaded, env *Env) error {
	tc := l.Job.Train
	if tc == nil {
		return fmt.Errorf("%s:%d: a train job needs a train section", l.File, l.Line("kind"))
	}
	tok, err := hf.Load(tc.Tokenizer)
	if err != nil {
		return fmt.Errorf("train.tokenizer: %w", err)
	}
	tokJSON, err := os.ReadFile(tokenizerFile(tc.Tokenizer))
	if err != nil {
		return fmt.Errorf("train.tokenizer: %w", err)
	}
	lm, lmJSON, err := readLabelMap(filepath.Join(tc.Dataset, "label_map.json"))
	if err != nil {
		return err
	}
	trainSet, err := readExamples(ctx, filepath.Join(tc.Dataset, "train.parquet"))
	if err != nil {
		return err
	}
	valSet, err := readExamples(ctx, filepath.Join(tc.Dataset, "validation.parquet"))
	if err != nil {
		return err
	}
	if len(trainSet) == 0 {
		return fmt.Errorf("train.dataset %s: train.parquet has no rows", tc.Dataset)
	}
	kind := onnxgraph.Encoder
	switch tc.Architecture {
	case "", "encoder":
	case "decoder":
		kind = onnxgraph.Decoder
	default:
		return fmt.Errorf("%s:%d: train.architecture: want encoder or decoder, got %q", l.File, l.Line("train.architecture"), tc.Architecture)
	}
	cfg := train.Config{Kind: kind, VocabSize: tok.VocabSize(), NumLabels: lm.Len(), PadID: tok.PadID(),
		EmbedDim: tc.EmbedDim, Hidden: tc.Hidden, Window: tc.Window, Epochs: tc.Epochs, BatchSize: tc.BatchSize,
		LearningRate: tc.LearningRate, Seed: uint64(tc.Seed), MaxSteps: tc.MaxSteps, TimeBudget: tc.TimeBudget}
	last := time.Now()
	cfg.Progress = func(s train.Step) {
		if time.Since(last) > 5*time.Second {
			last = time.Now()
			env.Logger.Info("training", "step", s.Step, "epoch", s.Epoch, "loss", fmt.Sprintf("%.4f", s.Loss))
		}
	}
	before, err := train.NewWeights(cfg)
	if err != nil {
		return err
	}
	w, st, err := train.Train(ctx, trainSet, cfg)
	if err != nil {
		return fmt.Errorf("train: %w", err)
	}
	if err := train.WriteModelDir(l.Job.Output.Dir, w, lmJSON, tokJSON); err != nil {
		return err
	}
	untrained, trained := before.Evaluate(valSet), w.Evaluate(valSet)
	fmt.Fprintf(env.Stdout, "%s: trained a %s window MLP on %d windows (%d steps, %.0f tokens/s, %s, stopped by %s)\n",
		l.Job.Name, kind, len(trainSet), st.Steps, st.TokensPerSecond, st.Duration.Round(time.Millisecond), st.StoppedBy)
	fmt.Fprintf(env.Stdout, "validation (%d windows): token accuracy %.4f (untrained %.4f), entity-token recall %.4f (untrained %.4f)\n",
		len(valSet), trained.Accuracy(), untrained.Accuracy(), trained.EntityRecall(), untrained.EntityRecall())
	fmt.Fprintf(env.Stdout, "wrote %s (model.onnx, config.json, tokenizer.json)\n", l.Job.Output.Dir)
	return nil
}

// tokenizerFile resolves a tokenizer path given as a file or a directory.
func tokenizerFile(p string) string {
	if st, err := os.Stat(p); err == nil && st.IsDir() {
		return filepath.Join(p, "tokenizer.json")
	}
	return p
}
