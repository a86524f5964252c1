package onnx_test

// Tests on the REAL shipped BERT-like baseline (models/baseline,
// `builtin:baseline`), the model the quickstart runs: it finds known spans,
// batching does not change its answers, and a long text cut into windows
// gives the same spans as one big window.

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/piimask/piimask/internal/ortlib/ortlibtest"
	"github.com/piimask/piimask/record"
	"github.com/piimask/piimask/stages/detect/onnx"
)

func TestBaselineModelFindsKnownSpans(t *testing.T) {
	rt := ortlibtest.Require(t)
	dir := builtinModel(t, "baseline")
	m := openBuiltin(t, rt, dir, onnx.Options{BatchSize: 16, MaxLength: 128, Aggregation: "first"})
	recs, gold := syntheticDocs(t, 200)
	pred := detectRecs(t, m, recs)
	if f1 := strictF1(pred, gold); f1 < 0.85 {
		t.Fatalf("strict F1 on held-out synthetic documents = %.3f, want >= 0.85", f1)
	}
	// A hand-made text in the shape of the training data: the e-mail and the
	// IBAN, after accented words, at exact code-point offsets.
	text := "Bonjour, écrivez à camille.durand@exemple.fr ou virez sur FR1420041010050500013M02606 avant le 12/03/2024."
	got := detectRecs(t, m, []record.Record{{ID: "x", Text: text}})[0]
	want := map[string]string{"EMAIL": "camille.durand@exemple.fr", "IBAN": "FR1420041010050500013M02606"}
	runes := []rune(text)
	for label, value := range want {
		start := len([]rune(text[:strings.Index(text, value)]))
		found := false
		for _, s := range got {
			if s.Label == label && s.Start == start && string(runes[s.Start:s.End]) == value {
				found = true
			}
		}
		if !found {
			t.Errorf("%s %q at %d not found in %v", label, value, start, got)
		}
	}
}

func TestBaselineModelBatchingIsTransparent(t *testing.T) {
	rt := ortlibtest.Require(t)
	dir := builtinModel(t, "baseline")
	recs, _ := syntheticDocs(t, 64)
	one := detectRecs(t, openBuiltin(t, rt, dir, onnx.Options{BatchSize: 1, MaxLength: 128, Aggregation: "first"}), recs)
	many := detectRecs(t, openBuiltin(t, rt, dir, onnx.Options{BatchSize: 32, MaxLength: 128, Aggregation: "first"}), recs)
	if d := spanDiff(one, many); d != "" {
		t.Fatalf("batch 32 differs from one by one: %s", d)
	}
}

// The baseline's logits for a token depend on the window_left tokens before
// it and window_right after it (config.json: its receptive field), so windows
// overlapping by twice that (cores meeting in the middle of the overlap) give
// each token exactly the context one big window gives it.
func TestBaselineModelWindowsOnLongText(t *testing.T) {
	rt := ortlibtest.Require(t)
	dir := builtinModel(t, "baseline")
	recs, _ := syntheticDocs(t, 40)
	var b strings.Builder
	for _, r := range recs {
		b.WriteString(r.Text)
		b.WriteString("\n")
	}
	long := []record.Record{{ID: "long", Text: b.String()}}
	whole := detectRecs(t, openBuiltin(t, rt, dir, onnx.Options{BatchSize: 4, MaxLength: 8192, Aggregation: "first"}), long)
	var mc struct {
		WindowLeft  int `json:"window_left"`
		WindowRight int `json:"window_right"`
	}
	readJSON(t, filepath.Join(dir, "config.json"), &mc)
	stride := 2 * max(mc.WindowLeft, mc.WindowRight, 1)
	maxLen := 2*stride + 16
	windowed := detectRecs(t, openBuiltin(t, rt, dir, onnx.Options{BatchSize: 4, MaxLength: maxLen, Stride: stride, Aggregation: "first"}), long)
	if len(whole[0]) < 100 {
		t.Fatalf("only %d spans found in a text of 40 documents", len(whole[0]))
	}
	if d := spanDiff(whole, windowed); d != "" {
		t.Fatalf("%d-token windows (stride %d) differ from one window: %s", maxLen, stride, d)
	}
}
