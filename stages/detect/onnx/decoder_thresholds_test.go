package onnx_test

// The decoder's shipped calibration table (models/decoder/thresholds.json,
// written by configs/calibrate-decoder.yaml) on the REAL builtin:decoder.

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
	"github.com/piimask/piimask/stages/generate/docs"
)

// shippedTable materializes builtin:NAME and returns its directory and
// thresholds.json, after checking that it is byte for byte
// models/NAME/thresholds.json; nil when the repository ships none.
func shippedTable(t *testing.T, name string) (string, *calibrate.Table) {
	t.Helper()
	dir := builtinModel(t, name)
	shipped, err := os.ReadFile(filepath.Join("..", "..", "..", "models", name, calibrate.FileName))
	if os.IsNotExist(err) {
		return dir, nil
	}
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(dir, calibrate.FileName))
	if err != nil {
		t.Fatalf("builtin:%s lacks the shipped thresholds.json (add it to models/models.go's go:embed): %v", name, err)
	}
	if string(got) != string(shipped) {
		t.Fatalf("builtin:%s's thresholds.json differs from models/%s/thresholds.json", name, name)
	}
	tab, err := calibrate.Load(filepath.Join(dir, calibrate.FileName))
	if err != nil {
		t.Fatal(err)
	}
	return dir, tab
}

// decoderOptions are the options configs/calibrate-decoder.yaml fits the
// table with (and the evaluation configs run builtin:decoder with).
var decoderOptions = onnx.Options{Aggregation: "simple", BatchSize: 16, MaxLength: 128, Stride: 16, LeftContext: 32}

// TestBuiltinDecoderThresholds: builtin:decoder carries the shipped
// thresholds.json byte for byte, fitted on the shipped model.onnx, on
// generated validation documents (seed 99, never an evaluation set), with
// the options the decoder is run with; the onnx method applies it.
func TestBuiltinDecoderThresholds(t *testing.T) {
	rt := ortlibtest.Require(t)
	dir, tab := shippedTable(t, "decoder")
	if tab == nil {
		t.Fatal("models/decoder ships no thresholds.json (run configs/calibrate-decoder.yaml)")
	}
	sum, err := calibrate.FileSHA256(filepath.Join(dir, "model.onnx"))
	if err != nil {
		t.Fatal(err)
	}
	if tab.ModelSHA256 != sum {
		t.Errorf("table fitted on model %q, shipped model.onnx is %s", tab.ModelSHA256, sum)
	}
	if in := tab.Validation.Input; !strings.Contains(in, "Seed:99") || !strings.Contains(in, "Mode:documents") || tab.Validation.Docs < 1000 {
		t.Errorf("validation %+v: want generated documents of seed 99 (configs/calibrate-decoder.yaml)", tab.Validation)
	}
	if tab.Method["aggregation"] != "simple" || tab.Method["left_context"] != float64(32) {
		t.Errorf("fitted with options %v, want aggregation simple and left_context 32 (as the decoder is run)", tab.Method)
	}
	for label, c := range tab.Classes {
		if c.Threshold < tab.Floor || c.Threshold > 1 {
			t.Errorf("%s: threshold %v outside [floor %v, 1]", label, c.Threshold, tab.Floor)
		}
	}
	if m := openBuiltin(t, rt, dir, decoderOptions); !m.Calibrated() {
		t.Error("the onnx method does not apply the shipped table")
	}
}

// TestBuiltinDecoderThresholdsApplied: on generated documents (seed 7, not
// the calibration seed), every span the calibrated decoder keeps is a raw
// span with its class's calibrated score at or above its class threshold,
// and every raw span whose calibrated score is under its threshold is gone.
func TestBuiltinDecoderThresholdsApplied(t *testing.T) {
	rt := ortlibtest.Require(t)
	dir := builtinModel(t, "decoder")
	tab, err := calibrate.Load(filepath.Join(dir, calibrate.FileName))
	if err != nil {
		t.Fatal(err)
	}
	g, err := docs.New(docs.Config{Seed: 7, N: 60})
	if err != nil {
		t.Fatal(err)
	}
	var recs []record.Record
	for row := range g.All() {
		recs = append(recs, record.Record{ID: row.ID, Text: row.SourceText, Language: row.Language})
	}
	rawOpt, calOpt := decoderOptions, decoderOptions
	rawOpt.Thresholds = "none"
	raw := detectRecs(t, openBuiltin(t, rt, dir, rawOpt), recs)
	cal := detectRecs(t, openBuiltin(t, rt, dir, calOpt), recs)
	type key struct {
		s, e int
		l    string
	}
	kept, dropped := 0, 0
	for i := range recs {
		rawBy := map[key]record.Span{}
		for _, s := range raw[i] {
			rawBy[key{s.Start, s.End, s.Label}] = s
		}
		calBy := map[key]record.Span{}
		for _, s := range cal[i] {
			k := key{s.Start, s.End, s.Label}
			calBy[k] = s
			r, ok := rawBy[k]
			if !ok {
				t.Errorf("%s: calibrated span %+v is not a raw span", recs[i].ID, s)
				continue
			}
			p, th := tab.Score(s.Label, r.Score)
			if math.Abs(p-s.Score) > 1e-9 || p < th {
				t.Errorf("%s: %s span score %v, want calibrated %v ≥ threshold %v", recs[i].ID, s.Label, s.Score, p, th)
			}
			kept++
		}
		for k, r := range rawBy {
			if p, th := tab.Score(r.Label, r.Score); p < th {
				dropped++
				if _, ok := calBy[k]; ok {
					t.Errorf("%s: %s span with calibrated score %v < %v kept", recs[i].ID, r.Label, p, th)
				}
			}
		}
	}
	t.Logf("%d spans kept, %d raw spans under their class threshold dropped", kept, dropped)
	if kept < 100 {
		t.Errorf("only %d calibrated spans on 60 documents", kept)
	}
	if dropped == 0 {
		t.Error("no raw span fell under its class threshold: the test shows nothing")
	}
}
