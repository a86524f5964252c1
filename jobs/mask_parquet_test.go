package jobs

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/piimask/piimask/stages/generate"
)

// pqInRow is a Parquet input row: columns deliberately not in name order,
// one of each common type, and an AI4Privacy PII column that must be dropped.
type pqInRow struct {
	Zeta        int64             `parquet:"zeta"`
	ID          string            `parquet:"id"`
	Body        string            `parquet:"body"`
	Score       float64           `parquet:"score"`
	Ratio       float32           `parquet:"ratio"`
	OK          bool              `parquet:"ok"`
	Tags        []string          `parquet:"tags,list"`
	Note        *string           `parquet:"note,optional"`
	Small       int32             `parquet:"small"`
	Nested      []pqNested        `parquet:"nested,list"`
	PrivacyMask []generate.Entity `parquet:"privacy_mask,list"`
}

type pqNested struct {
	K string `parquet:"k"`
	V int64  `parquet:"v"`
}

func writeParquetFile[T any](t *testing.T, path string, rows []T) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := parquet.NewGenericWriter[T](f, parquet.MaxRowsPerRowGroup(1000))
	if _, err := w.Write(rows); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// readParquetRows returns a Parquet file's schema and rows decoded as maps.
func readParquetRows(t *testing.T, path string) (*parquet.Schema, []map[string]any) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	pf, err := parquet.OpenFile(f, st.Size())
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var out []map[string]any
	for _, rg := range pf.RowGroups() {
		rows := rg.Rows()
		buf := make([]parquet.Row, 16)
		for {
			n, err := rows.ReadRows(buf)
			for _, r := range buf[:n] {
				m := map[string]any{}
				if err := pf.Schema().Reconstruct(&m, r); err != nil {
					t.Fatal(err)
				}
				out = append(out, m)
			}
			if err != nil {
				break
			}
		}
		rows.Close()
	}
	return pf.Schema(), out
}

func fieldNames(s *parquet.Schema) []string {
	var names []string
	for _, f := range s.Fields() {
		names = append(names, f.Name())
	}
	return names
}

func pqTestRows() []pqInRow {
	note := "kept note"
	return []pqInRow{
		{Zeta: 1 << 40, ID: "r1", Body: "mail bob@example.com now", Score: 0.25, Ratio: 1.5, OK: true, Tags: []string{"x", "y"}, Note: &note, Small: -7,
			Nested: []pqNested{{"a", 1}, {"b", 2}}, PrivacyMask: []generate.Entity{{Value: "bob@example.com", Start: 5, End: 20, Label: "EMAIL"}}},
		{Zeta: -3, ID: "r2", Body: "no pii", Score: -1e300, Tags: []string{}, Small: 42},
	}
}

