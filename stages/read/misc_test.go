package read

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/piimask/piimask/record"
)

func TestExpand(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"a.jsonl", "b.parquet", "sub/c.jsonl", "sub/deep/d.txt", "sub/deep/e.md", "sub/deep/skip.csv", ".hidden/h.jsonl", "sub/.x.jsonl"} {
		writeFile(t, dir, f, "")
	}
	j := func(p ...string) string { return filepath.Join(append([]string{dir}, p...)...) }
	tests := []struct {
		name     string
		patterns []string
		want     []string
		err      string
	}{
		{"a file", []string{j("a.jsonl")}, []string{j("a.jsonl")}, ""},
		{"a file with any extension", []string{j("sub/deep/skip.csv")}, []string{j("sub/deep/skip.csv")}, ""},
		{"a directory, recursive, supported only, no hidden", []string{dir}, []string{j("a.jsonl"), j("b.parquet"), j("sub/c.jsonl"), j("sub/deep/d.txt"), j("sub/deep/e.md")}, ""},
		{"glob", []string{j("*.jsonl")}, []string{j("a.jsonl")}, ""},
		{"recursive glob", []string{j("**/*.jsonl")}, []string{j(".hidden/h.jsonl"), j("a.jsonl"), j("sub/.x.jsonl"), j("sub/c.jsonl")}, ""},
		{"braces", []string{j("sub/deep/*.{md,txt}")}, []string{j("sub/deep/d.txt"), j("sub/deep/e.md")}, ""},
		{"sorted and de-duplicated", []string{j("sub/c.jsonl"), j("*.parquet"), j("sub/../sub/c.jsonl"), j("sub")}, []string{j("b.parquet"), j("sub/c.jsonl"), j("sub/deep/d.txt"), j("sub/deep/e.md")}, ""},
		{"a glob that matches nothing", []string{j("a.jsonl"), j("*.arrow")}, nil, "*.arrow\" matches no file"},
		{"a missing file", []string{j("nope.jsonl")}, nil, "nope.jsonl\" matches no file"},
		{"a directory with no supported file", []string{j("sub/deep/skip.csv"), j(".hidden/..", "sub", "deep", "none")}, nil, "matches no file"},
		{"bad glob", []string{j("[a")}, nil, "[a"},
	}
	if err := os.MkdirAll(j("sub/deep/none"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Expand(tc.patterns)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want one containing %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got  %v\nwant %v", got, tc.want)
			}
		})
	}
}

func TestFilterKeep(t *testing.T) {
	tests := []struct {
		f    Filter
		lang string
		want bool
	}{
		{Filter{}, "fr", true},
		{Filter{Languages: []string{"en", "fr"}}, "fr", true},
		{Filter{Languages: []string{"en", "FR"}}, "fr", true},
		{Filter{Languages: []string{"fr"}}, "fr-CA", true},
		{Filter{Languages: []string{"fr"}}, "fra", false},
		{Filter{Languages: []string{"en"}}, "fr", false},
		{Filter{Languages: []string{"en"}}, "", false},
	}
	for _, tc := range tests {
		if got := tc.f.Keep(record.Record{ID: "x", Language: tc.lang}); got != tc.want {
			t.Errorf("%+v.Keep(%q) = %v, want %v", tc.f, tc.lang, got, tc.want)
		}
	}
}

func sampleIDs(f Filter, n int) []string {
	var kept []string
	for i := 0; i < n; i++ {
		id := fmt.Sprintf("doc-%d", i)
		if f.Keep(record.Record{ID: id}) {
			kept = append(kept, id)
		}
	}
	return kept
}

func TestFilterSample(t *testing.T) {
	const n = 20000
	a := sampleIDs(Filter{SampleRate: 0.1, Seed: 1}, n)
	b := sampleIDs(Filter{SampleRate: 0.1, Seed: 1}, n)
	c := sampleIDs(Filter{SampleRate: 0.1, Seed: 2}, n)
	if !reflect.DeepEqual(a, b) {
		t.Error("the same seed kept different rows")
	}
	if reflect.DeepEqual(a, c) {
		t.Error("different seeds kept the same rows")
	}
	for _, s := range [][]string{a, c} {
		if share := float64(len(s)) / n; math.Abs(share-0.1) > 0.01 {
			t.Errorf("kept %.3f of rows, want about 0.1", share)
		}
	}
	// A larger rate keeps a superset with the same seed.
	big := map[string]bool{}
	for _, id := range sampleIDs(Filter{SampleRate: 0.5, Seed: 1}, n) {
		big[id] = true
	}
	for _, id := range a {
		if !big[id] {
			t.Fatalf("%s kept at rate 0.1 but not at 0.5", id)
		}
	}
	if got := len(sampleIDs(Filter{SampleRate: 1}, 100)); got != 100 {
		t.Errorf("rate 1 kept %d of 100", got)
	}
}

