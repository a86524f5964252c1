package jobs

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/piimask/piimask/internal/calibrate"
	"github.com/piimask/piimask/internal/ortlib/ortlibtest"
	"github.com/piimask/piimask/models"
	"github.com/piimask/piimask/record"
	"github.com/piimask/piimask/stages/detect"
	"github.com/piimask/piimask/stages/detect/onnx"
)

func TestCalibrateJob(t *testing.T) {
	ortlibtest.Require(t)
	dir := t.TempDir()
	model, err := models.Materialize("builtin:baseline", filepath.Join(dir, "cache"))
	if err != nil {
		t.Fatal(err)
	}
	os.Remove(filepath.Join(model, calibrate.FileName))
	cfg := `kind: calibrate
input:
  generate: {n: 300, seed: 99}
calibrate:
  model: ` + model + `
  options: {aggregation: first, max_length: 128, stride: 16}
  beta: 2
  min_support: 20
output:
  dir: ` + filepath.Join(dir, "out") + `
`
	path := filepath.Join(dir, "calibrate.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	env := &Env{Stdout: &out, Stderr: &out, LookupEnv: func(string) (string, bool) { return "", false }}
	l, err := Load(path, env)
	if err != nil {
		t.Fatal(err)
	}
	if err := Run(context.Background(), l, env); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	tab, err := calibrate.Load(filepath.Join(model, calibrate.FileName))
	if err != nil {
		t.Fatal(err)
	}
	if tab.Validation.Docs != 300 || !strings.Contains(tab.Validation.Input, "Seed:99") || tab.Beta != 2 || tab.MinSupport != 20 {
		t.Errorf("table header: %+v", tab)
	}
	if sum, _ := calibrate.FileSHA256(filepath.Join(model, "model.onnx")); tab.ModelSHA256 != sum {
		t.Errorf("model_sha256 %q, want %q", tab.ModelSHA256, sum)
	}
	if tab.Method["aggregation"] != "first" {
		t.Errorf("method options not recorded: %v", tab.Method)
	}
	for _, c := range []string{"EMAIL", "FIRSTNAME", "LASTNAME", "CITY"} {
		cl, ok := tab.Classes[c]
		if !ok {
			t.Errorf("no fit for %s (fallback %v)", c, tab.Fallback)
			continue
		}
		if cl.Threshold < 0.5 || cl.Threshold > 1 || cl.Support < 20 {
			t.Errorf("%s: %+v", c, cl)
		}
	}
	checkCalibrationSummary(t, filepath.Join(dir, "out", "calibration.json"), out.String())
	checkCalibratedMethod(t, env, model, tab)
}

// checkCalibrationSummary checks calibration.json and the report on stdout.
func checkCalibrationSummary(t *testing.T, path, stdout string) {
	t.Helper()
	var sum CalibrationSummary
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &sum); err != nil {
		t.Fatal(err)
	}
	if sum.Spans == 0 || sum.ECECalibrated > sum.ECERaw {
		t.Errorf("summary: %d spans, ECE raw %.4f calibrated %.4f", sum.Spans, sum.ECERaw, sum.ECECalibrated)
	}
	if !strings.Contains(stdout, "ECE raw") {
		t.Errorf("no report on stdout: %s", stdout)
	}
}

// checkCalibratedMethod checks that the onnx method now applies the table:
// scores are calibrated.
func checkCalibratedMethod(t *testing.T, env *Env, model string, tab *calibrate.Table) {
	t.Helper()
	reg := NewRegistry(env.LookupEnv)
	m, err := reg.New(context.Background(), detect.Spec{Name: "m", Type: onnx.Type, Options: detect.Options{"model": model, "aggregation": "first"}})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if !m.(*onnx.Method).Calibrated() {
		t.Fatal("the onnx method did not load the table the job wrote")
	}
	text := "Contact: camille.durand@exemple.fr"
	p, err := m.Detect(context.Background(), []record.Record{{Text: text}})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range p[0].Spans {
		if _, th := tab.Score(s.Label, 0); s.Score < th {
			t.Errorf("span %+v below its class threshold %v", s, th)
		}
	}
}

func TestCalibrateConfigErrors(t *testing.T) {
	dir := t.TempDir()
	tests := []struct{ name, cfg, want string }{
		{"no section", "kind: calibrate\ninput: {generate: {n: 5}}\noutput: {dir: x}\n", "needs a calibrate section"},
		{"options set by the job", "kind: calibrate\ninput: {generate: {n: 5}}\ncalibrate:\n  model: m\n  options: {threshold: 0.3}\noutput: {dir: x}\n", "calibrate.options.threshold"},
		{"builtin needs output", "kind: calibrate\ninput: {generate: {n: 5}}\ncalibrate: {model: \"builtin:baseline\"}\noutput: {dir: x}\n", "give calibrate.output"},
		{"evaluation set refused", "kind: calibrate\ninput: {paths: [../shared/datasets/presidio-research/x.json]}\ncalibrate: {model: m}\noutput: {dir: x}\n", "is an evaluation set"},
		{"floor range", "kind: calibrate\ninput: {generate: {n: 5}}\ncalibrate: {model: m, floor: 1}\noutput: {dir: x}\n", "calibrate.floor"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "_")+".yaml")
			if err := os.WriteFile(path, []byte(tt.cfg), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := Load(path, &Env{LookupEnv: func(string) (string, bool) { return "", false }})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
}
