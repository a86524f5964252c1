package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/piimask/piimask/internal/onnxgraph"
	"github.com/piimask/piimask/internal/train"
	"github.com/piimask/piimask/jobs/config"
	"github.com/piimask/piimask/stages/dataset"
	"github.com/piimask/piimask/stages/tokenize"
	"github.com/piimask/piimask/stages/tokenize/hf"
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

// trainSets reads the train and validation windows of every configured
// dataset; all must share the first one's label map.
func trainSets(ctx context.Context, tc *config.Train) (trainSet, valSet []train.Example, lm *tokenize.LabelMap, lmJSON []byte, err error) {
	dirs := append([]string{tc.Dataset}, tc.ExtraDatasets...)
	for i, dir := range dirs {
		m, raw, err := readLabelMap(filepath.Join(dir, "label_map.json"))
		if err != nil {
			return nil, nil, nil, nil, err
		}
		if i == 0 {
			lm, lmJSON = m, raw
		} else if !slices.Equal(m.ID2Label, lm.ID2Label) {
			return nil, nil, nil, nil, fmt.Errorf("train.extra_datasets: %s has another label map than %s", dir, tc.Dataset)
		}
		tr, err := readExamples(ctx, filepath.Join(dir, "train.parquet"))
		if err != nil {
			return nil, nil, nil, nil, err
		}
		if len(tr) == 0 {
			return nil, nil, nil, nil, fmt.Errorf("train dataset %s: train.parquet has no rows", dir)
		}
		val, err := readExamples(ctx, filepath.Join(dir, "validation.parquet"))
		if err != nil {
			return nil, nil, nil, nil, err
		}
		trainSet, valSet = append(trainSet, tr...), append(valSet, val...)
	}
	return trainSet, valSet, lm, lmJSON, nil
}

// unkID finds the tokenizer's unknown token.
func unkID(tok *hf.Tokenizer) (int, bool) {
	for _, s := range []string{"[UNK]", "<unk>"} {
		if id, ok := tok.TokenToID(s); ok {
			return id, true
		}
	}
	return 0, false
}

// trainTokenizer is the train job's tokenizer and the files of it that go
// into the model directory.
type trainTokenizer struct {
	tok  *hf.Tokenizer
	json []byte
	// extra holds a tokenizer_config.json found beside the tokenizer.
	extra map[string][]byte
}

// runTrain trains a window-MLP or conv tagger on the prepared dataset and
// writes the model directory (model.onnx, config.json, tokenizer files).
func runTrain(ctx context.Context, l *config.Loaded, env *Env) error {
	tc := l.Job.Train
	if tc == nil {
		return fmt.Errorf("%s:%d: a train job needs a train section", l.File, l.Line("kind"))
	}
	tt, err := loadTrainTokenizer(tc.Tokenizer)
	if err != nil {
		return err
	}
	kind, conv, err := trainArchitecture(l, tc)
	if err != nil {
		return err
	}
	trainSet, valSet, lm, lmJSON, err := trainSets(ctx, tc)
	if err != nil {
		return err
	}
	cfg := train.Config{Kind: kind, VocabSize: tt.tok.VocabSize(), NumLabels: lm.Len(), PadID: tt.tok.PadID(),
		EmbedDim: tc.EmbedDim, Hidden: tc.Hidden, Window: tc.Window, Epochs: tc.Epochs, BatchSize: tc.BatchSize,
		LearningRate: tc.LearningRate, Seed: uint64(tc.Seed), MaxSteps: tc.MaxSteps, TimeBudget: tc.TimeBudget,
		PositionBuckets: tc.PositionBuckets, Offsets: tc.Offsets, WordDropout: tc.WordDropout, OWeight: tc.OWeight,
		Schedule: tc.Schedule}
	if conv {
		if err := convFeatures(l, tc, tt.tok, &cfg); err != nil {
			return err
		}
	}
	last := time.Now()
	cfg.Progress = func(s train.Step) {
		if time.Since(last) > 5*time.Second {
			last = time.Now()
			env.Logger.Info("training", "step", s.Step, "epoch", s.Epoch, "loss", fmt.Sprintf("%.4f", s.Loss))
		}
	}
	tm, err := trainModel(ctx, trainSet, cfg, conv)
	if err != nil {
		return err
	}
	if err := train.WriteModelDirFiles(l.Job.Output.Dir, tm.trained, lmJSON, tt.json, tt.extra); err != nil {
		return err
	}
	untrained, trained := tm.untrained.Evaluate(valSet), tm.trained.Evaluate(valSet)
	fmt.Fprintf(env.Stdout, "%s: trained a %s %s on %d windows (%d steps, %.0f tokens/s, %s, stopped by %s)\n",
		l.Job.Name, kind, tm.what, len(trainSet), tm.stats.Steps, tm.stats.TokensPerSecond, tm.stats.Duration.Round(time.Millisecond), tm.stats.StoppedBy)
	fmt.Fprintf(env.Stdout, "validation (%d windows): token accuracy %.4f (untrained %.4f), entity-token recall %.4f (untrained %.4f)\n",
		len(valSet), trained.Accuracy(), untrained.Accuracy(), trained.EntityRecall(), untrained.EntityRecall())
	files := "model.onnx, config.json, tokenizer.json"
	if len(tt.extra) > 0 {
		files += ", tokenizer_config.json"
	}
	fmt.Fprintf(env.Stdout, "wrote %s (%s)\n", l.Job.Output.Dir, files)
	return nil
}