func TestFilterValidate(t *testing.T) {
	for _, f := range []Filter{{Limit: -1}, {SampleRate: -0.1}, {SampleRate: 1.5}, {SampleRate: math.NaN()}} {
		if f.Validate() == nil {
			t.Errorf("%+v: no error", f)
		}
	}
	if err := (Filter{Limit: 3, SampleRate: 0.5, Languages: []string{"en"}}).Validate(); err != nil {
		t.Error(err)
	}
}

func TestFilterWrapWithRead(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	for i := 0; i < 50; i++ {
		lang := []string{"en", "fr"}[i%2]
		b.WriteString(jsonLine(t, map[string]any{"text": "t", "id": fmt.Sprint(i), "language": lang}))
	}
	p := writeFile(t, dir, "a.jsonl", b.String())
	run := func(f Filter) []string {
		var ids []string
		err := Read(context.Background(), []string{p, p}, Options{}, f.Wrap(func(r record.Record) error {
			if r.Seq != int64(len(ids)) {
				t.Errorf("kept record %s has Seq %d, want %d", r.ID, r.Seq, len(ids))
			}
			ids = append(ids, r.ID)
			return nil
		}), nil)
		if err != nil {
			t.Fatal(err)
		}
		return ids
	}
	if got := run(Filter{Languages: []string{"fr"}, Limit: 3}); strings.Join(got, ",") != "1,3,5" {
		t.Errorf("fr limit 3: %v", got)
	}
	if got := run(Filter{Limit: 200}); len(got) != 100 {
		t.Errorf("limit above the input: %d records", len(got))
	}
	s1 := run(Filter{SampleRate: 0.3, Seed: 7})
	s2 := run(Filter{SampleRate: 0.3, Seed: 7})
	if !reflect.DeepEqual(s1, s2) || len(s1) == 0 || len(s1) == 100 {
		t.Errorf("sample: %v vs %v", s1, s2)
	}
}

func TestParsePyList(t *testing.T) {
	tests := []struct {
		in   string
		want any
		err  string
	}{
		{"[]", []any{}, ""},
		{"[[0, 5, 'FIRSTNAME'], [5, 6, 'O']]", []any{[]any{int64(0), int64(5), "FIRSTNAME"}, []any{int64(5), int64(6), "O"}}, ""},
		{` [ [0,5,"A"] , (6, 7, 'B',), ] `, []any{[]any{int64(0), int64(5), "A"}, []any{int64(6), int64(7), "B"}}, ""},
		{`['it\'s', "say \"hi\"", 'a\\b', '\u00e9\x41']`, []any{"it's", `say "hi"`, `a\b`, "éA"}, ""},
		{"[-1, +2]", []any{int64(-1), int64(2)}, ""},
		{"[1 2]", nil, "want ',' or ']' at byte 3"},
		{"[1, 'abc", nil, "unterminated string starting at byte 4"},
		{"[1] x", nil, "unexpected data at byte 4"},
		{"[None]", nil, "unexpected character at byte 1"},
		{strings.Repeat("[", 40) + strings.Repeat("]", 40), nil, "nested deeper"},
		{"", nil, "unexpected end"},
	}
	for _, tc := range tests {
		got, err := parsePyList(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%q: err %v, want %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%q: got %#v, %v; want %#v", tc.in, got, err, tc.want)
		}
	}
}

func TestNormaliseLabel(t *testing.T) {
	for in, want := range map[string]string{
		"FIRSTNAME_1": "FIRSTNAME", "IPV4_12": "IPV4", "FIRSTNAME": "FIRSTNAME",
		"CUSTOM_2": "CUSTOM_2", "B-EMAIL": "B-EMAIL", "EMAIL_": "EMAIL_", "_1": "_1",
	} {
		if got := NormaliseLabel(in); got != want {
			t.Errorf("NormaliseLabel(%q) = %q, want %q", in, got, want)
		}
	}
}

