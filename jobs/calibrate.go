package jobs

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/piimask/piimask/internal/calibrate"
	"github.com/piimask/piimask/jobs/config"
	"github.com/piimask/piimask/record"
	"github.com/piimask/piimask/stages/detect"
	"github.com/piimask/piimask/stages/detect/onnx"
	"github.com/piimask/piimask/stages/write"
)

// CalibrationSummary is calibration.json in the job's output directory: the
// table written, where, and how well raw and calibrated scores predict a
// span's correctness on the validation set.
type CalibrationSummary struct {
	Thresholds string `json:"thresholds"`
	Docs       int    `json:"docs"`
	Spans      int    `json:"spans"`
	Correct    int    `json:"correct"`
	// ECE is the expected calibration error (10 bins), Brier the mean
	// squared error, of the raw and the calibrated span scores.
	ECERaw          float64          `json:"ece_raw"`
	ECECalibrated   float64          `json:"ece_calibrated"`
	BrierRaw        float64          `json:"brier_raw"`
	BrierCalibrated float64          `json:"brier_calibrated"`
	Table           *calibrate.Table `json:"table"`
}

// calibrationModel is the onnx method calibrate runs (raw scores, no
// threshold), the options recorded in the table, and where the table goes.
type calibrationModel struct {
	method   detect.Method
	dir      string // the model directory
	outDir   string // where thresholds.json is written
	recorded map[string]any
}

// runCalibrate runs the onnx model (raw scores, no threshold) over the
// job's input, matches its spans against the gold spans, fits the
// calibration table and writes thresholds.json atomically into the model
// directory (or calibrate.output).
func runCalibrate(ctx context.Context, l *config.Loaded, env *Env) error {
	job := l.Job
	c := job.Calibrate
	if c == nil {
		return fmt.Errorf("%s: kind calibrate needs a calibrate section", l.File)
	}
	cm, err := openCalibrationModel(ctx, l, env, c)
	if err != nil {
		return err
	}
	defer cm.method.Close()
	dir := job.Output.Dir
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create output directory: %w", err)
	}
	col, err := collectCalibration(ctx, job, env, cm.method)
	if err != nil {
		return err
	}
	table, err := calibrate.Fit(col, calibrate.Options{Beta: c.Beta, MinSupport: c.MinSupport, Floor: c.Floor})
	if err != nil {
		return fmt.Errorf("%s: %w", l.File, err)
	}
	table.Validation = calibrate.Validation{Input: describeInput(job), Docs: col.Docs}
	table.Method = cm.recorded
	if table.ModelSHA256, err = calibrate.FileSHA256(filepath.Join(cm.dir, "model.onnx")); err != nil {
		return err
	}
	data, err := table.Marshal()
	if err != nil {
		return err
	}
	path := filepath.Join(cm.outDir, calibrate.FileName)
	if err := write.WriteFileAtomic(path, data); err != nil {
		return err
	}
	sum := summarise(col, table, path)
	sdata, err := json.MarshalIndent(sum, "", "  ")
	if err != nil {
		return err
	}
	if err := write.WriteFileAtomic(filepath.Join(dir, "calibration.json"), append(sdata, '\n')); err != nil {
		return err
	}
	printCalibration(env, sum)
	return nil
}

// openCalibrationModel builds calibrate.model as an onnx method without
// thresholds and decides where its table is written.
func openCalibrationModel(ctx context.Context, l *config.Loaded, env *Env, c *config.Calibrate) (*calibrationModel, error) {
	opts := detect.Options{}
	for k, v := range c.Options {
		opts[k] = v
	}
	recorded := maps2any(opts)
	opts["model"], opts["thresholds"], opts["threshold"] = c.Model, "none", 0.0
	m, err := env.Registry.New(ctx, detect.Spec{Name: "calibrate", Type: onnx.Type, Options: opts, Labels: l.Job.Labels})
	if err != nil {
		return nil, err
	}
	om, ok := m.(*onnx.Method)
	if !ok {
		m.Close()
		return nil, fmt.Errorf("%s: calibrate.model: the registry built a %T, not the onnx method", l.File, m)
	}
	cm := &calibrationModel{method: m, dir: om.ModelDir(), outDir: c.Output, recorded: recorded}
	if cm.outDir == "" {
		// Only a model given as a directory is written into; a builtin or
		// downloaded model lives in a cache.
		if st, err := os.Stat(c.Model); err != nil || !st.IsDir() || filepath.Clean(c.Model) != filepath.Clean(cm.dir) {
			m.Close()
			return nil, fmt.Errorf("%s: calibrate.output: needed when calibrate.model (%s) is not a model directory", l.File, c.Model)
		}
		cm.outDir = cm.dir
	}
	return cm, nil
}

