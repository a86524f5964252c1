package config

import (
	"github.com/piimask/piimask/internal/train"
	"github.com/piimask/piimask/stages/score"
)

// Defaults of keys whose zero value means "the default". The jobs read
// these constants where they fill the default in; Defaults gathers them
// (and those of the stages that apply their own) so configs/reference.yaml
// can be tested against the code.
const (
	// DefaultWorkers is concurrency.workers of evaluate, prepare and mask.
	DefaultWorkers = 2
	// DefaultBatchSize is concurrency.batch_size of evaluate (the mask job
	// uses DefaultMaskBatchSize).
	DefaultBatchSize = 16
	// DefaultMaskBatchSize is concurrency.batch_size of the mask job.
	DefaultMaskBatchSize = 32
	// DefaultReportExamples is report.examples.
	DefaultReportExamples = 5
	// DefaultReportContext is report.context (characters).
	DefaultReportContext = 40
	// DefaultReportWorstClasses is report.worst_classes.
	DefaultReportWorstClasses = 5
	// DefaultMaxLength and DefaultStride are prepare.token_classification's.
	DefaultMaxLength = 128
	DefaultStride    = 16
	// DefaultStrategy is prepare.token_classification.strategy.
	DefaultStrategy = "first_subtoken"
	// DefaultFinetuneEpochs is prepare.finetune.epochs.
	DefaultFinetuneEpochs = 1
)

// DefaultSplitRatios are prepare.split.ratios (train, validation, test).
func DefaultSplitRatios() []float64 { return []float64{0.8, 0.1, 0.1} }

// DefaultOutputFormats are output.formats of evaluate and
// prepare.token_classification.formats.
func DefaultOutputFormats() []string { return []string{"parquet", "arrow"} }

// Defaults is a job config with every documented default filled in, every
// section present: what a config that leaves a key out gets. Method
// options' defaults belong to each method's options struct.
func Defaults() Job {
	tc := train.Config{}.Defaults()
	return Job{
		Input:       Input{Schema: "auto", TextField: "text"},
		Filters:     Filters{Sample: &Sample{Rate: 1}},
		Taxonomy:    "classes",
		Output:      Output{Formats: DefaultOutputFormats()},
		Concurrency: Concurrency{Workers: DefaultWorkers, BatchSize: DefaultBatchSize},
		Scoring:     Scoring{Beta: score.DefaultBeta, ScoringViews: ScoringViews{IoU: score.DefaultIoU}},
		Report:      &Report{Examples: DefaultReportExamples, Context: DefaultReportContext, WorstClasses: DefaultReportWorstClasses},
		Metrics:     &Metrics{Pushgateway: &Pushgateway{}},
		Shard:       &Shard{Count: 1},
		Prepare: &Prepare{
			Split: Split{Ratios: DefaultSplitRatios()},
			TokenClassification: &TokenClassification{Strategy: DefaultStrategy, MaxLength: DefaultMaxLength,
				Stride: DefaultStride, Formats: DefaultOutputFormats()},
			FineTune: &FineTune{Language: "auto", Epochs: DefaultFinetuneEpochs},
		},
		Train: &Train{Architecture: "encoder", EmbedDim: tc.EmbedDim, Hidden: tc.Hidden, Window: tc.Window,
			Epochs: tc.Epochs, BatchSize: tc.BatchSize, LearningRate: tc.LearningRate},
	}
}
