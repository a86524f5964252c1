package mask

import (
	"bytes"
	"strings"
	"testing"
)

// A vault index tells, per tabular output, the last masked row and the
// masked-text column its rows' entries name.
func TestVaultIndexTable(t *testing.T) {
	v, err := NewVault([]byte("vault-secret-0123456789"))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	h, _ := v.Header()
	buf.Write(h)
	for _, e := range []VaultEntry{
		{Doc: "sub/rows.parquet#2", Column: "body"},
		{Doc: "sub/rows.parquet#7", Column: "body"},
		{Doc: "mixed.jsonl#1", Column: "a"},
		{Doc: "mixed.jsonl#2", Column: "b"},
		{Doc: "notes#1.txt"},
		{Doc: "report/page-0001.md"},
	} {
		rec, _ := v.Record(e)
		buf.Write(rec)
	}
	idx, err := v.ReadVaultIndex(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		doc     string
		last    int
		col     string
		wantErr string
	}{
		{"sub/rows.parquet", 7, "body", ""},
		{"mixed.jsonl", 0, "", `columns "a", "b"`},
		{"notes#1.txt", 0, "", "no masked rows"},
		{"report/page-0001.md", 0, "", "no masked rows"},
	}
	for _, tt := range tests {
		last, col, err := idx.Table(tt.doc)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Table(%s) err = %v, want %q", tt.doc, err, tt.wantErr)
			}
			continue
		}
		if err != nil || last != tt.last || col != tt.col {
			t.Errorf("Table(%s) = %d, %q, %v; want %d, %q", tt.doc, last, col, err, tt.last, tt.col)
		}
	}
	if doc, ok := idx.Document("/out/masked/sub/rows.parquet"); !ok || doc != "sub/rows.parquet" {
		t.Errorf("Document = %q, %v", doc, ok)
	}
	if doc, ok := idx.Document("out/masked/notes#1.txt"); !ok || doc != "notes#1.txt" {
		t.Errorf("Document of a text file with '#' in its name = %q, %v", doc, ok)
	}
}
