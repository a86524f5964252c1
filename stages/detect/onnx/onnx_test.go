package onnx_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/piimask/piimask/internal/ortlib"
	"github.com/piimask/piimask/internal/ortlib/ortlibtest"
	"github.com/piimask/piimask/record"
	"github.com/piimask/piimask/stages/detect"
	"github.com/piimask/piimask/stages/detect/onnx"
	"github.com/piimask/piimask/stages/detect/onnx/internal/onnxtest"
	"github.com/piimask/piimask/stages/tokenize"
)

var labels = []string{"O", "B-PER", "I-PER", "B-LOC", "I-LOC"}

// emb gives each vocabulary piece its logits (the tiny model's logits are
// E[id] (+ P[pos] + T[type]) since W2 is the identity).
var emb = map[string][]float32{
	"Anna": {0, 4, 1, 0, 0}, "Lee": {0, 1, 4, 0, 0}, "Smith": {0, 1, 3, 0, 0},
	"Paris": {0, 0, 0, 4, 1}, "New": {0, 0, 0, 3, 1}, "York": {0, 0, 1, 0, 3},
	"Jo": {0, 5, 0, 0, 0}, "##hn": {1, 0, 0.5, 0, 0}, "##son": {0, 0, 3, 0, 0},
}

var pieces = []string{"My", "name", "is", "Anna", "Lee", "and", "I", "live", "in", "Paris", ".", ",",
	"Smith", "New", "York", "Jo", "##hn", "##son", "met", "the", "a", "from", "visited"}

func tokenizer() *onnxtest.WordPiece { return onnxtest.NewWordPiece(pieces) }

type variant struct {
	idType      int
	posEmb      bool
	typeEmb     bool
	paddingSide string
	extraInput  string
	configLabel []string // id2label written to config.json (default labels)
}

// writeModel writes a model directory for v and returns its path.
func writeModel(t testing.TB, v variant) string {
	t.Helper()
	tok := tokenizer()
	D := len(labels)
	E := make([]float32, tok.VocabSize()*D)
	for id := 0; id < tok.VocabSize(); id++ {
		E[id*D] = 3 // O by default
	}
	for p, logits := range emb {
		id, _ := tok.TokenToID(p)
		copy(E[id*D:(id+1)*D], logits)
	}
	s := onnxtest.Spec{Vocab: tok.VocabSize(), Dim: D, Labels: D, IDType: v.idType, Emb: E,
		W2: onnxtest.Identity(D), B2: make([]float32, D), ExtraInput: v.extraInput}
	if v.posEmb {
		s.PosEmb = make([]float32, 1024*D)
		for p := 0; p < 1024; p++ {
			s.PosEmb[p*D] = 0.01 * float32(p)
		}
	}
	if v.typeEmb {
		s.TypeEmb = make([]float32, 2*D)
		s.TypeEmb[D] = 9 // type 1 would force O: only type 0 must be fed
	}
	dir := t.TempDir()
	write := func(name string, data []byte) {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("model.onnx", onnxtest.Model(s))
	write("tokenizer.json", tok.TokenizerJSON())
	cl := v.configLabel
	if cl == nil {
		cl = labels
	}
	id2label := map[string]string{}
	for i, l := range cl {
		id2label[fmt.Sprint(i)] = l
	}
	cfg, _ := json.Marshal(map[string]any{"id2label": id2label})
	write("config.json", cfg)
	if v.paddingSide != "" {
		write("tokenizer_config.json", []byte(`{"padding_side": "`+v.paddingSide+`", "model_max_length": 512}`))
	}
	return dir
}

func loader(string) (tokenize.Tokenizer, error) { return tokenizer(), nil }

func open(t testing.TB, dir string, o onnx.Options) *onnx.Method {
	t.Helper()
	o.Model = dir
	o.Tokenizer = loader
	if o.Runtime == nil {
		o.Runtime = ortlibtest.Require(t)
	}
	m, err := onnx.New(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := m.Close(); err != nil {
			t.Error(err)
		}
	})
	return m
}

