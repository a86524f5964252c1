package llmapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// TrainingFile is a training file reference with its weight in the mix.
type TrainingFile struct {
	FileID string  `json:"file_id"`
	Weight float64 `json:"weight,omitempty"`
}

// Hyperparameters of a fine-tuning job. Give TrainingSteps or Epochs.
type Hyperparameters struct {
	TrainingSteps  int     `json:"training_steps,omitempty" yaml:"training_steps"`
	Epochs         float64 `json:"epochs,omitempty" yaml:"epochs"`
	LearningRate   float64 `json:"learning_rate,omitempty" yaml:"learning_rate"`
	WeightDecay    float64 `json:"weight_decay,omitempty" yaml:"weight_decay"`
	WarmupFraction float64 `json:"warmup_fraction,omitempty" yaml:"warmup_fraction"`
	SeqLen         int     `json:"seq_len,omitempty" yaml:"seq_len"`
}

// JobRequest creates a fine-tuning job.
type JobRequest struct {
	Model           string          `json:"model"`
	TrainingFiles   []TrainingFile  `json:"training_files"`
	ValidationFiles []string        `json:"validation_files,omitempty"`
	Hyperparameters Hyperparameters `json:"hyperparameters"`
	// Suffix goes into the fine-tuned model's name.
	Suffix string `json:"suffix,omitempty"`
	// AutoStart starts training once the files are validated; without it
	// the job waits at VALIDATED for StartJob.
	AutoStart bool `json:"auto_start"`
}

// Job is a fine-tuning job.
type Job struct {
	ID     string `json:"id"`
	Model  string `json:"model"`
	Status string `json:"status"`
	// FineTunedModel is the new model's id, set once the job succeeds.
	FineTunedModel  string   `json:"fine_tuned_model"`
	AutoStart       bool     `json:"auto_start"`
	TrainingFiles   []string `json:"training_files"`
	ValidationFiles []string `json:"validation_files"`
	// CreatedAt and ModifiedAt are Unix seconds.
	CreatedAt  int64 `json:"created_at"`
	ModifiedAt int64 `json:"modified_at"`
}

// Fine-tuning and batch job statuses.
const (
	StatusQueued           = "QUEUED"
	StatusStarted          = "STARTED"
	StatusValidating       = "VALIDATING"
	StatusValidated        = "VALIDATED"
	StatusRunning          = "RUNNING"
	StatusFailedValidation = "FAILED_VALIDATION"
	StatusFailed           = "FAILED"
	StatusSuccess          = "SUCCESS"
	StatusCancelled        = "CANCELLED"
	StatusTimeoutExceeded  = "TIMEOUT_EXCEEDED"
)

// Terminal reports whether a job (fine-tuning or batch) status is final.
func Terminal(status string) bool {
	switch status {
	case StatusSuccess, StatusFailed, StatusFailedValidation, StatusCancelled, StatusTimeoutExceeded:
		return true
	}
	return false
}

// CreateJob creates a fine-tuning job (sent once).
func (c *Client) CreateJob(ctx context.Context, r JobRequest) (Job, error) {
	if r.Model == "" || len(r.TrainingFiles) == 0 {
		return Job{}, errors.New("create fine-tuning job: model and training files are required")
	}
	return callJSON[Job](ctx, c, http.MethodPost, "/v1/fine_tuning/jobs", r)
}

// GetJob reads a fine-tuning job.
func (c *Client) GetJob(ctx context.Context, id string) (Job, error) {
	return callJSON[Job](ctx, c, http.MethodGet, "/v1/fine_tuning/jobs/"+id, nil)
}

// StartJob starts a validated job created with AutoStart false.
func (c *Client) StartJob(ctx context.Context, id string) (Job, error) {
	return callJSON[Job](ctx, c, http.MethodPost, "/v1/fine_tuning/jobs/"+id+"/start", nil)
}

// Sleeper waits d or until ctx ends.
type Sleeper func(ctx context.Context, d time.Duration) error

// Poller says how to poll a job.
type Poller struct {
	// Interval between GETs (default 10s).
	Interval time.Duration
	// Sleep waits between GETs (default: the client's clock).
	Sleep Sleeper
	// OnStatus is called when the status changes (may be nil).
	OnStatus func(status string)
	// MaxErrors is how many consecutive failed GETs (network, 5xx, 429)
	// are tolerated (default 5).
	MaxErrors int
	// Until says when to stop (default Terminal).
	Until func(status string) bool
}

func (p Poller) poll(ctx context.Context, get func() (string, error)) error {
	if p.Interval <= 0 {
		p.Interval = 10 * time.Second
	}
	if p.Sleep == nil {
		p.Sleep = RealClock{}.Sleep
	}
	if p.MaxErrors <= 0 {
		p.MaxErrors = 5
	}
	if p.Until == nil {
		p.Until = Terminal
	}
	last, errs := "", 0
	for {
		st, err := get()
		switch {
		case err == nil:
			errs = 0
			if st != last && p.OnStatus != nil {
				p.OnStatus(st)
			}
			last = st
			if p.Until(st) {
				return nil
			}
		case ctx.Err() != nil:
			return ctx.Err()
		default:
			if s := StatusOf(err); s/100 == 4 && s != http.StatusTooManyRequests {
				return err
			}
			if errs++; errs > p.MaxErrors {
				return fmt.Errorf("gave up polling after %d errors: %w", errs, err)
			}
		}
		if err := p.Sleep(ctx, p.Interval); err != nil {
			return err
		}
	}
}

// poller fills p's Sleep from the client's clock.
func (c *Client) poller(p Poller) Poller {
	if p.Sleep == nil {
		p.Sleep = c.cfg.Clock.Sleep
	}
	return p
}

// WaitJob polls a fine-tuning job until p.Until (default: its status is terminal).
func (c *Client) WaitJob(ctx context.Context, id string, p Poller) (Job, error) {
	return waitFor(ctx, c.poller(p), "fine-tuning job", id, c.GetJob, func(j Job) string { return j.Status })
}

// waitFor polls get(id) with p until p.Until says the status of the answer
// is the last one wanted; what names the job in errors.
func waitFor[T any](ctx context.Context, p Poller, what, id string, get func(context.Context, string) (T, error), status func(T) string) (T, error) {
	var j T
	err := p.poll(ctx, func() (string, error) {
		var err error
		j, err = get(ctx, id)
		return status(j), err
	})
	if err != nil {
		return j, fmt.Errorf("%s %s: %w", what, id, err)
	}
	return j, nil
}
