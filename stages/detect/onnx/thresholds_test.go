package onnx_test

// The calibration table (thresholds.json) on the REAL shipped baseline, in a
// temporary copy of its model directory.

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/piimask/piimask/internal/calibrate"
	"github.com/piimask/piimask/internal/ortlib/ortlibtest"
	"github.com/piimask/piimask/record"
	"github.com/piimask/piimask/stages/detect/onnx"
)

const thresholdText = "Bonjour, écrivez à camille.durand@exemple.fr ou virez sur FR1420041010050500013M02606 avant le 12/03/2024."

func writeTable(t *testing.T, dir, body string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, calibrate.FileName), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

func byLabel(spans []record.Span) map[string]record.Span {
	m := map[string]record.Span{}
	for _, s := range spans {
		m[s.Label] = s
	}
	return m
}

func TestThresholdsTable(t *testing.T) {
	rt := ortlibtest.Require(t)
	dir := builtinModel(t, "baseline")
	os.Remove(filepath.Join(dir, calibrate.FileName)) // the shipped one, if any, is replaced below
	recs := []record.Record{{ID: "x", Text: thresholdText}}
	raw := detectRecs(t, openBuiltin(t, rt, dir, onnx.Options{}), recs)[0]
	rawBy := byLabel(raw)
	if _, ok := rawBy["EMAIL"]; !ok {
		t.Fatalf("raw spans %v lack the EMAIL", raw)
	}
	if _, ok := rawBy["IBAN"]; !ok {
		t.Fatalf("raw spans %v lack the IBAN", raw)
	}

	// EMAIL: p = sigmoid(raw) ≤ 0.74 < 0.99, dropped. IBAN: p =
	// sigmoid(20·raw − 10), kept above 0.5 with that score. Other classes: no
	// default calibration, raw scores, default threshold 0: unchanged.
	writeTable(t, dir, `{"version": 1, "calibration": "platt", "beta": 2,
  "classes": {
    "EMAIL": {"a": 1, "b": 0, "threshold": 0.99, "support": 50},
    "IBAN": {"a": 20, "b": -10, "threshold": 0.5, "support": 50}
  },
  "default_threshold": 0,
  "validation": {"input": "test", "docs": 1}}`)
	m := openBuiltin(t, rt, dir, onnx.Options{})
	if !m.Calibrated() {
		t.Fatal("thresholds.json not loaded")
	}
	got := detectRecs(t, m, recs)[0]
	gotBy := byLabel(got)
	if s, ok := gotBy["EMAIL"]; ok {
		t.Errorf("EMAIL %+v kept under its class threshold 0.99", s)
	}
	ib, ok := gotBy["IBAN"]
	if !ok {
		t.Fatalf("IBAN dropped: %v", got)
	}
	want := 1 / (1 + math.Exp(-(20*rawBy["IBAN"].Score - 10)))
	if math.Abs(ib.Score-want) > 1e-12 || ib.Start != rawBy["IBAN"].Start || ib.End != rawBy["IBAN"].End {
		t.Errorf("IBAN = %+v, want the raw span with calibrated score %v", ib, want)
	}
	if len(got) != len(raw)-1 {
		t.Errorf("got %d spans, want the %d raw ones less the EMAIL: %v", len(got), len(raw), got)
	}
	for _, s := range raw {
		if s.Label != "EMAIL" && s.Label != "IBAN" && gotBy[s.Label] != s {
			t.Errorf("%s changed: raw %+v, now %+v", s.Label, s, gotBy[s.Label])
		}
	}

	// thresholds: none gives the raw answer back.
	if d := spanDiff([][]record.Span{raw}, detectRecs(t, openBuiltin(t, rt, dir, onnx.Options{Thresholds: "none"}), recs)); d != "" {
		t.Errorf("thresholds: none differs from the raw model: %s", d)
	}
	// The threshold option is a floor on the calibrated score: the IBAN's
	// calibrated score is above 0.5, so a 0.5 floor keeps it and a floor
	// just above its score drops it.
	if g := byLabel(detectRecs(t, openBuiltin(t, rt, dir, onnx.Options{Threshold: 0.5}), recs)[0]); g["IBAN"].Score != ib.Score {
		t.Errorf("floor 0.5: IBAN %+v, want kept at %v", g["IBAN"], ib.Score)
	}
	if g := byLabel(detectRecs(t, openBuiltin(t, rt, dir, onnx.Options{Threshold: math.Nextafter(ib.Score, 2)}), recs)[0]); g["IBAN"].Label != "" {
		t.Errorf("floor above the IBAN's calibrated score kept it: %+v", g["IBAN"])
	}
}