func detectAll(t testing.TB, m *onnx.Method, texts ...string) [][]record.Span {
	t.Helper()
	recs := make([]record.Record, len(texts))
	for i, s := range texts {
		recs[i] = record.Record{ID: fmt.Sprint(i), Text: s}
	}
	preds, err := m.Detect(context.Background(), recs)
	if err != nil {
		t.Fatal(err)
	}
	out := make([][]record.Span, len(preds))
	for i, p := range preds {
		out[i] = p.Spans
	}
	return out
}

func softmaxAt(logits []float32, k int) float64 {
	return onnx.Softmax(nil, logits)[k]
}

func TestKnownSpans(t *testing.T) {
	dir := writeModel(t, variant{})
	text := "My name is Anna Lee and I live in Paris. Johnson met Jo."
	pAnna, pLee, pParis := softmaxAt(emb["Anna"], 1), softmaxAt(emb["Lee"], 2), softmaxAt(emb["Paris"], 3)
	pJo, pSon := softmaxAt(emb["Jo"], 1), softmaxAt(emb["##son"], 2)
	tests := []struct {
		agg  string
		want []record.Span
	}{
		{"simple", []record.Span{
			{Start: 11, End: 19, Label: "PER", Score: (pAnna + pLee) / 2},
			{Start: 34, End: 39, Label: "LOC", Score: pParis},
			{Start: 41, End: 43, Label: "PER", Score: pJo},  // Jo
			{Start: 45, End: 48, Label: "PER", Score: pSon}, // ##son (##hn is O)
			{Start: 53, End: 55, Label: "PER", Score: pJo},
		}},
		{"first", []record.Span{
			{Start: 11, End: 19, Label: "PER", Score: (pAnna + pLee) / 2},
			{Start: 34, End: 39, Label: "LOC", Score: pParis},
			{Start: 41, End: 48, Label: "PER", Score: pJo}, // the whole word Johnson
			{Start: 53, End: 55, Label: "PER", Score: pJo},
		}},
		{"max", []record.Span{
			{Start: 11, End: 19, Label: "PER", Score: (pAnna + pLee) / 2},
			{Start: 34, End: 39, Label: "LOC", Score: pParis},
			{Start: 41, End: 48, Label: "PER", Score: pJo},
			{Start: 53, End: 55, Label: "PER", Score: pJo},
		}},
		{"none", []record.Span{
			{Start: 11, End: 15, Label: "PER", Score: pAnna},
			{Start: 16, End: 19, Label: "PER", Score: pLee},
			{Start: 34, End: 39, Label: "LOC", Score: pParis},
			{Start: 41, End: 43, Label: "PER", Score: pJo},
			{Start: 45, End: 48, Label: "PER", Score: pSon},
			{Start: 53, End: 55, Label: "PER", Score: pJo},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.agg, func(t *testing.T) {
			m := open(t, dir, onnx.Options{Aggregation: tc.agg})
			got := detectAll(t, m, text)[0]
			assertSpans(t, got, tc.want)
		})
	}
	t.Run("average", func(t *testing.T) {
		// Johnson = Jo ##hn ##son: mean probabilities, argmax.
		var avg [5]float64
		for _, p := range []string{"Jo", "##hn", "##son"} {
			for k, v := range onnx.Softmax(nil, emb[p]) {
				avg[k] += v / 3
			}
		}
		best := 0
		for k := range avg {
			if avg[k] > avg[best] {
				best = k
			}
		}
		if labels[best] != "B-PER" {
			t.Fatalf("hand computation: Johnson averages to %s", labels[best])
		}
		m := open(t, dir, onnx.Options{Aggregation: "average"})
		got := detectAll(t, m, text)[0]
		assertSpans(t, got, []record.Span{
			{Start: 11, End: 19, Label: "PER", Score: (pAnna + pLee) / 2},
			{Start: 34, End: 39, Label: "LOC", Score: pParis},
			{Start: 41, End: 48, Label: "PER", Score: avg[best]},
			{Start: 53, End: 55, Label: "PER", Score: pJo},
		})
	})
	t.Run("threshold", func(t *testing.T) {
		m := open(t, dir, onnx.Options{Aggregation: "simple", Threshold: 0.9})
		for _, s := range detectAll(t, m, text)[0] {
			if s.Score < 0.9 {
				t.Errorf("span %+v below threshold", s)
			}
		}
	})
}

func assertSpans(t *testing.T, got, want []record.Span) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d spans %+v, want %+v", len(got), got, want)
	}
	for i := range got {
		g, w := got[i], want[i]
		if g.Key() != w.Key() || math.Abs(g.Score-w.Score) > 1e-5 {
			t.Errorf("span %d = %+v, want %+v", i, g, w)
		}
	}
}

