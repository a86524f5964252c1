package hf

import (
	"path/filepath"
	"testing"
)

// BenchmarkEncode measures Encode throughput per tokenizer type over the
// golden corpus; it reports docs/s and MB/s (UTF-8 input bytes).
func BenchmarkEncode(b *testing.B) {
	texts := corpus(b)
	total := 0
	for _, s := range texts {
		total += len(s)
	}
	files := []struct{ name, path string }{
		{"wordpiece-mbert", "shared:bert-base-multilingual-cased"},
		{"bytelevel-bpe-gpt2", "shared:gpt2"},
		{"bytelevel-bpe-roberta", "shared:roberta-base"},
		{"unigram-t5", "shared:t5-small"},
		{"bytefallback-bpe-phi3", "shared:phi-3-mini"},
		{"trained-wordpiece", "testdata:trained-wordpiece.json"},
		{"trained-bpe", "testdata:trained-bpe.json"},
	}
	for _, f := range files {
		b.Run(f.name, func(b *testing.B) {
			var p string
			if f.path[:7] == "shared:" {
				p = filepath.Join(sharedDir(b), f.path[7:], "tokenizer.json")
			} else {
				p = filepath.Join("testdata", f.path[9:])
			}
			tok, err := Load(p)
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(total))
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				for _, s := range texts {
					if _, err := tok.Encode(s, true); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ReportMetric(float64(b.N*len(texts))/b.Elapsed().Seconds(), "docs/s")
		})
	}
}
