package config

import "time"

// Train configures the train job: piimask's own CPU-trained token classifier
// (a windowed embedding MLP) from a prepare job's token-classification output.
type Train struct {
	// Dataset is the prepare job's token_classification directory
	// (train.parquet, validation.parquet, label_map.json).
	Dataset string `yaml:"dataset" required:"true"`
	// Tokenizer is the tokenizer.json the dataset was prepared with; it is
	// copied into the model directory.
	Tokenizer string `yaml:"tokenizer" required:"true"`
	// Architecture is encoder (BERT-like inputs, ±window context) or decoder
	// (input_ids/attention_mask/position_ids, left context only).
	Architecture string `yaml:"architecture"`
	EmbedDim     int    `yaml:"embed_dim"`
	Hidden       int    `yaml:"hidden"`
	// Window is k: ±k tokens (encoder) or the k previous tokens (decoder).
	Window       int           `yaml:"window"`
	Epochs       int           `yaml:"epochs"`
	BatchSize    int           `yaml:"batch_size"`
	LearningRate float64       `yaml:"learning_rate"`
	Seed         int64         `yaml:"seed"`
	MaxSteps     int           `yaml:"max_steps"`
	TimeBudget   time.Duration `yaml:"time_budget"`
}
