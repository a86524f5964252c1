package jobs

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/piimask/piimask/internal/llmapi"
	"github.com/piimask/piimask/jobs/config"
	"github.com/piimask/piimask/stages/read"
	"github.com/piimask/piimask/stages/write"
)

// FinetuneSummary is finetune.json: what the finetune job uploaded and how
// the fine-tuning job ended.
type FinetuneSummary struct {
	Experiment      string                 `json:"experiment_name"`
	BaseModel       string                 `json:"base_model"`
	JobID           string                 `json:"job_id"`
	Status          string                 `json:"status"`
	FineTunedModel  string                 `json:"fine_tuned_model,omitempty"`
	TrainingFiles   []llmapi.File          `json:"training_files"`
	ValidationFiles []llmapi.File          `json:"validation_files,omitempty"`
	Hyperparameters llmapi.Hyperparameters `json:"hyperparameters"`
	StartedAt       time.Time              `json:"started_at"`
	Seconds         float64                `json:"seconds"`
}

// finetuneJob runs a finetune job with its section fc. The http client and
// sleeper are the defaults unless a test passes its own through hc.
func finetuneJob(ctx context.Context, l *config.Loaded, fc *config.FinetuneJob, env *Env, hc finetuneDeps) error {
	if fc == nil {
		return fmt.Errorf("%s:%d: a finetune job needs a finetune section (model, api_key, hyperparameters)", l.File, l.Line("kind"))
	}
	if err := fc.Check(); err != nil {
		return fmt.Errorf("%s: %w", l.File, err)
	}
	job := l.Job
	started := time.Now()
	train, err := read.Expand(job.Input.Paths)
	if err != nil {
		return fmt.Errorf("%s: input.paths: %w", l.File, err)
	}
	if job.Input.Generate != nil || len(train) == 0 {
		return fmt.Errorf("%s: a finetune job reads its training files from input.paths (the prepare job's finetune/train.jsonl)", l.File)
	}
	autoStart, wait := true, true
	if fc.AutoStart != nil {
		autoStart = *fc.AutoStart
	}
	if fc.Wait != nil {
		wait = *fc.Wait
	}
	poll := fc.PollInterval
	if poll == 0 {
		poll = 30 * time.Second
	}
	if fc.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, fc.Timeout)
		defer cancel()
	}
	if err := os.MkdirAll(job.Output.Dir, 0o755); err != nil {
		return fmt.Errorf("create output directory: %w", err)
	}
	h := llmapi.Hyperparameters{TrainingSteps: fc.Hyperparameters.TrainingSteps, Epochs: fc.Hyperparameters.Epochs,
		LearningRate: fc.Hyperparameters.LearningRate, WeightDecay: fc.Hyperparameters.WeightDecay,
		WarmupFraction: fc.Hyperparameters.WarmupFraction}
	client := llmapi.New(llmapi.Config{BaseURL: fc.BaseURL, APIKey: fc.APIKey, HTTPClient: hc.http, Timeout: 5 * time.Minute})
	env.Logger.Info("fine-tuning: uploading files", "training", len(train), "validation", len(fc.ValidationFiles), "model", fc.Model)
	res, runErr := client.FineTune(ctx, llmapi.FineTuneSpec{
		Model: fc.Model, Training: train, Validation: fc.ValidationFiles, Weights: fc.Weights,
		Hyperparameters: h, Suffix: fc.Suffix, AutoStart: autoStart, Wait: wait,
		Poller: llmapi.Poller{Interval: poll, Sleep: hc.sleep, OnStatus: func(st string) {
			env.Logger.Info("fine-tuning job", "status", st)
		}},
	})
	if res.Job.ID == "" {
		return fmt.Errorf("%s: %w", l.File, runErr)
	}
	sum := FinetuneSummary{Experiment: job.Name, BaseModel: fc.Model, JobID: res.Job.ID, Status: res.Job.Status,
		FineTunedModel: res.Job.FineTunedModel, TrainingFiles: res.TrainingFiles, ValidationFiles: res.ValidationFiles,
		Hyperparameters: h, StartedAt: started, Seconds: time.Since(started).Seconds()}
	data, err := json.MarshalIndent(sum, "", "  ")
	if err != nil {
		return fmt.Errorf("finetune.json: %w", err)
	}
	out := filepath.Join(job.Output.Dir, "finetune.json")
	if err := write.WriteFileAtomic(out, append(data, '\n')); err != nil {
		return err
	}
	if runErr != nil {
		return fmt.Errorf("%s: %w (details in %s)", l.File, runErr, out)
	}
	switch {
	case res.Job.Status == llmapi.StatusSuccess:
		fmt.Fprintf(env.Stdout, "fine-tuned model: %s\n", res.Job.FineTunedModel)
		fmt.Fprintf(env.Stdout, "evaluate it as an llm method with options {model: %s}\n", res.Job.FineTunedModel)
	case res.Job.Status == llmapi.StatusValidated:
		fmt.Fprintf(env.Stdout, "fine-tuning job %s is validated and waits to be started (auto_start: false)\n", res.Job.ID)
	default:
		fmt.Fprintf(env.Stdout, "fine-tuning job %s created, status %s (wait: false); poll it later\n", res.Job.ID, res.Job.Status)
	}
	fmt.Fprintf(env.Stdout, "wrote %s\n", out)
	return nil
}

// finetuneDeps lets tests point the job at a fake server and skip waits.
type finetuneDeps struct {
	http  *http.Client
	sleep llmapi.Sleeper
}
