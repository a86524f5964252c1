package read

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/piimask/piimask/record"
)

func TestRejects(t *testing.T) {
	const secret = "Élodie"
	text := secret + " 😀 habite à Orléans"
	good := map[string]any{"value": secret, "start": 0, "end": 6, "label": "FIRSTNAME"}
	tests := []struct {
		name   string
		row    map[string]any
		field  string
		reason string
	}{
		{"missing text", map[string]any{"privacy_mask": []any{good}, "id": "r"}, "source_text", "missing text"},
		{"null text", map[string]any{"source_text": nil, "privacy_mask": []any{good}, "id": "r"}, "source_text", "missing text"},
		{"text not a string", map[string]any{"source_text": 12, "privacy_mask": []any{}, "id": "r"}, "source_text", "not a string"},
		{"end beyond text", map[string]any{"source_text": text, "id": "r", "privacy_mask": []any{good, map[string]any{"value": "x", "start": 20, "end": 99, "label": "CITY"}}}, "privacy_mask[1].end", "beyond the text's 25 code points"},
		{"negative start", map[string]any{"source_text": text, "id": "r", "privacy_mask": []any{map[string]any{"start": -1, "end": 3, "label": "CITY"}}}, "privacy_mask[0].start", "negative start -1"},
		{"start == end", map[string]any{"source_text": text, "id": "r", "privacy_mask": []any{map[string]any{"start": 3, "end": 3, "label": "CITY"}}}, "privacy_mask[0].end", "not after start 3"},
		{"start > end", map[string]any{"source_text": text, "id": "r", "privacy_mask": []any{map[string]any{"start": 5, "end": 2, "label": "CITY"}}}, "privacy_mask[0].end", "not after start 5"},
		{"value mismatch", map[string]any{"source_text": text, "id": "r", "privacy_mask": []any{good, good, map[string]any{"value": secret, "start": 1, "end": 7, "label": "FIRSTNAME"}}}, "privacy_mask[2].value", "does not match"},
		{"byte offsets instead of code points", map[string]any{"source_text": text, "id": "r", "privacy_mask": []any{map[string]any{"value": "Orléans", "start": 24, "end": 32, "label": "CITY"}}}, "privacy_mask[0].end", "beyond"},
		{"fractional offset", map[string]any{"source_text": text, "id": "r", "privacy_mask": []any{map[string]any{"start": 1.5, "end": 3, "label": "CITY"}}}, "privacy_mask[0].start", "not an integer"},
		{"missing end", map[string]any{"source_text": text, "id": "r", "privacy_mask": []any{map[string]any{"start": 1, "label": "CITY"}}}, "privacy_mask[0].end", "end missing"},
		{"missing label", map[string]any{"source_text": text, "id": "r", "privacy_mask": []any{map[string]any{"start": 0, "end": 6}}}, "privacy_mask[0].label", "missing label"},
		{"privacy_mask not a list", map[string]any{"source_text": text, "id": "r", "privacy_mask": map[string]any{"a": 1}}, "privacy_mask", "want a list"},
		{"privacy_mask bad JSON string", map[string]any{"source_text": text, "id": "r", "privacy_mask": "[{'start': 0"}, "privacy_mask", "not valid JSON"},
		{"element not an object", map[string]any{"source_text": text, "id": "r", "privacy_mask": []any{1}}, "privacy_mask[0]", "want an object"},
		{"language not a string", map[string]any{"source_text": text, "id": "r", "language": 3, "privacy_mask": []any{}}, "language", "not a string"},
	}
	dir := t.TempDir()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			after := map[string]any{"source_text": text, "id": "next", "privacy_mask": []any{good}}
			p := writeFile(t, dir, strings.ReplaceAll(tc.name, " ", "_")+".jsonl", jsonLine(t, tc.row)+jsonLine(t, after))
			res := readAll(t, []string{p}, Options{Schema: Schema200k})
			if res.err != nil {
				t.Fatal(res.err)
			}
			if len(res.rejs) != 1 {
				t.Fatalf("got %d rejects, want 1: %+v", len(res.rejs), res.rejs)
			}
			rj := res.rejs[0]
			if rj.Origin != (record.Origin{File: p, Row: 1}) || rj.Field != tc.field || !strings.Contains(rj.Reason, tc.reason) || rj.ID != "r" {
				t.Errorf("reject = %+v, want field %q reason containing %q at %s:1", rj, tc.field, tc.reason, p)
			}
			if strings.Contains(rj.Reason, secret) || strings.Contains(rj.Reason, "Orléans") {
				t.Errorf("reason quotes PII: %q", rj.Reason)
			}
			if len(res.recs) != 1 || res.recs[0].ID != "next" || res.recs[0].Seq != 0 {
				t.Errorf("the row after the reject was not read as record 0: %+v", res.recs)
			}
		})
	}
}

