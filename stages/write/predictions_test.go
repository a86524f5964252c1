package write

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/ipc"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/parquet-go/parquet-go"
	"github.com/piimask/piimask/record"
)

func sampleRows() []PredictionRow {
	return []PredictionRow{
		{
			ID: "1", Method: "rules", Language: "en",
			Spans: []PredSpan{
				{Start: 5, End: 9, Label: "FIRSTNAME", Score: 1},
				{Start: 30, End: 47, Label: "EMAIL", Score: 0.75},
			},
			MaskedText: "Dear [FIRSTNAME_1], write to [EMAIL_1].",
		},
		{
			ID: "2", Method: "rules", Language: "fr",
			Spans:      []PredSpan{{Start: 16, End: 24, Label: "CITY", Score: 0.5}},
			MaskedText: "Zoé 🙂 habite à [CITY_1] — très «bien».",
		},
		{ID: "3", Method: "rules", Language: "fr", Spans: []PredSpan{}, MaskedText: "", Failure: "timeout after 30s"},
		{ID: "4", Method: "rules", Language: "en", Spans: []PredSpan{}, MaskedText: "nothing here"},
	}
}

func manyRows(n int) []PredictionRow {
	base := sampleRows()
	out := make([]PredictionRow, n)
	for i := range out {
		r := base[i%len(base)]
		r.ID = r.ID + "-" + strings.Repeat("x", i%3) + string(rune('a'+i%26))
		out[i] = r
	}
	return out
}

func readParquet(t *testing.T, path string) []PredictionRow {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := parquet.NewGenericReader[PredictionRow](f)
	defer r.Close()
	out := make([]PredictionRow, r.NumRows())
	n, err := r.Read(out)
	if err != nil && !errors.Is(err, io.EOF) {
		t.Fatalf("read parquet: %v", err)
	}
	return out[:n]
}

// readArrow reads an Arrow prediction file: the IPC stream format when file
// is false (and then the IPC file reader must refuse it), the IPC file
// format when true.
func readArrow(t *testing.T, path string, file bool) ([]PredictionRow, int) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	mem := ipc.WithAllocator(memory.NewGoAllocator())
	var recs []arrow.Record
	var schema *arrow.Schema
	if file {
		r, err := ipc.NewFileReader(f, mem)
		if err != nil {
			t.Fatalf("open arrow file: %v", err)
		}
		defer r.Close()
		schema = r.Schema()
		for i := 0; i < r.NumRecords(); i++ {
			rec, err := r.Record(i)
			if err != nil {
				t.Fatal(err)
			}
			rec.Retain() // the reader releases it on the next Record
			recs = append(recs, rec)
		}
	} else {
		if _, err := ipc.NewFileReader(f, mem); err == nil {
			t.Fatalf("%s is an Arrow IPC file, want the IPC stream format", path)
		}
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			t.Fatal(err)
		}
		r, err := ipc.NewReader(f, mem)
		if err != nil {
			t.Fatalf("open arrow stream: %v", err)
		}
		defer r.Release()
		schema = r.Schema()
		for r.Next() {
			rec := r.Record()
			rec.Retain()
			recs = append(recs, rec)
		}
		if err := r.Err(); err != nil {
			t.Fatalf("read arrow stream: %v", err)
		}
	}
	if !schema.Equal(PredictionSchema()) {
		t.Fatalf("schema = %v, want %v", schema, PredictionSchema())
	}
	var out []PredictionRow
	for _, rec := range recs {
		col := func(j int) *array.String { return rec.Column(j).(*array.String) }
		spans := rec.Column(3).(*array.List)
		st := spans.ListValues().(*array.Struct)
		starts := st.Field(0).(*array.Int64)
		ends := st.Field(1).(*array.Int64)
		labels := st.Field(2).(*array.String)
		scores := st.Field(3).(*array.Float64)
		for row := 0; row < int(rec.NumRows()); row++ {
			lo, hi := spans.ValueOffsets(row)
			ps := []PredSpan{}
			for k := lo; k < hi; k++ {
				ps = append(ps, PredSpan{Start: starts.Value(int(k)), End: ends.Value(int(k)), Label: labels.Value(int(k)), Score: scores.Value(int(k))})
			}
			out = append(out, PredictionRow{
				ID: col(0).Value(row), Method: col(1).Value(row), Language: col(2).Value(row),
				Spans: ps, MaskedText: col(4).Value(row), Failure: col(5).Value(row),
			})
		}
	}
	return out, len(recs)
}