// Parquet input gives Parquet output with the carried columns in schema
// order and with their Parquet types; the masked text replaces the text
// column or is added last; AI4Privacy PII columns are dropped.
func TestMaskParquetMirrorsInput(t *testing.T) {
	tests := []struct {
		name    string
		outCol  string
		cols    []string
		maskCol string
	}{
		{"replace", "", []string{"zeta", "id", "body", "score", "ratio", "ok", "tags", "note", "small", "nested"}, "body"},
		{"added", "masked_body", []string{"zeta", "id", "score", "ratio", "ok", "tags", "note", "small", "nested", "masked_body"}, "masked_body"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			in := filepath.Join(dir, "in")
			os.MkdirAll(in, 0o755)
			writeParquetFile(t, filepath.Join(in, "rows.parquet"), pqTestRows())
			out := filepath.Join(dir, "out")
			runMaskConfig(t, dir, fmt.Sprintf(`kind: mask
input: {paths: [%s], schema: plain, text_field: body}
methods: [{name: rules, type: rules}]
mask: {output_column: %q, part_docs: 1}
output: {dir: %s}
`, in, tt.outCol, out))
			got := filepath.Join(out, "masked", "rows.parquet")
			if _, err := os.Stat(filepath.Join(out, "masked", "rows.jsonl")); err == nil {
				t.Error("Parquet input was also written as JSONL")
			}
			schema, rows := readParquetRows(t, got)
			if names := fieldNames(schema); !reflect.DeepEqual(names, tt.cols) {
				t.Fatalf("columns %v, want %v", names, tt.cols)
			}
			inSchema := parquet.SchemaOf(pqInRow{})
			for _, f := range schema.Fields() {
				name := f.Name()
				if name == tt.maskCol {
					name = "body"
				}
				want := fieldNode(inSchema, name)
				if f.Leaf() != want.Leaf() || f.Optional() != want.Optional() || f.Repeated() != want.Repeated() ||
					fmt.Sprint(f.Type()) != fmt.Sprint(want.Type()) || fmt.Sprint(f.Type().LogicalType()) != fmt.Sprint(want.Type().LogicalType()) {
					t.Errorf("column %s: type %v (optional %v), want %v (optional %v)", f.Name(), f.Type(), f.Optional(), want.Type(), want.Optional())
				}
			}
			_, inRows := readParquetRows(t, filepath.Join(in, "rows.parquet"))
			if len(rows) != len(inRows) {
				t.Fatalf("%d rows, want %d", len(rows), len(inRows))
			}
			wantText := []string{"mail [EMAIL_1] now", "no pii"}
			for i, r := range rows {
				for _, c := range tt.cols {
					switch c {
					case tt.maskCol:
						if r[c] != wantText[i] {
							t.Errorf("row %d %s = %q, want %q", i, c, r[c], wantText[i])
						}
					default:
						if !reflect.DeepEqual(r[c], inRows[i][c]) {
							t.Errorf("row %d %s = %#v, want %#v", i, c, r[c], inRows[i][c])
						}
					}
				}
				if _, ok := r["privacy_mask"]; ok {
					t.Errorf("row %d: privacy_mask carried", i)
				}
			}
			data, _ := os.ReadFile(got)
			if bytes.Contains(data, []byte("bob@example.com")) {
				t.Error("the e-mail address is still in the Parquet output")
			}
			checkParquetIndependently(t, got, tt.cols, tt.maskCol, wantText)
		})
	}
}

func fieldNode(s *parquet.Schema, name string) parquet.Field {
	for _, f := range s.Fields() {
		if f.Name() == name {
			return f
		}
	}
	return nil
}

// checkParquetIndependently reads path with DuckDB (scripts/check-parquet)
// and checks column names, order and types and the values.
func checkParquetIndependently(t *testing.T, path string, cols []string, maskCol string, wantText []string) {
	t.Helper()
	script := filepath.Join(repoRoot(t), "scripts", "check-parquet", "dump.mjs")
	mods := filepath.Join(filepath.Dir(script), "node_modules", "@duckdb", "node-api")
	node, err := exec.LookPath("node")
	if _, serr := os.Stat(mods); err != nil || serr != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("node or %s missing under CI: run scripts/setup-check-parquet.sh", mods)
		}
		t.Skip("independent reader not installed: run scripts/setup-check-parquet.sh")
	}
	out, err := exec.Command(node, script, path).Output()
	if err != nil {
		t.Fatalf("dump.mjs: %v\n%s", err, out)
	}
	var got struct {
		Columns []struct{ Name, Type string }
		Rows    []map[string]any
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("dump.mjs output: %v\n%s", err, out)
	}
	duck := map[string]string{"zeta": "BIGINT", "id": "VARCHAR", "score": "DOUBLE", "ratio": "FLOAT", "ok": "BOOLEAN",
		"tags": "VARCHAR[]", "note": "VARCHAR", "small": "INTEGER", "nested": "STRUCT(k VARCHAR, v BIGINT)[]", maskCol: "VARCHAR"}
	if len(got.Columns) != len(cols) {
		t.Fatalf("DuckDB sees columns %+v, want %v", got.Columns, cols)
	}
	for i, c := range got.Columns {
		if c.Name != cols[i] || c.Type != duck[c.Name] {
			t.Errorf("DuckDB column %d = %s %s, want %s %s", i, c.Name, c.Type, cols[i], duck[cols[i]])
		}
	}
	if len(got.Rows) != len(wantText) {
		t.Fatalf("DuckDB reads %d rows, want %d", len(got.Rows), len(wantText))
	}
	for i, r := range got.Rows {
		if r[maskCol] != wantText[i] {
			t.Errorf("DuckDB row %d %s = %v, want %q", i, maskCol, r[maskCol], wantText[i])
		}
	}
	r := got.Rows[0]
	if r["zeta"] != float64(1<<40) || r["id"] != "r1" || r["score"] != 0.25 || r["ratio"] != 1.5 || r["ok"] != true ||
		r["small"] != float64(-7) || r["note"] != "kept note" || fmt.Sprint(r["tags"]) != "[x y]" || fmt.Sprint(r["nested"]) != "[map[k:a v:1] map[k:b v:2]]" {
		t.Errorf("DuckDB row 0 = %v", r)
	}
	if got.Rows[1]["note"] != nil {
		t.Errorf("DuckDB row 1 note = %v, want null", got.Rows[1]["note"])
	}
}

