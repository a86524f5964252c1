package read

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/piimask/piimask/record"
)

// Texts with accents and emoji: code-point offsets differ from byte offsets.
const (
	textFR = "Élodie 😀 habite à Orléans, tél 06 12 34 56 78"
	textEN = "Mon IBAN est FR76 3000 6000 0112 3456 7890 189 🏦 — merci, Zoë"
)

var (
	goldFR = []record.Span{{Start: 0, End: 6, Label: "FIRSTNAME"}, {Start: 18, End: 25, Label: "CITY"}, {Start: 31, End: 45, Label: "PHONENUMBER"}}
	goldEN = []record.Span{{Start: 13, End: 46, Label: "IBAN"}, {Start: 58, End: 61, Label: "FIRSTNAME"}}
)

func writeFile(t testing.TB, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func jsonLine(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b) + "\n"
}

// maskOf builds a privacy_mask list with values cut from text.
func maskOf(text string, spans []record.Span) []map[string]any {
	off := record.NewOffsets(text)
	out := []map[string]any{}
	for _, s := range spans {
		v, _ := off.Slice(text, s.Start, s.End)
		out = append(out, map[string]any{"value": v, "start": s.Start, "end": s.End, "label": s.Label})
	}
	return out
}

type result struct {
	recs []record.Record
	rejs []record.Reject
	err  error
}

func readAll(t testing.TB, paths []string, opts Options) result {
	t.Helper()
	var res result
	res.err = Read(context.Background(), paths, opts,
		func(r record.Record) error { res.recs = append(res.recs, r); return nil },
		func(r record.Reject) error { res.rejs = append(res.rejs, r); return nil })
	return res
}

// checkSpansCut asserts that every gold span cuts the expected value out of
// the text when converted to byte offsets.
func checkSpansCut(t *testing.T, r record.Record, want map[string]string) {
	t.Helper()
	off := record.NewOffsets(r.Text)
	for _, s := range r.Gold {
		got := r.Text[off.Byte(s.Start):off.Byte(s.End)]
		if w, ok := want[s.Label]; ok && got != w {
			t.Errorf("%s: span %v cuts %q, want %q", r.ID, s, got, w)
		}
	}
}

func TestReadJSONLSchemas(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name   string
		schema string
		lines  []any
		want   []record.Record
	}{
		{
			name: "200k", schema: SchemaAuto,
			lines: []any{
				map[string]any{"source_text": textFR, "target_text": "[FIRSTNAME_1] …", "privacy_mask": maskOf(textFR, goldFR), "id": "a1", "language": "fr", "set": "train"},
				map[string]any{"source_text": textEN, "privacy_mask": maskOf(textEN, goldEN), "id": 42, "language": "en", "set": "validation"},
			},
			want: []record.Record{
				{ID: "a1", Language: "fr", Text: textFR, Gold: goldFR},
				{ID: "42", Language: "en", Text: textEN, Gold: goldEN},
			},
		},
		{
			name: "200k privacy_mask as a JSON string", schema: Schema200k,
			lines: []any{
				map[string]any{"source_text": textFR, "privacy_mask": jsonLine(t, maskOf(textFR, goldFR)), "id": "s1", "language": "fr"},
			},
			want: []record.Record{{ID: "s1", Language: "fr", Text: textFR, Gold: goldFR}},
		},
		{
			name: "400k", schema: SchemaAuto,
			lines: []any{
				map[string]any{"source_text": textEN, "masked_text": "…", "privacy_mask": maskOf(textEN, goldEN), "uid": 7, "language": "en", "split": "train", "region": "GB"},
			},
			want: []record.Record{{ID: "7", Language: "en", Text: textEN, Gold: goldEN}},
		},
		{
			name: "43k", schema: SchemaAuto,
			lines: []any{
				map[string]any{
					"unmasked_text": textFR, "masked_text": "[FIRSTNAME_1] …",
					"privacy_mask": "{'[FIRSTNAME_1]': 'Élodie'}",
					"span_labels":  "[[0, 6, 'FIRSTNAME_1'], [6, 18, 'O'], [18, 25, \"CITY\"], [25, 31, 'O'], [31, 45, 'PHONENUMBER_2']]",
				},
			},
			want: []record.Record{{ID: "FILE:1", Language: "en", Text: textFR, Gold: goldFR}},
		},
		{
			name: "plain", schema: SchemaAuto,
			lines: []any{
				map[string]any{"text": textFR, "id": "doc-1", "language": "fr", "source": "crm"},
				map[string]any{"text": textEN},
			},
			want: []record.Record{
				{ID: "doc-1", Language: "fr", Text: textFR},
				{ID: "FILE:2", Text: textEN},
			},
		},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b strings.Builder
			for _, l := range tc.lines {
				b.WriteString(jsonLine(t, l))
			}
			p := writeFile(t, dir, fmt.Sprintf("f%d.jsonl", i), b.String())
			res := readAll(t, []string{p}, Options{Schema: tc.schema})
			if res.err != nil {
				t.Fatal(res.err)
			}
			if len(res.rejs) != 0 {
				t.Fatalf("unexpected rejects: %+v", res.rejs)
			}
			compareRecords(t, p, res.recs, tc.want)
		})
	}
}

