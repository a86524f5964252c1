package jobs

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/piimask/piimask/stages/generate"
	"github.com/piimask/piimask/stages/mask"
	"github.com/piimask/piimask/stages/write"
)

// unmaskEnv is a test environment whose PIIMASK_VAULT_KEY is key (unset
// when key is "").
func unmaskEnv(key string) *Env {
	return &Env{Stdout: &bytes.Buffer{}, Stderr: &bytes.Buffer{}, LookupEnv: func(k string) (string, bool) {
		if k == mask.EnvVaultKey && key != "" {
			return key, true
		}
		return "", false
	}}
}

// pqUnmaskRow is a generated AI4Privacy row as Parquet with carried columns
// of many Parquet types.
type pqUnmaskRow struct {
	UID         int64             `parquet:"uid"`
	SourceText  string            `parquet:"source_text"`
	PrivacyMask []generate.Entity `parquet:"privacy_mask,list"`
	Score       float64           `parquet:"score"`
	Ratio       float32           `parquet:"ratio"`
	Small       int32             `parquet:"small"`
	Flag        bool              `parquet:"flag"`
	Tags        []string          `parquet:"tags,list"`
	Note        *string           `parquet:"note,optional"`
	Nested      []pqNested        `parquet:"nested,list"`
	Language    string            `parquet:"language"`
}

func pqUnmaskRows(t *testing.T, n int) []pqUnmaskRow {
	t.Helper()
	g, err := generate.New(generate.Config{Seed: 11, N: n})
	if err != nil {
		t.Fatal(err)
	}
	var rows []pqUnmaskRow
	for r := range g.All() {
		i := len(rows)
		row := pqUnmaskRow{UID: int64(1_000_000 + i), SourceText: r.SourceText, PrivacyMask: r.PrivacyMask, Score: float64(i) / 7,
			Ratio: float32(i) / 3, Small: int32(-i), Flag: i%3 == 0, Tags: []string{r.Set, fmt.Sprint(i % 5)}, Language: r.Language}
		if i%4 == 0 {
			note := fmt.Sprintf("note %d", i)
			row.Note = &note
			row.Nested = []pqNested{{"k", int64(i)}}
		}
		rows = append(rows, row)
	}
	return rows
}

// maskParquetWithVault masks rows (as in/rows.parquet) with the gold and
// rules methods and a vault, and returns the job's output directory.
func maskParquetWithVault(t *testing.T, dir string, rows []pqUnmaskRow, outCol string) string {
	t.Helper()
	in := filepath.Join(dir, "in")
	os.MkdirAll(in, 0o755)
	writeParquetFile(t, filepath.Join(in, "rows.parquet"), rows)
	out := filepath.Join(dir, "out")
	runMaskConfig(t, dir, fmt.Sprintf(`kind: mask
input: {paths: [%s]}
methods: [{name: g, type: gold}, {name: r, type: rules}]
mask:
  ensemble: priority
  operator: {type: placeholder}
  operators: {FIRSTNAME: {type: pseudonym}, EMAIL: {type: hash}, IBAN: {type: encrypt}, PHONENUMBER: {type: mask, keep_last: 2}, STREET: {type: redact}}
  output_column: %q
  part_docs: 97
  vault: true
output: {dir: %s}
`, in, outCol, out))
	return out
}

// Parquet output restored from the vault: every row's text column holds the
// source text again; the schema (columns, order, types) and every other
// value are those of the masked file.
func TestUnmaskParquetRoundTrip(t *testing.T) {
	rows := pqUnmaskRows(t, 400)
	tests := []struct {
		name, outCol, textCol string
		cols                  []string
	}{
		{"replace", "", "source_text", []string{"uid", "source_text", "score", "ratio", "small", "flag", "tags", "note", "nested", "language"}},
		{"added", "masked_text", "masked_text", []string{"uid", "score", "ratio", "small", "flag", "tags", "note", "nested", "language", "masked_text"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			out := maskParquetWithVault(t, dir, rows, tt.outCol)
			maskedPath := filepath.Join(out, "masked", "rows.parquet")
			restoredPath := filepath.Join(dir, "restored.parquet")
			err := Unmask(t.Context(), UnmaskOptions{Vault: filepath.Join(out, "vault.bin"), In: maskedPath, Out: restoredPath}, unmaskEnv(maskTestKeys[mask.EnvVaultKey]))
			if err != nil {
				t.Fatal(err)
			}
			mSchema, masked := readParquetRows(t, maskedPath)
			rSchema, restored := readParquetRows(t, restoredPath)
			if got := fieldNames(rSchema); !reflect.DeepEqual(got, tt.cols) {
				t.Errorf("restored columns %v, want %v", got, tt.cols)
			}
			if rSchema.String() != mSchema.String() {
				t.Errorf("restored schema\n%s\nwant the masked file's\n%s", rSchema, mSchema)
			}
			if len(restored) != len(rows) || len(masked) != len(rows) {
				t.Fatalf("%d restored and %d masked rows, want %d", len(restored), len(masked), len(rows))
			}
			changed := 0
			for i, r := range restored {
				if r[tt.textCol] != rows[i].SourceText {
					t.Fatalf("row %d restored as %q, want %q", i, r[tt.textCol], rows[i].SourceText)
				}
				if masked[i][tt.textCol] != rows[i].SourceText {
					changed++
				}
				for k, v := range masked[i] {
					if k != tt.textCol && !reflect.DeepEqual(r[k], v) {
						t.Fatalf("row %d column %s = %#v, want %#v", i, k, r[k], v)
					}
				}
				if len(r) != len(masked[i]) {
					t.Fatalf("row %d has %d columns, the masked row %d", i, len(r), len(masked[i]))
				}
			}
			if changed < len(rows)/2 {
				t.Errorf("only %d of %d rows were masked: the test masks too little", changed, len(rows))
			}
			if restored[0]["uid"] != int64(1_000_000) || restored[8]["note"] != "note 8" || restored[1]["note"] != nil {
				t.Errorf("carried values changed: row 0 uid %v, row 8 note %v, row 1 note %v", restored[0]["uid"], restored[8]["note"], restored[1]["note"])
			}
		})
	}
}