func TestRejects43k(t *testing.T) {
	text := "Zoë Dupont 😀"
	tests := []struct {
		spanLabels any
		field      string
		reason     string
	}{
		{"[[0, 3, 'FIRSTNAME'], [4, 40, 'LASTNAME']]", "span_labels[1].end", "beyond"},
		{"[[0, 3, 'FIRSTNAME'], [4, 10, 'LASTNAME'", "span_labels", "unclosed list"},
		{"[[0, 3]]", "span_labels[0]", "want [start, end, label]"},
		{"[['a', 3, 'X']]", "span_labels[0].start", "not an integer"},
		{"[[0, 3, X]]", "span_labels", "unexpected character at byte 8"},
		{"[[3, 3, 'X']]", "span_labels[0].end", "not after start"},
		{"[[0, 3, '']]", "span_labels[0].label", "missing label"},
		{7, "span_labels", "want a list"},
	}
	dir := t.TempDir()
	for i, tc := range tests {
		row := map[string]any{"unmasked_text": text, "span_labels": tc.spanLabels}
		p := writeFile(t, dir, "r"+string(rune('a'+i))+".jsonl", jsonLine(t, row))
		res := readAll(t, []string{p}, Options{})
		if res.err != nil || len(res.rejs) != 1 {
			t.Errorf("%v: err %v, rejects %+v", tc.spanLabels, res.err, res.rejs)
			continue
		}
		if rj := res.rejs[0]; rj.Field != tc.field || !strings.Contains(rj.Reason, tc.reason) {
			t.Errorf("%v: reject %+v, want field %q reason ~ %q", tc.spanLabels, rj, tc.field, tc.reason)
		}
	}
}

func TestMalformedJSONL(t *testing.T) {
	dir := t.TempDir()
	ok := func(id string) string {
		return jsonLine(t, map[string]any{"source_text": textFR, "id": id, "privacy_mask": maskOf(textFR, goldFR)})
	}
	content := ok("1") + "{\"source_text\": \"Élodie\", \"id\": \n" + "\n" + "[1, 2]\n" + "null\n" + ok("6") + "   \r\n" + strings.TrimSuffix(ok("8"), "\n")
	p := writeFile(t, dir, "bad.jsonl", content)
	res := readAll(t, []string{p}, Options{})
	if res.err != nil {
		t.Fatal(res.err)
	}
	var ids []string
	var rows []int64
	for _, r := range res.recs {
		ids = append(ids, r.ID)
		rows = append(rows, r.Origin.Row)
	}
	if strings.Join(ids, ",") != "1,6,8" || rows[1] != 6 || rows[2] != 8 {
		t.Errorf("records %v at rows %v, want 1,6,8 at 1,6,8", ids, rows)
	}
	wantRows := []int64{2, 4, 5}
	if len(res.rejs) != len(wantRows) {
		t.Fatalf("rejects %+v, want rows %v", res.rejs, wantRows)
	}
	for i, rj := range res.rejs {
		if rj.Origin.Row != wantRows[i] || rj.Field != "json" {
			t.Errorf("reject %d = %+v, want line %d", i, rj, wantRows[i])
		}
		if strings.Contains(rj.Reason, "Élodie") {
			t.Errorf("reason quotes the line: %q", rj.Reason)
		}
	}
	if !strings.Contains(res.rejs[0].Reason, "invalid JSON at byte") {
		t.Errorf("reason %q", res.rejs[0].Reason)
	}

	// A JSON array file is read element by element; a syntax error inside
	// it is an error naming the file and line.
	arr := writeFile(t, dir, "array.json", "[\n"+strings.TrimSuffix(ok("1"), "\n")+",\n"+strings.TrimSuffix(ok("2"), "\n")+"]\n")
	if res := readAll(t, []string{arr}, Options{}); res.err != nil || len(res.recs) != 2 || res.recs[1].Origin.Row != 3 {
		t.Errorf("JSON array: err %v, records %d", res.err, len(res.recs))
	}
	broken := writeFile(t, dir, "broken.json", "[\n"+strings.TrimSuffix(ok("1"), "\n")+",\n{\"source_text\": }]\n")
	if res := readAll(t, []string{broken}, Options{}); res.err == nil || !strings.Contains(res.err.Error(), broken+":3") {
		t.Errorf("broken JSON array: err %v", res.err)
	}
	// Columns no schema knows: an error naming file and line.
	unk := writeFile(t, dir, "unknown.jsonl", jsonLine(t, map[string]any{"body": "x"}))
	if res := readAll(t, []string{unk}, Options{}); res.err == nil || !strings.Contains(res.err.Error(), unk+":1") || !strings.Contains(res.err.Error(), "body") {
		t.Errorf("unknown columns: err %v", res.err)
	}
}

