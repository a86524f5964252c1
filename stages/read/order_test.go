package read

import (
	"path/filepath"
	"reflect"
	"testing"

	"github.com/parquet-go/parquet-go"
)

func TestTopLevelKeys(t *testing.T) {
	tests := []struct {
		line string
		want []string
	}{
		{`{"z":1,"a":2,"m":3}`, []string{"z", "a", "m"}},
		{` { "b" : "x,}\"]" , "a":[1,{"q":"}"}],"c":{"d":[]} } `, []string{"b", "a", "c"}},
		{`{"k":1,"j":2,"k":3}`, []string{"k", "j"}},
		{`{"\u00e9t\u00e9":true,"été":null,"x\"y":-1.5e3}`, []string{"été", `x"y`}},
		{`{}`, nil},
	}
	for _, tt := range tests {
		if got := topLevelKeys([]byte(tt.line)); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("topLevelKeys(%s) = %q, want %q", tt.line, got, tt.want)
		}
	}
}

// With KeepColumns a record lists its columns in input order (JSONL key
// order, Parquet schema order) and a Parquet record carries its raw row.
func TestKeepColumnsOrderAndRaw(t *testing.T) {
	dir := t.TempDir()
	pj := writeFile(t, dir, "a.jsonl", `{"zeta":1,"text":"hello","id":"d1","alpha":[2]}`+"\n")
	res := readAll(t, []string{pj}, Options{KeepColumns: true})
	if res.err != nil || len(res.recs) != 1 {
		t.Fatalf("jsonl: %v %d", res.err, len(res.recs))
	}
	if got, want := res.recs[0].Columns, []string{"zeta", "text", "id", "alpha"}; !reflect.DeepEqual(got, want) {
		t.Errorf("jsonl columns = %q, want %q", got, want)
	}
	if res.recs[0].Raw != nil {
		t.Errorf("jsonl raw = %v", res.recs[0].Raw)
	}

	pp := writeParquet(t, filepath.Join(dir, "b.parquet"), []rowPlain{{Body: "hello there", ID: ptr("d2"), Extra: 7}, {Body: "again", Extra: 8}}, 1)
	schema, text, err := ParquetSchema(pp, Options{TextField: "body"})
	if err != nil || text != "body" {
		t.Fatalf("ParquetSchema: %q %v", text, err)
	}
	res = readAll(t, []string{pp}, Options{KeepColumns: true, TextField: "body"})
	if res.err != nil || len(res.recs) != 2 {
		t.Fatalf("parquet: %v %d", res.err, len(res.recs))
	}
	for i, r := range res.recs {
		names := make([]string, 0)
		for _, f := range schema.Fields() {
			names = append(names, f.Name())
		}
		if !reflect.DeepEqual(r.Columns, names) {
			t.Errorf("row %d columns = %q, want %q", i, r.Columns, names)
		}
		raw, ok := r.Raw.(parquet.Row)
		if !ok {
			t.Fatalf("row %d raw = %T", i, r.Raw)
		}
		m := map[string]any{}
		if err := schema.Reconstruct(&m, raw); err != nil {
			t.Fatal(err)
		}
		if m["body"] != r.Text {
			t.Errorf("row %d raw body = %v, want %q", i, m["body"], r.Text)
		}
	}
	if _, _, err := ParquetSchema(pj, Options{}); err == nil {
		t.Error("ParquetSchema of a JSONL file: no error")
	}
}