func compareRecords(t *testing.T, path string, got, want []record.Record) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d records, want %d", len(got), len(want))
	}
	for i := range want {
		w := want[i]
		w.ID = strings.ReplaceAll(w.ID, "FILE", path)
		w.Seq = int64(i)
		w.Origin = record.Origin{File: path, Row: int64(i + 1)}
		g := got[i]
		g.Extra = nil
		if !reflect.DeepEqual(g, w) {
			t.Errorf("record %d:\n got %+v\nwant %+v", i, g, w)
		}
	}
}

type pmEntry struct {
	Value string `parquet:"value"`
	Start int64  `parquet:"start"`
	End   int32  `parquet:"end"`
	Label string `parquet:"label"`
}

func toPM(text string, spans []record.Span) []pmEntry {
	var out []pmEntry
	for _, m := range maskOf(text, spans) {
		out = append(out, pmEntry{Value: m["value"].(string), Start: int64(m["start"].(int)), End: int32(m["end"].(int)), Label: m["label"].(string)})
	}
	return out
}

type row200k struct {
	SourceText  string    `parquet:"source_text"`
	TargetText  string    `parquet:"target_text"`
	PrivacyMask []pmEntry `parquet:"privacy_mask,list"`
	MbertTokens []string  `parquet:"mbert_text_tokens,list"`
	ID          string    `parquet:"id"`
	Language    string    `parquet:"language"`
	Set         string    `parquet:"set"`
}

type row200kString struct {
	SourceText  string `parquet:"source_text"`
	PrivacyMask string `parquet:"privacy_mask"`
	ID          int64  `parquet:"id"`
	Language    string `parquet:"language"`
}

type row400k struct {
	SourceText  string    `parquet:"source_text"`
	MaskedText  string    `parquet:"masked_text"`
	PrivacyMask []pmEntry `parquet:"privacy_mask"` // repeated group, no LIST annotation
	UID         string    `parquet:"uid"`
	Language    string    `parquet:"language"`
	Split       string    `parquet:"split"`
}

type row43k struct {
	MaskedText   string `parquet:"masked_text"`
	UnmaskedText string `parquet:"unmasked_text"`
	PrivacyMask  string `parquet:"privacy_mask"`
	SpanLabels   string `parquet:"span_labels"`
}

type rowPlain struct {
	Body     string  `parquet:"body"`
	ID       *string `parquet:"id,optional"`
	Language *string `parquet:"language,optional"`
	Extra    int64   `parquet:"n"`
}

