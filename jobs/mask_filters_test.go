package jobs

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The mask job applies filters: through the same row gate as evaluate
// (jobs/input.go): languages, limit and sample, and max_reject_ratio.
func TestMaskFiltersAndRejectRatio(t *testing.T) {
	dir := t.TempDir()
	in, data := writeFilterDocs(t, dir)
	tests := []struct {
		name    string
		filters string
		want    []string
	}{
		{"none", "{}", []string{"en-1", "fr-1", "en-2", "fr-2", "fr-3"}},
		{"languages", "{languages: [fr]}", []string{"fr-1", "fr-2", "fr-3"}},
		{"limit and languages", "{limit: 2, languages: [fr]}", []string{"fr-1", "fr-2"}},
		{"limit", "{limit: 1}", []string{"en-1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "-"))
			runMaskConfig(t, dir, fmt.Sprintf(`kind: mask
input: {paths: [%s], schema: plain}
filters: %s
methods: [{name: r, type: rules}]
mask: {operator: {type: placeholder}}
output: {dir: %s}
`, data, tt.filters, out))
			got := maskedIDs(t, filepath.Join(out, "masked", "in.jsonl"))
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Fatalf("masked %v, want %v", got, tt.want)
			}
		})
	}
	t.Run("max_reject_ratio", func(t *testing.T) { testMaskRejectRatio(t, dir, in) })
	t.Run("languages over text files", func(t *testing.T) { testMaskLanguagesOverText(t, dir) })
}

// writeFilterDocs writes five English and French rows to dir/in.jsonl and
// returns its bytes and path.
func writeFilterDocs(t *testing.T, dir string) ([]byte, string) {
	t.Helper()
	docs := []struct{ id, lang, text string }{
		{"en-1", "en", "Write to jane@example.com today."},
		{"fr-1", "fr", "Écrivez à paul@example.fr demain."},
		{"en-2", "en", "Call bob@example.org now."},
		{"fr-2", "fr", "Contact : marie@example.fr."},
		{"fr-3", "fr", "Adresse : luc@example.fr."},
	}
	var in bytes.Buffer
	for _, d := range docs {
		row, _ := json.Marshal(map[string]any{"id": d.id, "language": d.lang, "text": d.text})
		in.Write(append(row, '\n'))
	}
	data := filepath.Join(dir, "in.jsonl")
	if err := os.WriteFile(data, in.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return in.Bytes(), data
}

// testMaskRejectRatio: the rows of in plus two bad lines are above
// max_reject_ratio 0.1, which fails the job.
func testMaskRejectRatio(t *testing.T, dir string, in []byte) {
	bad := filepath.Join(dir, "bad.jsonl")
	if err := os.WriteFile(bad, append(append([]byte{}, in...), []byte("{not json\n{\"id\": 7, \"text\": 1}\n")...), 0o644); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "ratio.yaml")
	cfg := fmt.Sprintf(`kind: mask
input: {paths: [%s], schema: plain}
max_reject_ratio: 0.1
methods: [{name: r, type: rules}]
mask: {operator: {type: placeholder}}
output: {dir: %s}
`, bad, filepath.Join(dir, "ratio"))
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	env := maskEnv(&buf)
	l, err := Load(path, env)
	if err != nil {
		t.Fatal(err)
	}
	err = Run(context.Background(), l, env)
	if err == nil || !strings.Contains(err.Error(), "above max_reject_ratio") {
		t.Fatalf("err = %v, want the reject ratio to fail the job", err)
	}
}

// testMaskLanguagesOverText: filters.languages over a text file is refused
// at load, naming the line.
func testMaskLanguagesOverText(t *testing.T, dir string) {
	txt := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(txt, []byte("mail jane@example.com\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "text.yaml")
	cfg := fmt.Sprintf("kind: mask\ninput: {paths: [%s]}\nfilters:\n  languages: [fr]\nmethods: [{name: r, type: rules}]\nmask: {operator: {type: placeholder}}\noutput: {dir: %s}\n", txt, filepath.Join(dir, "text"))
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	_, err := Load(path, maskEnv(&buf))
	if err == nil || !strings.Contains(err.Error(), path+":4: filters.languages") {
		t.Fatalf("err = %v, want filters.languages refused at line 4", err)
	}
}

// maskedIDs lists the ids of a masked JSONL file in order.
func maskedIDs(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		if line == "" {
			continue
		}
		var row struct {
			ID string `json:"id"`
		}
		if err := json.Unmarshal([]byte(line), &row); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, row.ID)
	}
	return ids
}