type predSpan struct {
	Start int64   `parquet:"start"`
	End   int64   `parquet:"end"`
	Label string  `parquet:"label"`
	Score float64 `parquet:"score"`
}

type predRow struct {
	ID         string     `parquet:"id"`
	Method     string     `parquet:"method"`
	Language   string     `parquet:"language"`
	Spans      []predSpan `parquet:"spans,list"`
	MaskedText string     `parquet:"masked_text"`
	Failure    string     `parquet:"failure"`
}

func readPreds(t *testing.T, path string) ([]PredictionRow, error) {
	t.Helper()
	var out []PredictionRow
	err := ReadPredictions(context.Background(), path, func(p PredictionRow) error { out = append(out, p); return nil })
	return out, err
}

func TestReadPredictions(t *testing.T) {
	dir := t.TempDir()
	pq := writeParquet(t, filepath.Join(dir, "p.parquet"), []predRow{
		{ID: "a", Method: "rules", Language: "fr", Spans: []predSpan{{0, 6, "FIRSTNAME", 0.9}, {18, 25, "CITY", 1}}},
		{ID: "b", Method: "rules", Failure: "timeout"},
	}, 1)
	jl := writeFile(t, dir, "p.jsonl",
		jsonLine(t, map[string]any{"id": "a", "method": "llm", "spans": []any{map[string]any{"start": 0, "end": 6, "label": "FIRSTNAME", "score": 0.5}}})+
			"\n"+
			jsonLine(t, map[string]any{"id": 2, "entities": []any{map[string]any{"start": 1, "end": 2, "entity_group": "CITY"}}})+
			jsonLine(t, map[string]any{"id": "c", "predictions": `[{"start": 3, "end": 4, "label": "AGE"}]`})+
			jsonLine(t, map[string]any{"id": "d", "spans": nil}))
	want := map[string][]PredictionRow{
		pq: {
			{ID: "a", Method: "rules", Language: "fr", Spans: []record.Span{{Start: 0, End: 6, Label: "FIRSTNAME", Score: 0.9}, {Start: 18, End: 25, Label: "CITY", Score: 1}}, Origin: record.Origin{File: pq, Row: 1}},
			{ID: "b", Method: "rules", Failure: "timeout", Origin: record.Origin{File: pq, Row: 2}, Index: 1},
		},
		jl: {
			{ID: "a", Method: "llm", Spans: []record.Span{{Start: 0, End: 6, Label: "FIRSTNAME", Score: 0.5}}, Origin: record.Origin{File: jl, Row: 1}},
			{ID: "2", Spans: []record.Span{{Start: 1, End: 2, Label: "CITY"}}, Origin: record.Origin{File: jl, Row: 3}, Index: 1},
			{ID: "c", Spans: []record.Span{{Start: 3, End: 4, Label: "AGE"}}, Origin: record.Origin{File: jl, Row: 4}, Index: 2},
			{ID: "d", Origin: record.Origin{File: jl, Row: 5}, Index: 3},
		},
	}
	for path, w := range want {
		got, err := readPreds(t, path)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, w) {
			t.Errorf("%s:\n got %+v\nwant %+v", path, got, w)
		}
	}

	bad := []struct {
		line, err string
	}{
		{`{"spans": []}`, ":1: field id: missing id"},
		{`{"id": "x"}`, ":1: field spans: missing spans"},
		{`{"id": "x", "spans": [{"start": 4, "end": 2, "label": "A"}]}`, "field spans[0].end: end 2 is not after start 4"},
		{`{"id": "x", "spans": [{"start": 1, "end": 2}]}`, "field spans[0].label: missing label"},
		{`{"id": "x", "spans": [{"start": 1, "end": 2, "label": "A", "score": "high"}]}`, "field spans[0].score"},
		{`{"id": "x", "spans": {}}`, "field spans: want a list"},
		{`{"id": "x", "spans": [`, ":1: invalid JSON at byte"},
	}
	for i, tc := range bad {
		p := writeFile(t, dir, fmt.Sprintf("bad%d.jsonl", i), tc.line+"\n")
		if _, err := readPreds(t, p); err == nil || !strings.Contains(err.Error(), p+tc.err) && !strings.Contains(err.Error(), tc.err) || !strings.Contains(err.Error(), p) {
			t.Errorf("%s: err %v, want %q", tc.line, err, tc.err)
		}
	}
	if _, err := readPreds(t, writeFile(t, dir, "p.txt", "x")); err == nil {
		t.Error("text predictions file: no error")
	}
}
