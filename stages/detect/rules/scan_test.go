package rules

import (
	"fmt"
	"testing"

	"github.com/piimask/piimask/record"
)

// TestScanStartsMatchesFindAll checks that the fast anchored scanner accepts
// exactly the candidates an unanchored FindAll over the whole text accepts.
func TestScanStartsMatchesFindAll(t *testing.T) {
	m := mustNew(t, Options{})
	var d doc
	for _, text := range append(benchCorpus(300), "ID4111111111111111 x", "AB06 12 34 56 78", "1.2.3.4.5 and fe80::1:") {
		d.reset(text)
		for _, r := range m.recs {
			if r.group != 0 {
				continue
			}
			slow := fmt.Sprint(m.scan(&d, r, 0, len(text), nil))
			fast := fmt.Sprint(m.scanStarts(&d, r, 0, len(text), nil))
			if slow != fast {
				t.Fatalf("%s on %q:\n FindAll %s\n starts  %s", r.class, text, slow, fast)
			}
		}
	}
}

// TestCodePointsMatchOffsets checks doc.codePoints against
// record.Offsets.CodePoint at every byte offset of ASCII, accented, astral
// and invalid UTF-8 texts.
func TestCodePointsMatchOffsets(t *testing.T) {
	tests := []string{"", "abc", "Écrivez à élodie", "😀😀 a@b.co", "bad \xff\xfe byte é\xc3", "\u0301x\u212a"}
	for _, text := range tests {
		var d doc
		d.reset(text)
		off := record.NewOffsets(text)
		var spans []record.Span
		for b := 0; b <= len(text); b++ {
			spans = append(spans, record.Span{Start: b, End: len(text) - b})
		}
		d.codePoints(spans)
		for b := 0; b <= len(text); b++ {
			if got, want := spans[b].Start, off.CodePoint(b); got != want {
				t.Errorf("%q byte %d: code point %d, want %d", text, b, got, want)
			}
			if got, want := spans[b].End, off.CodePoint(len(text)-b); got != want {
				t.Errorf("%q byte %d: code point %d, want %d", text, len(text)-b, got, want)
			}
		}
	}
}
