package calibrate

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strings"
)

// FileName is the table's file name in a model directory.
const FileName = "thresholds.json"

// Version is the thresholds.json format version this package reads and
// writes.
const Version = 1

// Platt is the one calibration kind.
const Platt = "platt"

// Params are one Platt fit: p = 1 / (1 + exp(−(A·score + B))).
type Params struct {
	A       float64 `json:"a"`
	B       float64 `json:"b"`
	Support int     `json:"support"`
}

// Class is one class's calibration and threshold, with what the fit saw on
// the validation set.
type Class struct {
	A         float64 `json:"a"`
	B         float64 `json:"b"`
	Threshold float64 `json:"threshold"`
	// Support is the number of predicted spans of the class; Correct of
	// them matched gold; Missed gold spans of the class matched nothing.
	Support int `json:"support"`
	Correct int `json:"correct"`
	Missed  int `json:"missed"`
	// FBeta, Precision, Recall are the class's figures at Threshold.
	FBeta     float64 `json:"f_beta"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
}

// Validation says what the table was fitted on.
type Validation struct {
	Input string `json:"input"`
	Docs  int    `json:"docs"`
}

// Table is thresholds.json: per-class Platt calibration of span scores and
// the decision threshold on the calibrated score.
//
//	{"version": 1, "calibration": "platt", "beta": 2, "floor": 0.5,
//	 "min_support": 30, "match": "…",
//	 "classes": {"EMAIL": {"a": 9.1, "b": -4.2, "threshold": 0.62,
//	                       "support": 812, "correct": 790, "missed": 3,
//	                       "f_beta": 0.98, "precision": 0.97, "recall": 0.99}},
//	 "fallback": {"AGE": 12},
//	 "default_calibration": {"a": 7.7, "b": -3.1, "support": 20311},
//	 "default_threshold": 0.55,
//	 "validation": {"input": "generate mode=documents n=2000 seed=99", "docs": 2000},
//	 "method": {"aggregation": "simple"}}
//
// A span of class C gets score p = sigmoid(a·s + b) with C's a, b (or the
// default calibration when C has no entry) and is kept when p ≥ C's
// threshold (or default_threshold).
type Table struct {
	Version     int     `json:"version"`
	Calibration string  `json:"calibration"`
	Beta        float64 `json:"beta"`
	Floor       float64 `json:"floor"`
	MinSupport  int     `json:"min_support"`
	Match       string  `json:"match"`
	// Classes are the classes with their own fit.
	Classes map[string]Class `json:"classes"`
	// Fallback lists classes predicted too rarely for their own fit, with
	// their support; they use the default calibration and threshold.
	Fallback map[string]int `json:"fallback,omitempty"`
	// DefaultCalibration is the pooled fit (nil: raw scores are used).
	DefaultCalibration *Params    `json:"default_calibration,omitempty"`
	DefaultThreshold   float64    `json:"default_threshold"`
	Validation         Validation `json:"validation"`
	// Method records the method options the table was fitted with.
	Method map[string]any `json:"method,omitempty"`
	// ModelSHA256 is the hex SHA-256 of the model.onnx the table was fitted
	// on; when set, a table beside another model is refused (a retrained
	// model needs a new calibration).
	ModelSHA256 string `json:"model_sha256,omitempty"`
}

// FileSHA256 returns the hex SHA-256 of a file's content.
func FileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("read %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// CheckModel refuses a table fitted on another model file than modelPath.
func (t *Table) CheckModel(modelPath string) error {
	if t.ModelSHA256 == "" {
		return nil
	}
	sum, err := FileSHA256(modelPath)
	if err != nil {
		return err
	}
	if sum != t.ModelSHA256 {
		return fmt.Errorf("field model_sha256: the table was fitted on a model.onnx with SHA-256 %s, but %s has %s: rerun the calibrate job (or set thresholds: none)", t.ModelSHA256[:min(12, len(t.ModelSHA256))], modelPath, sum[:12])
	}
	return nil
}

// Score maps a raw span score of class label to its calibrated probability
// and returns the threshold that applies.
func (t *Table) Score(label string, raw float64) (p, threshold float64) {
	if c, ok := t.Classes[label]; ok {
		return sigmoid(c.A*raw + c.B), c.Threshold
	}
	if d := t.DefaultCalibration; d != nil {
		return sigmoid(d.A*raw + d.B), t.DefaultThreshold
	}
	return raw, t.DefaultThreshold
}

// Marshal renders the table as indented JSON with a final newline (keys
// in a fixed order: maps are sorted by encoding/json).
func (t *Table) Marshal() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(t); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Load reads and checks a thresholds.json file.
func Load(path string) (*Table, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	t, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return t, nil
}

// Parse decodes and checks a table. Errors name the field (and the line for
// JSON syntax and type errors); unknown fields are errors.
func Parse(data []byte) (*Table, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var t Table
	if err := dec.Decode(&t); err != nil {
		return nil, describeJSONError(data, err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("trailing data after the JSON object")
	}
	if err := required(data); err != nil {
		return nil, err
	}
	if err := t.check(); err != nil {
		return nil, err
	}
	return &t, nil
}

// required reports the first missing field a table needs (a zero value
// would silently keep every span).
func required(data []byte) error {
	var raw struct {
		Top     map[string]json.RawMessage
		Classes map[string]map[string]json.RawMessage `json:"classes"`
	}
	if err := json.Unmarshal(data, &raw.Top); err != nil {
		return err
	}
	for _, k := range []string{"version", "calibration", "classes", "default_threshold"} {
		if _, ok := raw.Top[k]; !ok {
			return fmt.Errorf("field %s: missing", k)
		}
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	names := make([]string, 0, len(raw.Classes))
	for n := range raw.Classes {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		for _, k := range []string{"a", "b", "threshold"} {
			if _, ok := raw.Classes[n][k]; !ok {
				return fmt.Errorf("field classes.%s.%s: missing", n, k)
			}
		}
	}
	return nil
}

func describeJSONError(data []byte, err error) error {
	line := func(off int64) int { return 1 + bytes.Count(data[:min(int(off), len(data))], []byte("\n")) }
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Errorf("line %d: not valid JSON: %v", line(syn.Offset), syn)
	case errors.As(err, &typ):
		return fmt.Errorf("line %d: field %s: got a JSON %s, want %s", line(typ.Offset), typ.Field, typ.Value, typ.Type)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return fmt.Errorf("field %s: unknown field", strings.TrimPrefix(err.Error(), "json: unknown field "))
	case errors.Is(err, io.EOF):
		return errors.New("empty file")
	}
	return err
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

func (t *Table) check() error {
	if t.Version != Version {
		return fmt.Errorf("field version: got %d, want %d", t.Version, Version)
	}
	if t.Calibration != Platt {
		return fmt.Errorf("field calibration: got %q, want %q", t.Calibration, Platt)
	}
	if t.DefaultThreshold < 0 || t.DefaultThreshold > 1 || !finite(t.DefaultThreshold) {
		return fmt.Errorf("field default_threshold: %v is outside [0, 1]", t.DefaultThreshold)
	}
	if d := t.DefaultCalibration; d != nil && (!finite(d.A) || !finite(d.B)) {
		return errors.New("field default_calibration: a and b must be finite numbers")
	}
	names := make([]string, 0, len(t.Classes))
	for n := range t.Classes {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		c := t.Classes[n]
		if !finite(c.A) || !finite(c.B) {
			return fmt.Errorf("field classes.%s: a and b must be finite numbers", n)
		}
		if c.Threshold < 0 || c.Threshold > 1 || !finite(c.Threshold) {
			return fmt.Errorf("field classes.%s.threshold: %v is outside [0, 1]", n, c.Threshold)
		}
	}
	return nil
}
