package llmapi

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// FineTuneSpec is a whole fine-tuning run: files to upload and the job to create.
type FineTuneSpec struct {
	Model string
	// Training and Validation are paths of JSONL files in the Mistral chat
	// format (the prepare job's train.jsonl and validation.jsonl).
	Training   []string
	Validation []string
	// Weights are the training files' weights (nil: 1 each).
	Weights         []float64
	Hyperparameters Hyperparameters
	Suffix          string
	// AutoStart starts training once the files are validated. Without it
	// the run stops at VALIDATED (a person starts the job after checking
	// the cost estimate).
	AutoStart bool
	// Wait polls until the job ends (or is validated, without AutoStart).
	Wait   bool
	Poller Poller
}

// FineTuneResult is what FineTune did.
type FineTuneResult struct {
	TrainingFiles   []File
	ValidationFiles []File
	Job             Job
}

// uploadFineTune sends the file at path with purpose fine-tune.
func (c *Client) uploadFineTune(ctx context.Context, path string) (File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return File{}, fmt.Errorf("upload: %w", err)
	}
	return c.UploadBytes(ctx, filepath.Base(path), data, PurposeFineTune)
}

// FineTune runs a whole fine-tuning: it uploads the training and
// validation files (purpose fine-tune), creates the job and, with Wait,
// polls it until it ends (or is validated, without AutoStart). A job that
// ends other than SUCCESS is an error naming its status.
func (c *Client) FineTune(ctx context.Context, s FineTuneSpec) (FineTuneResult, error) {
	var res FineTuneResult
	if len(s.Weights) > 0 && len(s.Weights) != len(s.Training) {
		return res, fmt.Errorf("fine-tune: %d weights for %d training files", len(s.Weights), len(s.Training))
	}
	if s.Hyperparameters.TrainingSteps > 0 && s.Hyperparameters.Epochs > 0 {
		return res, errors.New("fine-tune: give training_steps or epochs, not both")
	}
	req := JobRequest{Model: s.Model, Hyperparameters: s.Hyperparameters, Suffix: s.Suffix, AutoStart: s.AutoStart}
	for i, p := range s.Training {
		f, err := c.uploadFineTune(ctx, p)
		if err != nil {
			return res, err
		}
		res.TrainingFiles = append(res.TrainingFiles, f)
		tf := TrainingFile{FileID: f.ID, Weight: 1}
		if len(s.Weights) > 0 {
			tf.Weight = s.Weights[i]
		}
		req.TrainingFiles = append(req.TrainingFiles, tf)
	}
	for _, p := range s.Validation {
		f, err := c.uploadFineTune(ctx, p)
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
		p.Until = func(st string) bool { return st == StatusValidated || Terminal(st) }
	}
	j, err = c.WaitJob(ctx, j.ID, p)
	res.Job = j
	if err != nil {
		return res, fmt.Errorf("fine-tune: %w", err)
	}
	if Terminal(j.Status) && j.Status != StatusSuccess {
		return res, fmt.Errorf("fine-tune: job %s ended %s", j.ID, j.Status)
	}
	return res, nil
}