func readJSONL(t *testing.T, path string) []PredictionRow {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []PredictionRow
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var r PredictionRow
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("line %d: %v", len(out)+1, err)
		}
		out = append(out, r)
	}
	return out
}

// normalise makes nil and empty span lists compare equal (formats differ).
func normalise(rows []PredictionRow) []PredictionRow {
	out := make([]PredictionRow, len(rows))
	for i, r := range rows {
		if len(r.Spans) == 0 {
			r.Spans = nil
		}
		out[i] = r
	}
	return out
}

func TestRoundTrip(t *testing.T) {
	for _, f := range Formats() {
		for _, n := range []int{0, 4, 1000} {
			t.Run(fmt.Sprintf("%s/%d", f, n), func(t *testing.T) {
				path := filepath.Join(t.TempDir(), "sub", "predictions"+f.Ext())
				rows := manyRows(n)
				if n == 4 {
					rows = sampleRows()
				}
				w, err := NewPredictionWriter(path, f, WithBatchRows(64))
				if err != nil {
					t.Fatal(err)
				}
				for _, r := range rows {
					if err := w.Write(r); err != nil {
						t.Fatal(err)
					}
				}
				if _, err := os.Stat(path); !os.IsNotExist(err) {
					t.Fatalf("final file visible before Commit (err=%v)", err)
				}
				if err := w.Commit(); err != nil {
					t.Fatal(err)
				}
				w.Abort() // no-op after Commit
				var got []PredictionRow
				switch f {
				case Parquet:
					got = readParquet(t, path)
				case Arrow, Feather:
					var batches int
					got, batches = readArrow(t, path, f == Feather)
					if want := (n + 63) / 64; batches != want {
						t.Errorf("record batches = %d, want %d", batches, want)
					}
				case JSONL:
					got = readJSONL(t, path)
				}
				if !reflect.DeepEqual(normalise(got), normalise(rows)) {
					t.Errorf("round trip differs:\n got %+v\nwant %+v", got, rows)
				}
				assertNoTemp(t, filepath.Dir(path))
			})
		}
	}
}

func TestParquetRowGroupsAndListColumn(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.parquet")
	w, err := NewPredictionWriter(path, Parquet, WithBatchRows(100))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range manyRows(250) {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	f, err := parquet.OpenFile(mustOpen(t, path), mustSize(t, path))
	if err != nil {
		t.Fatal(err)
	}
	if got := len(f.RowGroups()); got != 3 {
		t.Errorf("row groups = %d, want 3", got)
	}
	spans, ok := f.Schema().Lookup("spans", "list", "element", "label")
	if !ok {
		t.Fatalf("no spans.list.element.label column in %v", f.Schema())
	}
	if spans.Node.Type().Kind() != parquet.ByteArray {
		t.Errorf("label column kind = %v", spans.Node.Type().Kind())
	}
	if lt := f.Schema().Fields()[3].Type().LogicalType(); lt == nil || lt.String() != "LIST" {
		t.Errorf("spans is not a LIST logical type: %v", lt)
	}
}

func mustOpen(t *testing.T, p string) *os.File {
	t.Helper()
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func mustSize(t *testing.T, p string) int64 {
	t.Helper()
	st, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	return st.Size()
}

func assertNoTemp(t *testing.T, dir string) {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("temporary file left behind: %s", e.Name())
		}
	}
}

func TestAbortLeavesNothing(t *testing.T) {
	for _, f := range Formats() {
		t.Run(string(f), func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "out"+f.Ext())
			w, err := NewPredictionWriter(path, f, WithBatchRows(2))
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range sampleRows() {
				if err := w.Write(r); err != nil {
					t.Fatal(err)
				}
			}
			w.Abort()
			w.Abort()
			ents, _ := os.ReadDir(dir)
			if len(ents) != 0 {
				t.Errorf("files left after Abort: %v", ents)
			}
		})
	}
}