// collectCalibration runs m over the job's input (the one input path, in
// batches of concurrency.batch_size) and collects its spans against the
// gold spans.
func collectCalibration(ctx context.Context, job *config.Job, env *Env, m detect.Method) (*calibrate.Collector, error) {
	in, err := openInput(job, job.Output.Dir)
	if err != nil {
		return nil, err
	}
	in.metrics = env.Metrics
	batchSize := job.Concurrency.BatchSize
	if batchSize <= 0 {
		batchSize = 32
	}
	bar := newProgress(env, "calibrate", expectedDocuments(job))
	col := calibrate.NewCollector()
	var buf []record.Record
	flush := func() error {
		if len(buf) == 0 {
			return nil
		}
		preds, err := m.Detect(ctx, buf)
		if err != nil {
			return err
		}
		for i, p := range preds {
			if p.Failure != "" {
				return fmt.Errorf("%s: the model gave no answer: %s", buf[i].Origin, p.Failure)
			}
			col.Add(buf[i].Gold, p.Spans)
		}
		bar.Add(len(buf))
		buf = buf[:0]
		return nil
	}
	err = in.produce(ctx, func(r record.Record) error {
		buf = append(buf, r)
		if len(buf) >= batchSize {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	bar.Finish()
	if err != nil {
		in.rejects.Abort()
		return nil, err
	}
	return col, in.finish()
}

// maps2any copies an option map for the table's record (nil when empty).
func maps2any(o detect.Options) map[string]any {
	if len(o) == 0 {
		return nil
	}
	out := make(map[string]any, len(o))
	for k, v := range o {
		out[k] = v
	}
	return out
}

// describeInput renders the job's input for the table's validation record.
func describeInput(job *config.Job) string {
	if g := job.Input.Generate; g != nil {
		return fmt.Sprintf("generate %+v", *g)
	}
	return "paths " + strings.Join(job.Input.Paths, " ")
}

func summarise(col *calibrate.Collector, t *calibrate.Table, path string) CalibrationSummary {
	n := len(col.Obs)
	raw, cal := make([]float64, n), make([]float64, n)
	ys := make([]bool, n)
	s := CalibrationSummary{Thresholds: path, Docs: col.Docs, Spans: n, Table: t}
	for i, o := range col.Obs {
		raw[i] = o.Score
		cal[i], _ = t.Score(o.Label, o.Score)
		ys[i] = o.Correct
		y := 0.0
		if o.Correct {
			y = 1
			s.Correct++
		}
		s.BrierRaw += (raw[i] - y) * (raw[i] - y)
		s.BrierCalibrated += (cal[i] - y) * (cal[i] - y)
	}
	if n > 0 {
		s.BrierRaw /= float64(n)
		s.BrierCalibrated /= float64(n)
		s.ECERaw = calibrate.ECE(raw, ys)
		s.ECECalibrated = calibrate.ECE(cal, ys)
	}
	return s
}

func printCalibration(env *Env, s CalibrationSummary) {
	w := env.Stdout
	fmt.Fprintf(w, "calibrated on %d documents, %d predicted spans (%d correct): %s\n", s.Docs, s.Spans, s.Correct, s.Thresholds)
	fmt.Fprintf(w, "ECE raw %.4f -> calibrated %.4f; Brier raw %.4f -> calibrated %.4f\n", s.ECERaw, s.ECECalibrated, s.BrierRaw, s.BrierCalibrated)
	names := make([]string, 0, len(s.Table.Classes))
	for n := range s.Table.Classes {
		names = append(names, n)
	}
	sort.Strings(names)
	fmt.Fprintf(w, "%-22s %7s %7s %7s %9s %7s %7s %7s\n", "class", "support", "correct", "missed", "threshold", "F", "P", "R")
	for _, n := range names {
		c := s.Table.Classes[n]
		fmt.Fprintf(w, "%-22s %7d %7d %7d %9.3f %7.3f %7.3f %7.3f\n", n, c.Support, c.Correct, c.Missed, c.Threshold, c.FBeta, c.Precision, c.Recall)
	}
	if len(s.Table.Fallback) > 0 {
		fb := make([]string, 0, len(s.Table.Fallback))
		for n, k := range s.Table.Fallback {
			fb = append(fb, fmt.Sprintf("%s(%d)", n, k))
		}
		sort.Strings(fb)
		fmt.Fprintf(w, "fallback (default threshold %.3f): %s\n", s.Table.DefaultThreshold, strings.Join(fb, " "))
	}
}
