package train

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"

	"github.com/piimask/piimask/internal/onnxgraph"
	"github.com/piimask/piimask/internal/onnxgraph/onnxpb"
)

// Model types written to config.json.
const (
	ModelTypeEncoder     = "piimask-window-mlp"
	ModelTypeDecoder     = "piimask-window-mlp-decoder"
	ModelTypeConvEncoder = "piimask-conv-tagger"
	ModelTypeConvDecoder = "piimask-conv-tagger-decoder"
)

// Files of a model directory (the Hugging Face Optimum layout).
const (
	ModelFile     = "model.onnx"
	ConfigFile    = "config.json"
	TokenizerFile = "tokenizer.json"
)

// HFConfig is the config.json piimask writes beside its models: the fields a
// Hugging Face token-classification config carries, plus the window sizes.
type HFConfig struct {
	Architectures         []string          `json:"architectures"`
	ModelType             string            `json:"model_type"`
	ID2Label              map[string]string `json:"id2label"`
	Label2ID              map[string]int    `json:"label2id"`
	NumLabels             int               `json:"num_labels"`
	VocabSize             int               `json:"vocab_size"`
	HiddenSize            int               `json:"hidden_size"`
	EmbeddingSize         int               `json:"embedding_size"`
	MaxPositionEmbeddings int               `json:"max_position_embeddings"`
	PadTokenID            int               `json:"pad_token_id"`
	TypeVocabSize         int               `json:"type_vocab_size,omitempty"`
	PositionBuckets       int               `json:"position_buckets,omitempty"`
	IsDecoder             bool              `json:"is_decoder"`
	// WindowLeft and WindowRight are the tokens of context on each side a
	// token's logits depend on (a ConvTagger's receptive field).
	WindowLeft  int      `json:"window_left"`
	WindowRight int      `json:"window_right"`
	ONNXInputs  []string `json:"onnx_inputs"`
	// ConvOffsets (ConvTagger) lists each layer's token offsets.
	ConvOffsets [][]int `json:"conv_offsets,omitempty"`
	// NumLayers and NumFeatures describe a ConvTagger.
	NumLayers    int      `json:"num_hidden_layers,omitempty"`
	NumFeatures  int      `json:"num_features,omitempty"`
	FeatureNames []string `json:"feature_names,omitempty"`
}

// Exportable is a trained model that can be written as a model directory.
type Exportable interface {
	Model() (*onnxpb.ModelProto, error)
	Config(id2label map[string]string) (HFConfig, error)
}

func labelMaps(id2label map[string]string, numLabels int) (map[string]int, error) {
	if len(id2label) != numLabels {
		return nil, fmt.Errorf("train: label map has %d labels, the model %d", len(id2label), numLabels)
	}
	label2id := make(map[string]int, len(id2label))
	for i := range numLabels {
		l, ok := id2label[strconv.Itoa(i)]
		if !ok || l == "" {
			return nil, fmt.Errorf("train: label map: id2label has no label for id %d", i)
		}
		if _, dup := label2id[l]; dup {
			return nil, fmt.Errorf("train: label map: label %q appears twice", l)
		}
		label2id[l] = i
	}
	return label2id, nil
}

// Config returns the config.json content for w with the given label map.
func (w *ConvWeights) Config(id2label map[string]string) (HFConfig, error) {
	label2id, err := labelMaps(id2label, w.NumLabels)
	if err != nil {
		return HFConfig{}, err
	}
	left, right := w.Context()
	c := HFConfig{
		ModelType: ModelTypeConvEncoder, Architectures: []string{"PiimaskConvTaggerForTokenClassification"},
		ID2Label: id2label, Label2ID: label2id, NumLabels: w.NumLabels, VocabSize: w.VocabSize,
		HiddenSize: w.Hidden, EmbeddingSize: w.EmbedDim, MaxPositionEmbeddings: w.MaxPositions,
		PadTokenID: w.PadID, WindowLeft: left, WindowRight: right, ONNXInputs: w.Kind.InputNames(),
		ConvOffsets: w.Offsets, NumLayers: len(w.Offsets), NumFeatures: w.NumFeatures, FeatureNames: w.FeatureNames,
	}
	if w.Kind == onnxgraph.Decoder {
		c.ModelType, c.Architectures = ModelTypeConvDecoder, []string{"PiimaskConvTaggerDecoderForTokenClassification"}
		c.IsDecoder, c.PositionBuckets = true, w.AuxRows
	} else {
		c.TypeVocabSize = w.AuxRows
	}
	return c, nil
}