// JSONL output keeps the input line's key order.
func TestMaskJSONLKeepsKeyOrder(t *testing.T) {
	in := `{"zeta":12345678901234567890,"id":"r1","body":"mail bob@example.com now","a":[1,{"y":2,"x":"<&>"}],"privacy_mask":[{"value":"bob@example.com","start":5,"end":20,"label":"EMAIL"}],"b":null}` + "\n" +
		`{"id":"r2","b":true,"body":"no pii","zeta":1.50}` + "\n"
	tests := []struct {
		name, outCol string
		want         []string
	}{
		{"replace", "", []string{
			`{"zeta":12345678901234567890,"id":"r1","body":"mail [EMAIL_1] now","a":[1,{"x":"<&>","y":2}],"b":null}`,
			`{"id":"r2","b":true,"body":"no pii","zeta":1.50}`}},
		{"added", "masked", []string{
			`{"zeta":12345678901234567890,"id":"r1","a":[1,{"x":"<&>","y":2}],"b":null,"masked":"mail [EMAIL_1] now"}`,
			`{"id":"r2","b":true,"zeta":1.50,"masked":"no pii"}`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			inDir := filepath.Join(dir, "in")
			os.MkdirAll(inDir, 0o755)
			os.WriteFile(filepath.Join(inDir, "rows.jsonl"), []byte(in), 0o644)
			out := filepath.Join(dir, "out")
			runMaskConfig(t, dir, fmt.Sprintf(`kind: mask
input: {paths: [%s], schema: plain, text_field: body}
methods: [{name: rules, type: rules}]
mask: {output_column: %q}
output: {dir: %s}
`, inDir, tt.outCol, out))
			data, err := os.ReadFile(filepath.Join(out, "masked", "rows.jsonl"))
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n"); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("masked rows\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

// An output column that names a carried column is refused, not overwritten.
func TestMaskOutputColumnCollision(t *testing.T) {
	for _, ext := range []string{"jsonl", "parquet"} {
		t.Run(ext, func(t *testing.T) {
			dir := t.TempDir()
			in := filepath.Join(dir, "rows."+ext)
			if ext == "jsonl" {
				os.WriteFile(in, []byte(`{"id":"r1","body":"x","zeta":1}`+"\n"), 0o644)
			} else {
				writeParquetFile(t, in, pqTestRows())
			}
			cfg := filepath.Join(dir, "job.yaml")
			os.WriteFile(cfg, []byte(fmt.Sprintf(`kind: mask
input: {paths: [%s], schema: plain, text_field: body}
methods: [{name: rules, type: rules}]
mask: {output_column: zeta}
output: {dir: %s}
`, in, filepath.Join(dir, "out"))), 0o644)
			var buf bytes.Buffer
			env := maskEnv(&buf)
			l, err := Load(cfg, env)
			if err != nil {
				t.Fatal(err)
			}
			if err := Run(t.Context(), l, env); err == nil || !strings.Contains(err.Error(), `"zeta" already exists`) {
				t.Errorf("err = %v, want a collision error", err)
			}
		})
	}
}

// pqCorpusRow is a generated AI4Privacy-style row as Parquet, with extra
// typed columns.
type pqCorpusRow struct {
	UID         int64             `parquet:"uid"`
	SourceText  string            `parquet:"source_text"`
	PrivacyMask []generate.Entity `parquet:"privacy_mask,list"`
	Language    string            `parquet:"language"`
	Score       float64           `parquet:"score"`
	Flag        bool              `parquet:"flag"`
	Tags        []string          `parquet:"tags,list"`
}

// kill -9 and resume on Parquet input gives the same Parquet bytes as an
// uninterrupted run.
func TestMaskKillResumeParquet(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	const n = 30000
	bin := buildBinary(t)
	dir := t.TempDir()
	g, err := generate.New(generate.Config{Seed: 9, N: n})
	if err != nil {
		t.Fatal(err)
	}
	rows := make([]pqCorpusRow, 0, n)
	for r := range g.All() {
		i := int64(len(rows))
		rows = append(rows, pqCorpusRow{UID: 1_000_000 + i, SourceText: r.SourceText, PrivacyMask: r.PrivacyMask, Language: r.Language,
			Score: float64(i) / 7, Flag: i%3 == 0, Tags: []string{r.Set, fmt.Sprint(i % 5)}})
	}
	in := filepath.Join(dir, "in")
	os.MkdirAll(in, 0o755)
	writeParquetFile(t, filepath.Join(in, "corpus.parquet"), rows)
	cfg := func(name, out string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(fmt.Sprintf(`kind: mask
input: {paths: [%s]}
methods: [{name: g, type: gold}, {name: r, type: rules}]
mask:
  ensemble: priority
  operator: {type: placeholder}
  operators: {FIRSTNAME: {type: pseudonym}, EMAIL: {type: hash}, IBAN: {type: encrypt}}
  output_column: masked_text
  part_docs: 500
output: {dir: %s}
concurrency: {workers: 2, batch_size: 64}
`, in, out)), 0o644)
		return p
	}
	full, killed := filepath.Join(dir, "full"), filepath.Join(dir, "killed")
	final := filepath.Join("masked", "corpus.parquet")
	killAndResume(t, bin, cfg("full.yaml", full), full, cfg("killed.yaml", killed), killed, []string{final, "audit.jsonl"})
	schema, got := readParquetRows(t, filepath.Join(killed, final))
	if want := []string{"uid", "language", "score", "flag", "tags", "masked_text"}; !reflect.DeepEqual(fieldNames(schema), want) {
		t.Errorf("columns %v, want %v", fieldNames(schema), want)
	}
	if len(got) != n {
		t.Fatalf("%d rows, want %d", len(got), n)
	}
	for i, r := range got {
		if r["uid"] != int64(1_000_000+i) || r["score"] != float64(i)/7 || r["flag"] != (i%3 == 0) {
			t.Fatalf("row %d = uid %v score %v flag %v", i, r["uid"], r["score"], r["flag"])
		}
		for _, e := range rows[i].PrivacyMask {
			// E-mails are hashed, so none can come back by chance (a
			// pseudonym may equal another name of the document).
			if e.Label == "EMAIL" && strings.Contains(r["masked_text"].(string), e.Value) {
				t.Fatalf("row %d leaks a gold value %q (%s): %q", i, e.Value, e.Label, r["masked_text"])
			}
		}
	}
}