func writeParquet[T any](t testing.TB, path string, rows []T, rowsPerGroup int64) string {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := parquet.NewGenericWriter[T](f, parquet.MaxRowsPerRowGroup(rowsPerGroup))
	if _, err := w.Write(rows); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func ptr[T any](v T) *T { return &v }

func TestReadParquetSchemas(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name  string
		write func(path string) string
		opts  Options
		want  []record.Record
	}{
		{
			name: "200k list<struct> across row groups",
			write: func(p string) string {
				return writeParquet(t, p, []row200k{
					{SourceText: textFR, PrivacyMask: toPM(textFR, goldFR), MbertTokens: []string{"É", "##lo"}, ID: "a", Language: "fr", Set: "train"},
					{SourceText: textEN, PrivacyMask: toPM(textEN, goldEN), ID: "b", Language: "en"},
					{SourceText: "no pii here", ID: "c", Language: "en"},
				}, 2)
			},
			want: []record.Record{
				{ID: "a", Language: "fr", Text: textFR, Gold: goldFR},
				{ID: "b", Language: "en", Text: textEN, Gold: goldEN},
				{ID: "c", Language: "en", Text: "no pii here"},
			},
		},
		{
			name: "200k privacy_mask as a JSON string column",
			write: func(p string) string {
				return writeParquet(t, p, []row200kString{
					{SourceText: textFR, PrivacyMask: jsonLine(t, maskOf(textFR, goldFR)), ID: 9, Language: "fr"},
				}, 10)
			},
			want: []record.Record{{ID: "9", Language: "fr", Text: textFR, Gold: goldFR}},
		},
		{
			name: "400k",
			write: func(p string) string {
				return writeParquet(t, p, []row400k{
					{SourceText: textEN, PrivacyMask: toPM(textEN, goldEN), UID: "u1", Language: "en", Split: "validation"},
				}, 10)
			},
			want: []record.Record{{ID: "u1", Language: "en", Text: textEN, Gold: goldEN}},
		},
		{
			name: "43k",
			write: func(p string) string {
				return writeParquet(t, p, []row43k{
					{UnmaskedText: textFR, PrivacyMask: "{'[CITY_1]': 'Orléans'}", SpanLabels: "[[0, 6, 'FIRSTNAME'], [18, 25, 'CITY_1'], [31, 45, 'PHONENUMBER'], [45, 45, 'O']]"},
				}, 10)
			},
			want: []record.Record{{ID: "FILE:1", Language: "en", Text: textFR, Gold: goldFR}},
		},
		{
			name: "plain with a text field",
			opts: Options{TextField: "body"},
			write: func(p string) string {
				return writeParquet(t, p, []rowPlain{
					{Body: textFR, ID: ptr("x1"), Language: ptr("fr"), Extra: 3},
					{Body: textEN},
				}, 1)
			},
			want: []record.Record{
				{ID: "x1", Language: "fr", Text: textFR},
				{ID: "FILE:2", Text: textEN},
			},
		},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := tc.write(filepath.Join(dir, fmt.Sprintf("f%d.parquet", i)))
			res := readAll(t, []string{p}, tc.opts)
			if res.err != nil {
				t.Fatal(res.err)
			}
			if len(res.rejs) != 0 {
				t.Fatalf("unexpected rejects: %+v", res.rejs)
			}
			compareRecords(t, p, res.recs, tc.want)
			for _, r := range res.recs {
				checkSpansCut(t, r, map[string]string{"FIRSTNAME": map[bool]string{true: "Élodie", false: "Zoë"}[r.Text == textFR], "CITY": "Orléans"})
			}
		})
	}
}

func TestKeepColumns(t *testing.T) {
	dir := t.TempDir()
	pj := writeFile(t, dir, "a.jsonl", jsonLine(t, map[string]any{"text": textFR, "id": "d1", "n": 12345678901234567, "tags": []string{"x"}}))
	pp := writeParquet(t, filepath.Join(dir, "b.parquet"), []rowPlain{{Body: textEN, ID: ptr("d2"), Extra: 7}}, 10)

	res := readAll(t, []string{pj}, Options{KeepColumns: true})
	if res.err != nil || len(res.recs) != 1 {
		t.Fatalf("jsonl: %v %d", res.err, len(res.recs))
	}
	wantJ := map[string]any{"id": "d1", "n": json.Number("12345678901234567"), "tags": []any{"x"}}
	if !reflect.DeepEqual(res.recs[0].Extra, wantJ) {
		t.Errorf("jsonl extra = %#v, want %#v", res.recs[0].Extra, wantJ)
	}

	res = readAll(t, []string{pp}, Options{KeepColumns: true, TextField: "body"})
	if res.err != nil || len(res.recs) != 1 {
		t.Fatalf("parquet: %v %d", res.err, len(res.recs))
	}
	e := res.recs[0].Extra
	if _, hasText := e["body"]; hasText || e["id"] != "d2" || fmt.Sprint(e["n"]) != "7" || len(e) != 3 {
		t.Errorf("parquet extra = %#v", e)
	}
	// Without KeepColumns nothing is carried.
	res = readAll(t, []string{pp}, Options{TextField: "body"})
	if res.err != nil || res.recs[0].Extra != nil {
		t.Errorf("extra without KeepColumns: %v %#v", res.err, res.recs[0].Extra)
	}
}
