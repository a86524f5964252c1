package config

import "time"

// Train configures the train job: piimask's own CPU-trained token classifier
// from a prepare job's token-classification output.
type Train struct {
	// Dataset is the prepare job's token_classification directory
	// (train.parquet, validation.parquet, label_map.json).
	Dataset string `yaml:"dataset" required:"true"`
	// ExtraDatasets are more token_classification directories (same
	// tokenizer and label map) whose windows are added to the training and
	// validation sets: a data mix.
	ExtraDatasets []string `yaml:"extra_datasets"`
	// Tokenizer is the tokenizer.json the dataset was prepared with; it is
	// copied into the model directory, with the tokenizer_config.json beside
	// it when there is one.
	Tokenizer string `yaml:"tokenizer" required:"true"`
	// Architecture is encoder or decoder (the window MLP: BERT-like inputs
	// with ±window context, or input_ids/attention_mask/position_ids with left
	// context only), or conv-encoder or conv-decoder (the stacked dilated
	// convolutional tagger with vocabulary features; the decoder's offsets are
	// all ≤ 0).
	Architecture string `yaml:"architecture"`
	EmbedDim     int    `yaml:"embed_dim"`
	Hidden       int    `yaml:"hidden"`
	// Window is k: ±k tokens (encoder) or the k previous tokens (decoder).
	Window int `yaml:"window"`
	// Offsets (conv-*) lists each convolution layer's token offsets, e.g.
	// [[-2,-1,0,1,2], [-4,-2,0,2,4], [-8,-4,0,4,8]] (the conv-encoder default;
	// conv-decoder: [[-4,-3,-2,-1,0], [-8,-6,-4,-2,0], [-16,-12,-8,-4,0]]).
	Offsets [][]int `yaml:"offsets"`
	// PositionBuckets (decoders) is the number of distinct position rows.
	PositionBuckets int `yaml:"position_buckets"`
	// Dictionaries (conv-*) are word lists, one word a line (e.g.
	// /usr/share/dict/american-english from Debian wamerican,
	// /usr/share/dict/french from wfrench); their lowercase entries give one
	// "common dictionary word" feature each.
	Dictionaries []string `yaml:"dictionaries"`
	// WordDropout (conv-*) is the probability that a training token's
	// embedding is replaced by the unknown token's (its features are kept).
	WordDropout float64 `yaml:"word_dropout"`
	// OWeight (conv-*) weights the loss of "O" tokens (default 1).
	OWeight float64 `yaml:"o_weight"`
	// Schedule (conv-*) is constant (default) or linear (warm-up, then linear
	// decay).
	Schedule     string        `yaml:"schedule"`
	Epochs       int           `yaml:"epochs"`
	BatchSize    int           `yaml:"batch_size"`
	LearningRate float64       `yaml:"learning_rate"`
	Seed         int64         `yaml:"seed"`
	MaxSteps     int           `yaml:"max_steps"`
	TimeBudget   time.Duration `yaml:"time_budget"`
}
