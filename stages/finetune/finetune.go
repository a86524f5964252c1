// Package finetune runs a whole Mistral fine-tuning through internal/llmapi:
// it uploads the training and validation files (purpose fine-tune), creates
// the job and, when asked, polls it until it ends (or is validated, without
// auto start). It holds no HTTP code of its own.
package finetune

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/piimask/piimask/internal/llmapi"
)

// Spec is a whole fine-tuning run: files to upload and the job to create.
type Spec struct {
	Model string
	// Training and Validation are paths of JSONL files in the Mistral chat
	// format (the prepare job's train.jsonl and validation.jsonl).
	Training   []string
	Validation []string
	// Weights are the training files' weights (nil: 1 each).
	Weights         []float64
	Hyperparameters llmapi.Hyperparameters
	Suffix          string
	// AutoStart starts training once the files are validated. Without it
	// the run stops at VALIDATED (a person starts the job after checking
	// the cost estimate).
	AutoStart bool
	// Wait polls until the job ends (or is validated, without AutoStart).
	Wait   bool
	Poller llmapi.Poller
}

// Result is what FineTune did.
type Result struct {
	TrainingFiles   []llmapi.File
	ValidationFiles []llmapi.File
	Job             llmapi.Job
}

// upload sends the file at path with purpose fine-tune.
func upload(ctx context.Context, c *llmapi.Client, path string) (llmapi.File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return llmapi.File{}, fmt.Errorf("upload: %w", err)
	}
	return c.UploadBytes(ctx, filepath.Base(path), data, llmapi.PurposeFineTune)
}

// FineTune uploads the files, creates the job and, with Wait, polls it until
// it ends. A job that ends other than SUCCESS is an error naming its status.
func FineTune(ctx context.Context, c *llmapi.Client, s Spec) (Result, error) {
	var res Result
	if len(s.Weights) > 0 && len(s.Weights) != len(s.Training) {
		return res, fmt.Errorf("fine-tune: %d weights for %d training files", len(s.Weights), len(s.Training))
	}
	if s.Hyperparameters.TrainingSteps > 0 && s.Hyperparameters.Epochs > 0 {
		return res, errors.New("fine-tune: give training_steps or epochs, not both")
	}
	req := llmapi.JobRequest{Model: s.Model, Hyperparameters: s.Hyperparameters, Suffix: s.Suffix, AutoStart: s.AutoStart}
	for i, p := range s.Training {
		f, err := upload(ctx, c, p)
		if err != nil {
			return res, err
		}
		res.TrainingFiles = append(res.TrainingFiles, f)
		tf := llmapi.TrainingFile{FileID: f.ID, Weight: 1}
		if len(s.Weights) > 0 {
			tf.Weight = s.Weights[i]
		}
		req.TrainingFiles = append(req.TrainingFiles, tf)
	}
	for _, p := range s.Validation {
		f, err := upload(ctx, c, p)
		if err != nil {
			return res, err
		}
		res.ValidationFiles = append(res.ValidationFiles, f)
		req.ValidationFiles = append(req.ValidationFiles, f.ID)
	}
	j, err := c.CreateJob(ctx, req)
	if err != nil {
		return res, fmt.Errorf("fine-tune: %w", err)
	}
	res.Job = j
	if !s.Wait {
		return res, nil
	}
	p := s.Poller
	if !s.AutoStart {
		p.Until = func(st string) bool { return st == llmapi.StatusValidated || llmapi.Terminal(st) }
	}
	j, err = c.WaitJob(ctx, j.ID, p)
	res.Job = j
	if err != nil {
		return res, fmt.Errorf("fine-tune: %w", err)
	}
	if llmapi.Terminal(j.Status) && j.Status != llmapi.StatusSuccess {
		return res, fmt.Errorf("fine-tune: job %s ended %s", j.ID, j.Status)
	}
	return res, nil
}