func TestMulti(t *testing.T) {
	dir := t.TempDir()
	w, err := NewPredictionWriters(dir, "rules", Formats())
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range sampleRows() {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	want := normalise(sampleRows())
	if got := normalise(readParquet(t, PredictionPath(dir, "rules", Parquet))); !reflect.DeepEqual(got, want) {
		t.Errorf("parquet: %+v", got)
	}
	if got, _ := readArrow(t, PredictionPath(dir, "rules", Arrow), false); !reflect.DeepEqual(normalise(got), want) {
		t.Errorf("arrow: %+v", got)
	}
	if got := normalise(readJSONL(t, PredictionPath(dir, "rules", JSONL))); !reflect.DeepEqual(got, want) {
		t.Errorf("jsonl: %+v", got)
	}

	dir2 := t.TempDir()
	w2, err := NewPredictionWriters(dir2, "rules", Formats())
	if err != nil {
		t.Fatal(err)
	}
	_ = w2.Write(sampleRows()[0])
	w2.Abort()
	if ents, _ := os.ReadDir(dir2); len(ents) != 0 {
		t.Errorf("files left after Multi.Abort: %v", ents)
	}
}

func TestParseFormat(t *testing.T) {
	tests := []struct {
		in      string
		want    Format
		wantErr bool
	}{
		{"parquet", Parquet, false},
		{"Arrow", Arrow, false},
		{" jsonl ", JSONL, false},
		{"csv", "", true},
		{"", "", true},
	}
	for _, tt := range tests {
		got, err := ParseFormat(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("ParseFormat(%q) = %q, %v", tt.in, got, err)
		}
	}
	if _, err := NewPredictionWriter(filepath.Join(t.TempDir(), "x"), Format("csv")); err == nil {
		t.Error("NewPredictionWriter accepted an unknown format")
	}
}

func TestJSONLGeneric(t *testing.T) {
	type reject struct {
		ID     string `json:"id"`
		Reason string `json:"reason"`
	}
	path := filepath.Join(t.TempDir(), "rejects.jsonl")
	w, err := NewJSONL[reject](path, WithBatchRows(1))
	if err != nil {
		t.Fatal(err)
	}
	in := []reject{{"a", "span [3,9) out of range"}, {"b", "value «Zoé» ≠ text <é>"}}
	for _, r := range in {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if w.Count() != 2 || w.Path() != path {
		t.Errorf("Count=%d Path=%s", w.Count(), w.Path())
	}
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"id":"a","reason":"span [3,9) out of range"}` + "\n" + `{"id":"b","reason":"value «Zoé» ≠ text <é>"}` + "\n"
	if string(data) != want {
		t.Errorf("file = %q, want %q", data, want)
	}
	if err := w.Commit(); err == nil {
		t.Error("second Commit succeeded")
	}
}

var _ arrow.DataType = spanType

func benchWriter(b *testing.B, f Format) {
	rows := manyRows(1024)
	dir := b.TempDir()
	b.ReportAllocs()
	w, err := NewPredictionWriter(filepath.Join(dir, "bench"+f.Ext()), f)
	if err != nil {
		b.Fatal(err)
	}
	i := 0
	for b.Loop() {
		if err := w.Write(rows[i%len(rows)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
	if err := w.Commit(); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(i)/b.Elapsed().Seconds(), "rows/s")
}

func BenchmarkWriteParquet(b *testing.B) { benchWriter(b, Parquet) }
func BenchmarkWriteArrow(b *testing.B)   { benchWriter(b, Arrow) }
func BenchmarkWriteJSONL(b *testing.B)   { benchWriter(b, JSONL) }

func TestPredSpans(t *testing.T) {
	got := PredSpans([]record.Span{{Start: 1, End: 4, Label: "CITY", Score: 0.9}, {Start: 5, End: 6, Label: "AGE"}})
	want := []PredSpan{{Start: 1, End: 4, Label: "CITY", Score: 0.9}, {Start: 5, End: 6, Label: "AGE"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("PredSpans = %+v", got)
	}
}