// randomTexts builds texts of varied lengths from the vocabulary plus
// unknown words, so that batches mix lengths and need padding.
func randomTexts(n, maxWords int, seed uint64) []string {
	r := rand.New(rand.NewPCG(seed, 1))
	words := []string{"My", "name", "is", "Anna", "Lee", "and", "I", "live", "in", "Paris", ".", ",",
		"Smith", "New", "York", "Johnson", "met", "the", "a", "from", "visited", "Zoë", "qwerty"}
	out := make([]string, n)
	for i := range out {
		k := 1 + r.IntN(maxWords)
		ws := make([]string, k)
		for j := range ws {
			ws[j] = words[r.IntN(len(words))]
		}
		out[i] = strings.Join(ws, " ")
	}
	out[n/2] = "" // an empty text in the middle
	return out
}

func sameSpans(t *testing.T, what string, a, b [][]record.Span) {
	t.Helper()
	if len(a) != len(b) {
		t.Fatalf("%s: %d vs %d predictions", what, len(a), len(b))
	}
	for i := range a {
		if len(a[i]) != len(b[i]) {
			t.Fatalf("%s: doc %d: %+v vs %+v", what, i, a[i], b[i])
		}
		for j := range a[i] {
			if a[i][j].Key() != b[i][j].Key() || math.Abs(a[i][j].Score-b[i][j].Score) > 1e-5 {
				t.Fatalf("%s: doc %d span %d: %+v vs %+v", what, i, j, a[i][j], b[i][j])
			}
		}
	}
}

func TestBatchingMatchesOneByOne(t *testing.T) {
	texts := randomTexts(37, 40, 7)
	for _, v := range []struct {
		name string
		v    variant
	}{
		{"int64 right padding", variant{}},
		{"int32 inputs", variant{idType: onnxtest.Int32}},
		{"token_type_ids", variant{typeEmb: true}},
		{"position_ids right padding", variant{posEmb: true}},
		{"position_ids left padding", variant{posEmb: true, paddingSide: "left"}},
	} {
		t.Run(v.name, func(t *testing.T) {
			dir := writeModel(t, v.v)
			one := open(t, dir, onnx.Options{BatchSize: 1})
			var single [][]record.Span
			for _, s := range texts {
				single = append(single, detectAll(t, one, s)...)
			}
			for _, bs := range []int{4, 32} {
				m := open(t, dir, onnx.Options{BatchSize: bs, SortBuffer: 2 * bs})
				sameSpans(t, fmt.Sprintf("batch %d", bs), single, detectAll(t, m, texts...))
				st := m.Stats()
				if st.Docs != int64(len(texts)) || st.PaddedTokens < st.Tokens || st.Batches == 0 {
					t.Fatalf("stats %+v", st)
				}
			}
			nonEmpty := 0
			for _, s := range single {
				nonEmpty += len(s)
			}
			if nonEmpty == 0 {
				t.Fatal("no spans at all: the comparison proves nothing")
			}
		})
	}
}

