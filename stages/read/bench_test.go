package read

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/piimask/piimask/record"
)

const benchRows = 20000

// benchData returns rows in the 200k layout, with a token column that a
// non-KeepColumns Parquet read can skip.
func benchData() []row200k {
	rows := make([]row200k, benchRows)
	for i := range rows {
		text, gold := textFR, goldFR
		if i%2 == 1 {
			text, gold = textEN, goldEN
		}
		text = fmt.Sprintf("%s — ligne %d. %s", text, i, strings.Repeat("Le contrat est signé ce jour. ", 4))
		rows[i] = row200k{
			SourceText: text, TargetText: text, PrivacyMask: toPM(text, gold),
			MbertTokens: strings.Fields(text), ID: fmt.Sprint(i), Language: "fr", Set: "train",
		}
	}
	return rows
}

func benchRead(b *testing.B, path string, opts Options) {
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(st.Size())
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		n := 0
		err := Read(context.Background(), []string{path}, opts, func(record.Record) error { n++; return nil },
			func(r record.Reject) error { return r })
		if err != nil || n != benchRows {
			b.Fatalf("%v after %d rows", err, n)
		}
	}
	b.ReportMetric(float64(benchRows*b.N)/b.Elapsed().Seconds(), "rows/s")
}

func BenchmarkReadJSONL(b *testing.B) {
	dir := b.TempDir()
	var sb strings.Builder
	for _, r := range benchData() {
		sb.WriteString(jsonLine(b, map[string]any{
			"source_text": r.SourceText, "target_text": r.TargetText, "privacy_mask": maskOf(r.SourceText, spansOf(r.PrivacyMask)),
			"mbert_text_tokens": r.MbertTokens, "id": r.ID, "language": r.Language, "set": r.Set,
		}))
	}
	p := writeFile(b, dir, "bench.jsonl", sb.String())
	b.Run("default", func(b *testing.B) { benchRead(b, p, Options{}) })
	b.Run("keep-columns", func(b *testing.B) { benchRead(b, p, Options{KeepColumns: true}) })
}

func BenchmarkReadParquet(b *testing.B) {
	p := writeParquet(b, filepath.Join(b.TempDir(), "bench.parquet"), benchData(), 5000)
	b.Run("default", func(b *testing.B) { benchRead(b, p, Options{}) })
	b.Run("keep-columns", func(b *testing.B) { benchRead(b, p, Options{KeepColumns: true}) })
}

func spansOf(pm []pmEntry) []record.Span {
	out := make([]record.Span, len(pm))
	for i, e := range pm {
		out[i] = record.Span{Start: int(e.Start), End: int(e.End), Label: e.Label}
	}
	return out
}