func TestLongLine(t *testing.T) {
	dir := t.TempDir()
	long := strings.Repeat("é", 6<<20) + " Zoë" // 12 MB of text, the span at the end
	n := record.CodePointLen(long)
	row := map[string]any{"source_text": long, "id": "big", "privacy_mask": []any{map[string]any{"value": "Zoë", "start": n - 3, "end": n, "label": "FIRSTNAME"}}}
	p := writeFile(t, dir, "long.jsonl", jsonLine(t, row)+jsonLine(t, map[string]any{"source_text": "x", "id": "small"}))
	res := readAll(t, []string{p}, Options{})
	if res.err != nil || len(res.rejs) != 0 || len(res.recs) != 2 {
		t.Fatalf("err %v, rejects %+v, %d records", res.err, res.rejs, len(res.recs))
	}
	if r := res.recs[0]; len(r.Text) != len(long) || len(r.Gold) != 1 || r.Gold[0].Start != n-3 {
		t.Errorf("long record: %d bytes, gold %v", len(r.Text), r.Gold)
	}
	if res.recs[1].ID != "small" || res.recs[1].Origin.Row != 2 {
		t.Errorf("record after the long line: %+v", res.recs[1])
	}
}

func TestBadParquet(t *testing.T) {
	dir := t.TempDir()
	good := writeParquet(t, filepath.Join(dir, "good.parquet"), []row200k{{SourceText: textFR, PrivacyMask: toPM(textFR, goldFR), ID: "a"}}, 10)
	data, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	tests := map[string][]byte{
		"truncated.parquet":  data[:len(data)-20],
		"headonly.parquet":   data[:len(data)/2],
		"notparquet.parquet": []byte("source_text,id\nhello,1\n"),
		"empty.parquet":      nil,
	}
	for name, content := range tests {
		p := writeFile(t, dir, name, string(content))
		res := readAll(t, []string{good, p}, Options{})
		if res.err == nil || !strings.Contains(res.err.Error(), p) {
			t.Errorf("%s: err = %v, want an error naming the file", name, res.err)
		}
		if len(res.recs) != 1 {
			t.Errorf("%s: the good file before it gave %d records", name, len(res.recs))
		}
	}
	missing := filepath.Join(dir, "missing.jsonl")
	if res := readAll(t, []string{missing}, Options{}); res.err == nil || !strings.Contains(res.err.Error(), missing) {
		t.Errorf("missing file: %v", res.err)
	}
	if res := readAll(t, []string{filepath.Join(dir, "x.csv")}, Options{}); res.err == nil || !strings.Contains(res.err.Error(), "x.csv") {
		t.Errorf("unknown extension: %v", res.err)
	}
}