// Restored JSONL rows keep the masked file's key order, which is the
// input's: with the text replaced in place a restored row is the input line.
func TestUnmaskJSONLKeepsKeyOrder(t *testing.T) {
	in := []string{
		`{"zeta":12345678901234567890,"id":"r1","body":"mail bob@example.com or Ann <ann@example.org> now","a":[1,{"x":"<&>","y":2}],"b":null}`,
		`{"id":"r2","b":true,"body":"no pii","zeta":1.50}`,
		`{"z":"é","body":"call +33 6 12 34 56 78, mail zoé@exemple.fr","id":"r3"}`,
	}
	tests := []struct {
		name, outCol string
		want         []string
	}{
		{"replace", "", in},
		{"added", "masked", []string{
			`{"zeta":12345678901234567890,"id":"r1","a":[1,{"x":"<&>","y":2}],"b":null,"masked":"mail bob@example.com or Ann <ann@example.org> now"}`,
			`{"id":"r2","b":true,"zeta":1.50,"masked":"no pii"}`,
			`{"z":"é","id":"r3","masked":"call +33 6 12 34 56 78, mail zoé@exemple.fr"}`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			inDir := filepath.Join(dir, "in")
			os.MkdirAll(inDir, 0o755)
			os.WriteFile(filepath.Join(inDir, "rows.jsonl"), []byte(strings.Join(in, "\n")+"\n"), 0o644)
			out := filepath.Join(dir, "out")
			runMaskConfig(t, dir, fmt.Sprintf(`kind: mask
input: {paths: [%s], schema: plain, text_field: body}
methods: [{name: rules, type: rules}]
mask: {output_column: %q, vault: true, operators: {EMAIL: {type: pseudonym}}}
output: {dir: %s}
`, inDir, tt.outCol, out))
			maskedPath := filepath.Join(out, "masked", "rows.jsonl")
			if m, _ := os.ReadFile(maskedPath); strings.Contains(string(m), "bob@example.com") {
				t.Fatalf("nothing masked: %s", m)
			}
			env := unmaskEnv(maskTestKeys[mask.EnvVaultKey])
			if err := Unmask(t.Context(), UnmaskOptions{Vault: filepath.Join(out, "vault.bin"), In: maskedPath}, env); err != nil {
				t.Fatal(err)
			}
			got := strings.Split(strings.TrimSuffix(env.Stdout.(*bytes.Buffer).String(), "\n"), "\n")
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("restored rows\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

// editParquetRow rewrites the Parquet file path with the text column of the
// first row whose text contains marker changed by edit.
func editParquetRow(t *testing.T, path, col, marker string, edit func(string) string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	pf, err := parquet.OpenFile(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	m, err := write.NewParquetMirror(pf.Schema(), col, col, func(string) bool { return false })
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	w, err := write.NewBatchWriterTo(&buf, path, write.Parquet, write.MirrorTable(m.Schema()), write.WithBatchRows(math.MaxInt))
	if err != nil {
		t.Fatal(err)
	}
	done := false
	for _, rg := range pf.RowGroups() {
		rows := rg.Rows()
		b := make([]parquet.Row, 1)
		for {
			n, err := rows.ReadRows(b)
			if n == 1 {
				r := b[0]
				if text, _ := m.Text(r); !done && strings.Contains(text, marker) {
					r, done = m.Row(nil, r, edit(text)), true
				}
				if err := w.Write(r); err != nil {
					t.Fatal(err)
				}
			}
			if err != nil {
				break
			}
		}
		rows.Close()
	}
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	if !done {
		t.Fatalf("no row of %s holds %q", path, marker)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// maskJSONLWithVault masks a two-row JSONL file under dir with a vault and
// returns the vault and the masked file.
func maskJSONLWithVault(t *testing.T, dir string) (vault, masked string) {
	t.Helper()
	jin := filepath.Join(dir, "jin")
	os.MkdirAll(jin, 0o755)
	os.WriteFile(filepath.Join(jin, "rows.jsonl"), []byte(`{"id":"r1","body":"mail bob@example.com now","n":1}`+"\n"+`{"id":"r2","body":"mail ann@example.org now","n":2}`+"\n"), 0o644)
	jout := filepath.Join(dir, "jout")
	runMaskConfig(t, dir, fmt.Sprintf(`kind: mask
input: {paths: [%s], schema: plain, text_field: body}
methods: [{name: rules, type: rules}]
mask: {vault: true}
output: {dir: %s}
`, jin, jout))
	return filepath.Join(jout, "vault.bin"), filepath.Join(jout, "masked", "rows.jsonl")
}

// Nothing is restored, and no output file appears, without the key, with
// another key, from an edited row or a truncated file.
func TestUnmaskRefuses(t *testing.T) {
	dir := t.TempDir()
	rows := pqUnmaskRows(t, 60)
	out := maskParquetWithVault(t, dir, rows, "")
	vault := filepath.Join(out, "vault.bin")
	pq := filepath.Join(out, "masked", "rows.parquet")
	jvault, jmasked := maskJSONLWithVault(t, dir)

	key := maskTestKeys[mask.EnvVaultKey]
	tests := []struct {
		name, key, vault, file string
		prepare                func(t *testing.T, file string) // edits the copy of the masked file
		want                   string
	}{
		{"parquet no key", "", vault, pq, nil, mask.EnvVaultKey},
		{"parquet wrong key", "another-vault-key-0123456789", vault, pq, nil, "wrong key"},
		{"jsonl no key", "", jvault, jmasked, nil, mask.EnvVaultKey},
		{"jsonl wrong key", "another-vault-key-0123456789", jvault, jmasked, nil, "wrong key"},
		{"parquet edited row", key, vault, pq, func(t *testing.T, f string) {
			editParquetRow(t, f, "source_text", "[", func(s string) string { return "edited: " + s })
		}, "does not hold its replacement"},
		{"parquet edited replacement", key, vault, pq, func(t *testing.T, f string) {
			editParquetRow(t, f, "source_text", "[", func(s string) string { return strings.Replace(s, "[", "(", 1) })
		}, "does not hold its replacement"},
		{"jsonl edited row", key, jvault, jmasked, func(t *testing.T, f string) {
			b, _ := os.ReadFile(f)
			os.WriteFile(f, bytes.Replace(b, []byte("mail "), []byte("mail to "), 1), 0o644)
		}, "rows.jsonl:1: document rows.jsonl#1"},
		{"jsonl truncated", key, jvault, jmasked, func(t *testing.T, f string) {
			b, _ := os.ReadFile(f)
			os.WriteFile(f, b[:bytes.IndexByte(b, '\n')+1], 0o644)
		}, "file truncated"},
		{"parquet without --out", key, vault, pq, nil, "give --out"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The masked file is copied under a masked/ tree of its own so
			// that edits leave the shared one alone.
			file := filepath.Join(t.TempDir(), "masked", filepath.Base(tt.file))
			os.MkdirAll(filepath.Dir(file), 0o755)
			b, err := os.ReadFile(tt.file)
			if err != nil {
				t.Fatal(err)
			}
			os.WriteFile(file, b, 0o644)
			if tt.prepare != nil {
				tt.prepare(t, file)
			}
			restored := filepath.Join(filepath.Dir(file), "restored"+filepath.Ext(file))
			o := UnmaskOptions{Vault: tt.vault, In: file, Out: restored}
			if tt.name == "parquet without --out" {
				o.Out = ""
			}
			env := unmaskEnv(tt.key)
			err = Unmask(t.Context(), o, env)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want one that says %q", err, tt.want)
			}
			if _, err := os.Stat(restored); err == nil {
				t.Error("a restored file was written")
			}
			if s := env.Stdout.(*bytes.Buffer).String(); s != "" {
				t.Errorf("stdout = %.200q, want nothing", s)
			}
			left, _ := filepath.Glob(filepath.Join(filepath.Dir(file), ".restored*"))
			if len(left) > 0 {
				t.Errorf("temporary files left: %v", left)
			}
		})
	}
}
