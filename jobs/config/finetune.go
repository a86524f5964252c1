package config

import (
	"fmt"
	"time"
)

// FinetuneJob configures the finetune job (kind: finetune): it uploads the
// training files (input.paths, the prepare job's finetune/train.jsonl) and
// the validation files to the Mistral API, creates a fine-tuning job, polls
// it until it ends and writes finetune.json in output.dir.
type FinetuneJob struct {
	// BaseURL is the API root (default https://api.mistral.ai).
	BaseURL string `yaml:"base_url"`
	// APIKey is the Mistral key; write ${MISTRAL_API_KEY}.
	APIKey string `yaml:"api_key" required:"true"`
	// Model is the base model to fine-tune (e.g. open-mistral-7b).
	Model string `yaml:"model" required:"true"`
	// ValidationFiles are JSONL files in the same chat format.
	ValidationFiles []string `yaml:"validation_files"`
	// Weights of the training files in the mix (default 1 each).
	Weights []float64 `yaml:"weights"`
	// Hyperparameters of the job.
	Hyperparameters FinetuneHyperparameters `yaml:"hyperparameters"`
	// Suffix is added to the fine-tuned model's name (at most 18 characters).
	Suffix string `yaml:"suffix"`
	// AutoStart starts training once the files are validated (default true).
	// With false the job stops at VALIDATED for a person to start.
	AutoStart *bool `yaml:"auto_start"`
	// Wait polls until the job ends (default true).
	Wait *bool `yaml:"wait"`
	// PollInterval is the time between polls (default 30s).
	PollInterval time.Duration `yaml:"poll_interval"`
	// Timeout bounds the whole job including polling (0 = none).
	Timeout time.Duration `yaml:"timeout"`
}

// FinetuneHyperparameters are the fine-tuning job's hyperparameters. Give
// training_steps or epochs.
type FinetuneHyperparameters struct {
	TrainingSteps  int     `yaml:"training_steps"`
	Epochs         float64 `yaml:"epochs"`
	LearningRate   float64 `yaml:"learning_rate"`
	WeightDecay    float64 `yaml:"weight_decay"`
	WarmupFraction float64 `yaml:"warmup_fraction"`
}

// Check reports the section's problems (nil when fine).
func (f *FinetuneJob) Check() error {
	h := f.Hyperparameters
	switch {
	case h.TrainingSteps < 0 || h.Epochs < 0 || h.LearningRate < 0 || h.WeightDecay < 0:
		return fmt.Errorf("finetune.hyperparameters must not be negative")
	case h.TrainingSteps > 0 && h.Epochs > 0:
		return fmt.Errorf("finetune.hyperparameters: give training_steps or epochs, not both")
	case h.WarmupFraction < 0 || h.WarmupFraction > 1:
		return fmt.Errorf("finetune.hyperparameters.warmup_fraction must be in [0, 1]")
	case len(f.Suffix) > 18:
		return fmt.Errorf("finetune.suffix has %d characters, at most 18", len(f.Suffix))
	case f.PollInterval < 0 || f.Timeout < 0:
		return fmt.Errorf("finetune.poll_interval and timeout must not be negative")
	}
	return nil
}