// With position embeddings the logits depend on position_ids, so a wrong
// position computation under left padding changes the scores: check one
// score against a hand computation inside a padded batch.
func TestLeftPaddingPositionIDs(t *testing.T) {
	dir := writeModel(t, variant{posEmb: true, paddingSide: "left"})
	m := open(t, dir, onnx.Options{BatchSize: 8})
	got := detectAll(t, m, "Anna", "My name is Anna Lee and I live in Paris")
	// "Anna" is token 1 ([CLS] is 0): logits E[Anna] + P[1] = {0.01, 4, 1, 0, 0}.
	want := softmaxAt([]float32{0.01, 4, 1, 0, 0}, 1)
	if len(got[0]) != 1 || math.Abs(got[0][0].Score-want) > 1e-6 {
		t.Fatalf("left-padded short text: %+v, want one PER span scoring %.6f", got[0], want)
	}
}

func TestWindowsMatchOneWindow(t *testing.T) {
	dir := writeModel(t, variant{})
	long := randomTexts(3, 400, 11)
	long[1] = strings.Repeat("Anna Lee met Johnson in New York . ", 30)
	whole := open(t, dir, onnx.Options{MaxLength: 4096})
	want := detectAll(t, whole, long...)
	if whole.Stats().Rows != 3 {
		t.Fatalf("one window a text expected, got %d rows", whole.Stats().Rows)
	}
	for _, o := range []onnx.Options{
		{MaxLength: 16, Stride: 4},
		{MaxLength: 16, Stride: -1},
		{MaxLength: 33, Stride: 7, BatchSize: 3},
		{MaxLength: 16, RightContext: 5},
	} {
		name := fmt.Sprintf("max%d_stride%d_right%d", o.MaxLength, o.Stride, o.RightContext)
		t.Run(name, func(t *testing.T) {
			m := open(t, dir, o)
			sameSpans(t, name, want, detectAll(t, m, long...))
			if m.Stats().Rows <= 3 {
				t.Fatalf("expected many windows, got %d rows", m.Stats().Rows)
			}
		})
	}
}