func TestSeqAcrossFilesAndText(t *testing.T) {
	dir := t.TempDir()
	a := writeFile(t, dir, "a.jsonl", jsonLine(t, map[string]any{"text": "one"})+jsonLine(t, map[string]any{"id": "bad"})+jsonLine(t, map[string]any{"text": "two"}))
	b := writeParquet(t, filepath.Join(dir, "b.parquet"), []rowPlain{{Body: "three"}, {Body: "four"}}, 1)
	c := writeFile(t, dir, "notes/c.md", "# "+textFR+"\n")
	d := writeFile(t, dir, "d.txt", "\xff\xfe bad")
	var got []string
	var rejects int
	err := Read(context.Background(), []string{a, b, c, d}, Options{TextField: "text"},
		func(r record.Record) error {
			got = append(got, strings.Join([]string{r.ID, r.Text}, "="))
			if r.Seq != int64(len(got)-1) {
				t.Errorf("record %q has Seq %d, want %d", r.ID, r.Seq, len(got)-1)
			}
			return nil
		},
		func(record.Reject) error { rejects++; return nil })
	// b.parquet has the column "body", not "text": auto detection fails there.
	if err == nil || !strings.Contains(err.Error(), b) {
		t.Fatalf("want an error naming %s, got %v", b, err)
	}
	got, rejects = nil, 0
	base := 0 // each Read numbers its own stream from 0
	emit := func(r record.Record) error {
		if r.Seq != int64(len(got)-base) {
			t.Errorf("record %q has Seq %d, want %d", r.ID, r.Seq, len(got)-base)
		}
		got = append(got, r.Text)
		return nil
	}
	rej := func(record.Reject) error { rejects++; return nil }
	if err := Read(context.Background(), []string{a, c, d}, Options{}, emit, rej); err != nil {
		t.Fatal(err)
	}
	base = len(got)
	if err := Read(context.Background(), []string{b}, Options{TextField: "body"}, emit, rej); err != nil {
		t.Fatal(err)
	}
	want := []string{"one", "two", "# " + textFR + "\n", "three", "four"}
	if strings.Join(got, "|") != strings.Join(want, "|") || rejects != 2 {
		t.Errorf("got %q with %d rejects, want %q with 2", got, rejects, want)
	}
}

func TestRejectErrorStops(t *testing.T) {
	dir := t.TempDir()
	p := writeFile(t, dir, "a.jsonl", "{bad\n"+jsonLine(t, map[string]any{"text": "x"}))
	stop := errors.New("too many rejects")
	n := 0
	err := Read(context.Background(), []string{p}, Options{}, func(record.Record) error { n++; return nil }, func(record.Reject) error { return stop })
	if !errors.Is(err, stop) || n != 0 {
		t.Errorf("err %v after %d records, want the reject function's error first", err, n)
	}
}

func TestCancel(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	for i := 0; i < 1000; i++ {
		b.WriteString(jsonLine(t, map[string]any{"text": textFR}))
	}
	pj := writeFile(t, dir, "a.jsonl", b.String())
	rows := make([]rowPlain, 1000)
	for i := range rows {
		rows[i].Body = textEN
	}
	pp := writeParquet(t, filepath.Join(dir, "b.parquet"), rows, 100)
	for _, tc := range []struct {
		path string
		opts Options
	}{{pj, Options{}}, {pp, Options{TextField: "body"}}} {
		ctx, cancel := context.WithCancel(context.Background())
		n := 0
		err := Read(ctx, []string{tc.path, tc.path}, tc.opts, func(record.Record) error {
			n++
			if n == 3 {
				cancel()
			}
			return nil
		}, nil)
		cancel()
		if !errors.Is(err, context.Canceled) || n != 3 {
			t.Errorf("%s: err %v after %d records, want context.Canceled after 3", tc.path, err, n)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Read(ctx, []string{pj}, Options{}, func(record.Record) error { return nil }, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled before start: %v", err)
	}
}

func TestOptionsValidate(t *testing.T) {
	for _, o := range []Options{{Format: "csv"}, {Schema: "ai4privacy-1k"}} {
		if err := Read(context.Background(), nil, o, nil, nil); err == nil {
			t.Errorf("%+v: no error", o)
		}
	}
}