// loadTrainTokenizer loads train.tokenizer and reads the files the model
// directory gets: tokenizer.json and, when it lies beside it,
// tokenizer_config.json (a decoder's padding side; the directory is
// replaced whole).
func loadTrainTokenizer(ref string) (trainTokenizer, error) {
	tok, err := hf.Load(ref)
	if err != nil {
		return trainTokenizer{}, fmt.Errorf("train.tokenizer: %w", err)
	}
	tokPath := tokenizerFile(ref)
	tokJSON, err := os.ReadFile(tokPath)
	if err != nil {
		return trainTokenizer{}, fmt.Errorf("train.tokenizer: %w", err)
	}
	extra := map[string][]byte{}
	if data, err := os.ReadFile(filepath.Join(filepath.Dir(tokPath), "tokenizer_config.json")); err == nil {
		extra["tokenizer_config.json"] = data
	} else if !errors.Is(err, os.ErrNotExist) {
		return trainTokenizer{}, fmt.Errorf("train.tokenizer: %w", err)
	}
	return trainTokenizer{tok: tok, json: tokJSON, extra: extra}, nil
}

// trainArchitecture gives train.architecture's graph kind and whether it
// is a conv tagger, refusing the keys of the other architecture.
func trainArchitecture(l *config.Loaded, tc *config.Train) (kind onnxgraph.Kind, conv bool, err error) {
	switch tc.Architecture {
	case "", "encoder":
		kind = onnxgraph.Encoder
	case "decoder":
		kind = onnxgraph.Decoder
	case "conv-encoder":
		kind, conv = onnxgraph.Encoder, true
	case "conv-decoder":
		kind, conv = onnxgraph.Decoder, true
	default:
		return kind, false, fmt.Errorf("%s:%d: train.architecture: want encoder, decoder, conv-encoder or conv-decoder, got %q", l.File, l.Line("train.architecture"), tc.Architecture)
	}
	if !conv {
		for key, set := range map[string]bool{"offsets": tc.Offsets != nil, "dictionaries": len(tc.Dictionaries) > 0,
			"word_dropout": tc.WordDropout != 0, "o_weight": tc.OWeight != 0, "schedule": tc.Schedule != ""} {
			if set {
				return kind, false, fmt.Errorf("%s:%d: train.%s applies to conv-encoder and conv-decoder only", l.File, l.Line("train."+key), key)
			}
		}
	} else if tc.Window != 0 {
		return kind, false, fmt.Errorf("%s:%d: train.window applies to the window MLP (encoder, decoder); a conv model takes offsets", l.File, l.Line("train.window"))
	}
	switch tc.Schedule {
	case "", train.ScheduleConstant, train.ScheduleLinear:
	default:
		return kind, false, fmt.Errorf("%s:%d: train.schedule: want constant or linear, got %q", l.File, l.Line("train.schedule"), tc.Schedule)
	}
	return kind, conv, nil
}

// convFeatures loads train.dictionaries into the conv tagger's vocabulary
// features and finds the unknown token train.word_dropout replaces words with.
func convFeatures(l *config.Loaded, tc *config.Train, tok *hf.Tokenizer, cfg *train.Config) error {
	var dicts []*train.Dictionary
	for i, p := range tc.Dictionaries {
		d, err := train.LoadDictionary(p)
		if err != nil {
			return fmt.Errorf("%s:%d: train.dictionaries[%d]: %w", l.File, l.Line("train.dictionaries"), i, err)
		}
		dicts = append(dicts, d)
	}
	cfg.Features, cfg.NumFeatures = train.VocabFeatures(tok, dicts)
	cfg.FeatureNames = train.FeatureNames(dicts)
	if tc.WordDropout > 0 {
		id, ok := unkID(tok)
		if !ok {
			return fmt.Errorf("%s:%d: train.word_dropout needs an unknown token ([UNK] or <unk>) in %s", l.File, l.Line("train.word_dropout"), tc.Tokenizer)
		}
		cfg.UnkID = id
	}
	return nil
}

// trainEvaluator is a trained (or untrained) model that scores windows.
type trainEvaluator interface {
	train.Exportable
	Evaluate([]train.Example) train.Eval
}

// trainedModel is a model before and after training, with the run's figures.
type trainedModel struct {
	untrained, trained trainEvaluator
	stats              train.Stats
	what               string
}

// trainModel trains the window MLP or (conv) the conv tagger, keeping the
// untrained weights of the same seed for comparison.
func trainModel(ctx context.Context, set []train.Example, cfg train.Config, conv bool) (trainedModel, error) {
	if conv {
		b, err := train.NewConvWeights(cfg)
		if err != nil {
			return trainedModel{}, err
		}
		cw, s, err := train.TrainConv(ctx, set, cfg)
		if err != nil {
			return trainedModel{}, fmt.Errorf("train: %w", err)
		}
		return trainedModel{untrained: b, trained: cw, stats: s, what: "conv tagger"}, nil
	}
	b, err := train.NewWeights(cfg)
	if err != nil {
		return trainedModel{}, err
	}
	ww, s, err := train.Train(ctx, set, cfg)
	if err != nil {
		return trainedModel{}, fmt.Errorf("train: %w", err)
	}
	return trainedModel{untrained: b, trained: ww, stats: s, what: "window MLP"}, nil
}

// tokenizerFile resolves a tokenizer path given as a file or a directory.
func tokenizerFile(p string) string {
	if st, err := os.Stat(p); err == nil && st.IsDir() {
		return filepath.Join(p, "tokenizer.json")
	}
	return p
}