func TestErrors(t *testing.T) {
	good := writeModel(t, variant{})
	noLib := ortlib.New(ortlib.Search{Env: func(string) (string, bool) { return "", false }, StartDirs: []string{t.TempDir()}})
	remove := func(name string) string {
		dir := writeModel(t, variant{})
		if err := os.Remove(filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	badConfig := func(body string) string {
		dir := writeModel(t, variant{})
		if err := os.WriteFile(filepath.Join(dir, "config.json"), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	needsLib := func(o onnx.Options) onnx.Options { o.Runtime = ortlibtest.Require(t); return o }
	tests := []struct {
		name string
		o    onnx.Options
		want []string
	}{
		{"missing library", onnx.Options{Model: good, Tokenizer: loader, Runtime: noLib}, []string{ortlib.EnvVar, ortlib.SetupScript}},
		{"no model option", onnx.Options{Tokenizer: loader}, []string{"option model"}},
		{"missing model.onnx", onnx.Options{Model: remove("model.onnx"), Tokenizer: loader}, []string{"model.onnx", "no such file"}},
		{"missing config.json", onnx.Options{Model: remove("config.json"), Tokenizer: loader}, []string{"config.json"}},
		{"missing tokenizer.json", onnx.Options{Model: remove("tokenizer.json"), Tokenizer: loader}, []string{"tokenizer.json"}},
		{"no tokenizer loader", onnx.Options{Model: good}, []string{"tokenizer loader"}},
		{"config without id2label", onnx.Options{Model: badConfig(`{"model_type": "bert"}`), Tokenizer: loader}, []string{"config.json", "id2label"}},
		{"id2label with a gap", onnx.Options{Model: badConfig(`{"id2label": {"0": "O", "2": "B-PER"}}`), Tokenizer: loader}, []string{"config.json", "id2label"}},
		{"num_labels disagrees", onnx.Options{Model: badConfig(`{"num_labels": 3, "id2label": {"0": "O", "1": "B-PER"}}`), Tokenizer: loader}, []string{"num_labels"}},
		{"bad aggregation", onnx.Options{Model: good, Tokenizer: loader, Aggregation: "mean"}, []string{"aggregation", "mean"}},
		{"stride not below max_length", onnx.Options{Model: good, Tokenizer: loader, MaxLength: 16, Stride: 16}, []string{"stride", "max_length=16"}},
		{"negative right_context", onnx.Options{Model: good, Tokenizer: loader, RightContext: -2}, []string{"right_context"}},
		{"bad padding side", onnx.Options{Model: good, Tokenizer: loader, PaddingSide: "middle"}, []string{"padding_side"}},
		{"id2label size mismatch", needsLib(onnx.Options{Model: writeModel(t, variant{configLabel: []string{"O", "B-PER", "I-PER"}}), Tokenizer: loader}), []string{"5 labels", "id2label has 3"}},
		{"unsupported input", needsLib(onnx.Options{Model: writeModel(t, variant{extraInput: "pixel_values"}), Tokenizer: loader}), []string{"unsupported model input", "pixel_values"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, err := onnx.New(context.Background(), tc.o)
			if err == nil {
				m.Close()
				t.Fatal("New succeeded")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func TestRegister(t *testing.T) {
	ortlibtest.Require(t) // the method opens its own runtime, shared with this one
	reg := detect.NewRegistry()
	onnx.Register(reg, loader, nil)
	dir := writeModel(t, variant{})
	m, err := reg.New(context.Background(), detect.Spec{Name: "tiny", Type: onnx.Type, Options: detect.Options{
		"model": dir, "aggregation": "first", "batch_size": 2, "max_length": 16, "stride": 4, "intra_op_threads": 1,
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if m.Name() != "tiny" {
		t.Errorf("Name = %q", m.Name())
	}
	preds, err := m.Detect(context.Background(), []record.Record{{Text: "Anna Lee lives in Paris"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(preds[0].Spans) != 2 || preds[0].Spans[0].Label != "PER" || preds[0].Spans[1].Label != "LOC" {
		t.Fatalf("spans %+v", preds[0].Spans)
	}
	if _, err := reg.New(context.Background(), detect.Spec{Name: "x", Type: onnx.Type, Options: detect.Options{"model": dir, "bogus": 1}}); err == nil {
		t.Fatal("unknown option accepted")
	}
}

func TestDetectCancelled(t *testing.T) {
	m := open(t, writeModel(t, variant{}), onnx.Options{BatchSize: 1})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := m.Detect(ctx, []record.Record{{Text: "Anna"}, {Text: "Lee"}}); err == nil {
		t.Fatal("Detect on a cancelled context succeeded")
	}
}

// With position embeddings a token's score reveals which window it came from
// and where it sat in it, so this checks the merge rule: ten "Anna" tokens,
// 4 content tokens a window, stride 2 → windows [0,4) [2,6) [4,8) [6,10) with
// cores [0,3) [3,5) [5,7) [7,10) (overlaps cut in the middle). Position =
// 1 ([CLS]) + index within the owning window.
func TestWindowMergeRule(t *testing.T) {
	dir := writeModel(t, variant{posEmb: true})
	m := open(t, dir, onnx.Options{Aggregation: "none", MaxLength: 6, Stride: 2})
	got := detectAll(t, m, strings.TrimSpace(strings.Repeat("Anna ", 10)))[0]
	wantPos := []int{1, 2, 3, 2, 3, 2, 3, 2, 3, 4}
	if len(got) != len(wantPos) {
		t.Fatalf("got %d spans %+v", len(got), got)
	}
	for j, p := range wantPos {
		want := softmaxAt([]float32{0.01 * float32(p), 4, 1, 0, 0}, 1)
		if got[j].Start != 5*j || math.Abs(got[j].Score-want) > 1e-6 {
			t.Errorf("token %d: %+v, want start %d score %.6f (position %d)", j, got[j], 5*j, want, p)
		}
	}
}
