package jobs

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/piimask/piimask/stages/generate"
	"github.com/piimask/piimask/stages/tokenize/hf"
)

// trainFixture prepares a small token-classification dataset with a small
// BPE tokenizer that has a tokenizer_config.json beside it, in dir/model.
func trainFixture(t *testing.T) (dir string) {
	t.Helper()
	dir = t.TempDir()
	gen, err := generate.New(generate.Config{Seed: 3, N: 200})
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for row := range gen.All() {
		texts = append(texts, row.SourceText)
	}
	tok, err := hf.TrainByteFallbackBPE(texts, 600)
	if err != nil {
		t.Fatal(err)
	}
	model := filepath.Join(dir, "model")
	os.MkdirAll(model, 0o755)
	os.WriteFile(filepath.Join(model, "tokenizer.json"), tok, 0o644)
	os.WriteFile(filepath.Join(model, "tokenizer_config.json"), []byte(`{"padding_side": "left"}`), 0o644)
	os.WriteFile(filepath.Join(dir, "words"), []byte("the\ncall\nParis\n"), 0o644)
	prepare := fmt.Sprintf(`kind: prepare
name: prepare-test
input:
  generate: {n: 120, seed: 1, languages: [en, fr]}
prepare:
  split: {seed: 13, ratios: [0.8, 0.2, 0.0]}
  token_classification:
    tokenizer: %s/tokenizer.json
    strategy: all_subtokens
    max_length: 64
    stride: 8
    token_type_ids: false
    formats: [parquet]
output:
  dir: %s/prepared
`, model, dir)
	if out, err := runYAML(t, dir, "prepare.yaml", prepare); err != nil {
		t.Fatalf("prepare: %v\n%s", err, out)
	}
	return dir
}

func runYAML(t *testing.T, dir, name, yaml string) (string, error) {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	env := testEnv(&out)
	l, err := Load(p, env)
	if err != nil {
		return out.String(), err
	}
	err = Run(context.Background(), l, env)
	return out.String(), err
}

func trainYAML(dir, extra string) string {
	return fmt.Sprintf(`kind: train
name: train-test
train:
  dataset: %[1]s/prepared/token_classification
  tokenizer: %[1]s/model/tokenizer.json
  architecture: conv-decoder
  embed_dim: 8
  hidden: 16
  offsets: [[-2, -1, 0], [-4, 0]]
  word_dropout: 0.1
  schedule: linear
  epochs: 1
  batch_size: 8
  max_steps: 4
  seed: 7
%[2]soutput:
  dir: %[1]s/model
`, dir, extra)
}

// The train job writes a conv decoder into the tokenizer's own directory and
// keeps the tokenizer_config.json found there (it used to delete it); two
// runs give the same model.onnx byte for byte; a missing dictionary is an
// error naming its key and how to install one.
func TestTrainConvJobKeepsTokenizerConfigAndReproduces(t *testing.T) {
	dir := trainFixture(t)
	dict := fmt.Sprintf("  dictionaries: [%s/words]\n", dir)
	out, err := runYAML(t, dir, "train.yaml", trainYAML(dir, dict))
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if !strings.Contains(out, "conv tagger") || !strings.Contains(out, "entity-token recall") || !strings.Contains(out, "tokenizer_config.json") {
		t.Errorf("output:\n%s", out)
	}
	model := filepath.Join(dir, "model")
	if got, err := os.ReadFile(filepath.Join(model, "tokenizer_config.json")); err != nil || !strings.Contains(string(got), "left") {
		t.Fatalf("tokenizer_config.json after training: %q, %v", got, err)
	}
	var cfg struct {
		ModelType    string   `json:"model_type"`
		IsDecoder    bool     `json:"is_decoder"`
		WindowLeft   int      `json:"window_left"`
		WindowRight  int      `json:"window_right"`
		FeatureNames []string `json:"feature_names"`
	}
	raw, _ := os.ReadFile(filepath.Join(model, "config.json"))
	if err := json.Unmarshal(raw, &cfg); err != nil {
		t.Fatal(err)
	}
	if cfg.ModelType != "piimask-conv-tagger-decoder" || !cfg.IsDecoder || cfg.WindowLeft != 6 || cfg.WindowRight != 0 ||
		cfg.FeatureNames[len(cfg.FeatureNames)-1] != "dictionary:words" {
		t.Errorf("config.json: %s", raw)
	}
	first, _ := os.ReadFile(filepath.Join(model, "model.onnx"))
	if out, err := runYAML(t, dir, "train.yaml", trainYAML(dir, dict)); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	second, _ := os.ReadFile(filepath.Join(model, "model.onnx"))
	if len(first) == 0 || !bytes.Equal(first, second) {
		t.Fatalf("two runs wrote different model.onnx (%d and %d bytes)", len(first), len(second))
	}

	for name, tc := range map[string]struct{ extra, want string }{
		"missing dictionary": {fmt.Sprintf("  dictionaries: [%s/nope]\n", dir), "train.dictionaries[0]"},
		"window on conv":     {"  window: 3\n", "train.window applies to the window MLP"},
	} {
		_, err := runYAML(t, dir, "bad.yaml", trainYAML(dir, tc.extra))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", name, err, tc.want)
		}
	}
}