func TestThresholdsTableErrors(t *testing.T) {
	rt := ortlibtest.Require(t)
	dir := builtinModel(t, "baseline")
	for _, tc := range []struct{ body, want string }{
		{`{"version": 1, "calibration": "platt", "classes": {"EMAIL": {"a": 1, "b": 0, "threshold": 7}}, "default_threshold": 0.5}`, "field classes.EMAIL.threshold: 7 is outside [0, 1]"},
		{`{"version": 1, "calibration": "platt", "classes": {}, "default_threshold": 0.5, "colour": 1}`, `field "colour": unknown field`},
		{"{\"version\": 1,\n\"calibration\": \"platt\",\n\"classes\": {\"EMAIL\": {\"a\": \"x\"}}}", "line 3: field classes.a: got a JSON string"},
	} {
		writeTable(t, dir, tc.body)
		_, err := onnx.New(t.Context(), onnx.Options{Model: dir, Tokenizer: hfLoader, Runtime: rt})
		if err == nil || !strings.Contains(err.Error(), filepath.Join(dir, calibrate.FileName)) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("err = %v, want the file and %q", err, tc.want)
		}
	}
	// A table fitted on another model.onnx is refused; on this one it loads.
	sum, err := calibrate.FileSHA256(filepath.Join(dir, "model.onnx"))
	if err != nil {
		t.Fatal(err)
	}
	table := `{"version": 1, "calibration": "platt", "classes": {}, "default_threshold": 0.5, "model_sha256": "%s"}`
	writeTable(t, dir, strings.Replace(table, "%s", strings.Repeat("0", 64), 1))
	if _, err := onnx.New(t.Context(), onnx.Options{Model: dir, Tokenizer: hfLoader, Runtime: rt}); err == nil || !strings.Contains(err.Error(), "field model_sha256") || !strings.Contains(err.Error(), "rerun the calibrate job") {
		t.Errorf("stale table: err = %v", err)
	}
	writeTable(t, dir, strings.Replace(table, "%s", sum, 1))
	if m := openBuiltin(t, rt, dir, onnx.Options{}); !m.Calibrated() {
		t.Error("table with this model's SHA-256 not loaded")
	}
	_, err = onnx.New(t.Context(), onnx.Options{Model: dir, Tokenizer: hfLoader, Runtime: rt, Thresholds: "auto"})
	if err == nil || !strings.Contains(err.Error(), `option thresholds: "auto"`) {
		t.Errorf("thresholds: auto: err = %v", err)
	}
}

// TestBuiltinBaselineThresholds: when the repository ships
// models/baseline/thresholds.json, builtin:baseline carries it, it was
// fitted on the shipped model.onnx, and the onnx method applies it.
func TestBuiltinBaselineThresholds(t *testing.T) {
	rt := ortlibtest.Require(t)
	dir, tab := shippedTable(t, "baseline")
	if tab == nil {
		t.Fatal("models/baseline ships no thresholds.json (run configs/calibrate-baseline.yaml)")
	}
	if tab.ModelSHA256 == "" {
		t.Error("the shipped table records no model_sha256")
	}
	if m := openBuiltin(t, rt, dir, onnx.Options{}); !m.Calibrated() {
		t.Error("the onnx method does not apply the shipped table")
	}
}