// Config returns the config.json content for w with the given label map.
func (w *Weights) Config(id2label map[string]string) (HFConfig, error) {
	label2id, err := labelMaps(id2label, w.NumLabels)
	if err != nil {
		return HFConfig{}, err
	}
	c := HFConfig{
		ModelType: ModelTypeEncoder, Architectures: []string{"PiimaskWindowMLPForTokenClassification"},
		ID2Label: id2label, Label2ID: label2id, NumLabels: w.NumLabels, VocabSize: w.VocabSize,
		HiddenSize: w.Hidden, EmbeddingSize: w.EmbedDim, MaxPositionEmbeddings: w.MaxPositions,
		PadTokenID: w.PadID, WindowLeft: w.Left, WindowRight: w.Right, ONNXInputs: w.Kind.InputNames(),
	}
	if w.Kind == onnxgraph.Decoder {
		c.ModelType, c.Architectures = ModelTypeDecoder, []string{"PiimaskWindowMLPDecoderForTokenClassification"}
		c.IsDecoder, c.PositionBuckets = true, w.AuxRows
	} else {
		c.TypeVocabSize = w.AuxRows
	}
	return c, nil
}

// WriteModelDir writes dir/model.onnx, dir/config.json and dir/tokenizer.json
// (WriteModelDirFiles with no extra files).
func WriteModelDir(dir string, w Exportable, labelMapJSON, tokenizerJSON []byte) error {
	return WriteModelDirFiles(dir, w, labelMapJSON, tokenizerJSON, nil)
}

// WriteModelDirFiles writes dir/model.onnx, dir/config.json,
// dir/tokenizer.json and the extra files (name → content, e.g.
// tokenizer_config.json; names are plain file names).
// labelMapJSON is a label map as tokenize.LabelMap marshals it (an object with
// "id2label"; "label2id", if present, is rebuilt from id2label);
// tokenizerJSON is copied as is. The directory appears complete or not at
// all: files are written into a temporary sibling directory that is renamed
// into place; an existing dir is replaced.
func WriteModelDirFiles(dir string, w Exportable, labelMapJSON, tokenizerJSON []byte, extra map[string][]byte) error {
	for name := range extra {
		if name == "" || name != filepath.Base(name) || name == ModelFile || name == ConfigFile || name == TokenizerFile {
			return fmt.Errorf("train: model dir %s: extra file name %q is not a plain file name of its own", dir, name)
		}
	}
	var lm struct {
		ID2Label map[string]string `json:"id2label"`
	}
	if err := json.Unmarshal(labelMapJSON, &lm); err != nil {
		return fmt.Errorf("train: model dir %s: label map: %w", dir, err)
	}
	cfg, err := w.Config(lm.ID2Label)
	if err != nil {
		return fmt.Errorf("train: model dir %s: %w", dir, err)
	}
	if !json.Valid(tokenizerJSON) {
		return fmt.Errorf("train: model dir %s: tokenizer.json is not valid JSON", dir)
	}
	cfgJSON, err := json.MarshalIndent(cfg, "", "  ")
	if err != nil {
		return fmt.Errorf("train: model dir %s: config: %w", dir, err)
	}
	model, err := w.Model()
	if err != nil {
		return fmt.Errorf("train: model dir %s: %w", dir, err)
	}
	onnxBytes, err := onnxgraph.Marshal(model)
	if err != nil {
		return fmt.Errorf("train: model dir %s: %w", dir, err)
	}
	dir = filepath.Clean(dir)
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return fmt.Errorf("train: model dir %s: %w", dir, err)
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dir)+".tmp-*")
	if err != nil {
		return fmt.Errorf("train: model dir %s: %w", dir, err)
	}
	defer os.RemoveAll(tmp) // no-op after the rename
	files := []struct {
		name string
		data []byte
	}{{ModelFile, onnxBytes}, {ConfigFile, append(cfgJSON, '\n')}, {TokenizerFile, tokenizerJSON}}
	names := make([]string, 0, len(extra))
	for name := range extra {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		files = append(files, struct {
			name string
			data []byte
		}{name, extra[name]})
	}
	for _, f := range files {
		if err := writeSynced(filepath.Join(tmp, f.name), f.data); err != nil {
			return fmt.Errorf("train: model dir %s: %w", dir, err)
		}
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return fmt.Errorf("train: model dir %s: %w", dir, err)
	}
	var old string
	if _, err := os.Stat(dir); err == nil {
		old = tmp + ".old"
		if err := os.Rename(dir, old); err != nil {
			return fmt.Errorf("train: model dir %s: move old version aside: %w", dir, err)
		}
	}
	if err := os.Rename(tmp, dir); err != nil {
		if old != "" {
			if rerr := os.Rename(old, dir); rerr != nil {
				return fmt.Errorf("train: model dir %s: %w (and putting the old version back from %s failed: %v)", dir, err, old, rerr)
			}
		}
		return fmt.Errorf("train: model dir %s: %w", dir, err)
	}
	if old != "" {
		if err := os.RemoveAll(old); err != nil {
			return fmt.Errorf("train: model dir %s: remove old version %s: %w", dir, old, err)
		}
	}
	return nil
}

func writeSynced(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("sync %s: %w", path, err)
	}
	return f.Close()
}
