package config

import "strings"

// Calibrate configures the calibrate job: Platt calibration of an onnx
// model's span scores and per-class thresholds, fitted on the job's input
// (a validation set of generated documents — never an evaluation set), and
// written as thresholds.json.
type Calibrate struct {
	// Model is the onnx model directory or builtin:NAME.
	Model string `yaml:"model" required:"true"`
	// Options are the onnx method's other options (aggregation, batch_size,
	// max_length…); model, threshold and thresholds are set by the job.
	Options map[string]any `yaml:"options"`
	// Output is the directory thresholds.json is written to (default: the
	// model directory; required for a builtin model).
	Output string `yaml:"output"`
	// Beta weighs recall in the F-beta each class threshold maximises
	// (default 2).
	Beta float64 `yaml:"beta"`
	// MinSupport is the fewest predicted spans a class needs for its own
	// fit (default 30); rarer classes use the pooled fit.
	MinSupport int `yaml:"min_support"`
	// Floor is the lowest threshold ever chosen (default 0.5).
	Floor float64 `yaml:"floor"`
}

// checkCalibrate checks the calibrate section (required by kind calibrate).
func (l *Loaded) checkCalibrate() Problems {
	j := l.Job
	c := j.Calibrate
	if c == nil {
		if j.Kind == "calibrate" {
			return Problems{l.Problem("calibrate", "kind calibrate needs a calibrate section (model, beta, min_support)")}
		}
		return nil
	}
	var ps Problems
	for _, k := range []string{"model", "threshold", "thresholds"} {
		if _, ok := c.Options[k]; ok {
			ps = append(ps, l.Problem("calibrate.options."+k, "set by the calibrate job (model from calibrate.model; raw scores, no threshold); remove it"))
		}
	}
	if strings.HasPrefix(c.Model, "builtin:") && c.Output == "" {
		ps = append(ps, l.Problem("calibrate.output", "a builtin model's directory is a cache: give calibrate.output (e.g. models/%s)", strings.TrimPrefix(c.Model, "builtin:")))
	}
	if c.Beta < 0 {
		ps = append(ps, l.Problem("calibrate.beta", "must be positive, got %g", c.Beta))
	}
	if c.MinSupport < 0 {
		ps = append(ps, l.Problem("calibrate.min_support", "must not be negative, got %d", c.MinSupport))
	}
	if c.Floor < 0 || c.Floor >= 1 {
		ps = append(ps, l.Problem("calibrate.floor", "must be in [0, 1), got %g", c.Floor))
	}
	for i, p := range j.Input.Paths {
		if strings.Contains(p, "presidio-research") {
			ps = append(ps, l.Problem("input.paths", "input.paths[%d] %q is an evaluation set: calibrate on a validation split of generated data", i, p))
		}
	}
	return ps
}
