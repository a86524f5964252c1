package rules

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"unicode/utf8"
)

// goldenTexts reads the texts of the golden file.
func goldenTexts(t *testing.T) []string {
	t.Helper()
	f, err := os.Open(goldenPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(zr)
	sc.Buffer(nil, 1<<20)
	var out []string
	for sc.Scan() {
		var g goldenDoc
		if err := json.Unmarshal(sc.Bytes(), &g); err != nil {
			t.Fatal(err)
		}
		out = append(out, g.Text)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// denseNoise is random text made almost only of bytes the patterns use.
func denseNoise(r *rand.Rand) string {
	const alpha = "0123456789 0123456789 -.:/()+,;@°AaBbCcDdEeFfHhPpMmXxLlTtSsNnRrKkZz"
	b := make([]byte, 1+r.IntN(60))
	for i := range b {
		b[i] = alpha[r.IntN(len(alpha))]
	}
	return string(b)
}

// pieceNoise strings together pieces of the formats the matchers handle
// (digit groups, separators, extensions, NIR's 2A/2B, hex groups, colons).
func pieceNoise(r *rand.Rand) string {
	pieces := []string{"1", "12", "123", "1234", "12345", "123456", "0", "00", "9", "2A", "2B", " ", " ", "-", ".", "/", ":", "::",
		"(", ")", "+", "x", " x", "ext", "ext.", " ext. ", "poste", " poste ", "ab", "ABCD", "fe80", "AB", "GB", "FR", "\t", "\n", "\f", "é",
		"am", "p.m.", "h", "H", "PM", "a.m", "bc1", "BC1", "ltc1", "L", "M", "0x", "JHGFDSAQWERTYZ", "@", "a@b", "日", "٣", "Ⅻ", "½", "\u0301", "_", "'", "%"}
	var sb strings.Builder
	for n := 1 + r.IntN(16); n > 0; n-- {
		p := pieces[r.IntN(len(pieces))]
		sb.WriteString(p)
	}
	return sb.String()
}

// noiseCorpus is the golden texts plus random dense and piecewise noise.
func noiseCorpus(t *testing.T, seed uint64) ([]string, *rand.Rand) {
	texts := goldenTexts(t)
	r := rand.New(rand.NewPCG(seed, 2))
	for i := 0; i < 20000; i++ {
		texts = append(texts, denseNoise(r), pieceNoise(r))
	}
	if testing.Short() {
		texts = texts[len(texts)-5000:]
	}
	return texts, r
}

// TestPrefiltersAreNecessary checks that no prefilter rejects a start where
// the recognizer's anchored pattern matches: on every golden text, every
// start byte the scanner may try, with the full window and a cut one.
func TestPrefiltersAreNecessary(t *testing.T) {
	m := mustNew(t, Options{})
	texts, r := noiseCorpus(t, 1)
	rejected := make(map[string]int)
	for _, text := range texts {
		for pos := 0; pos < len(text); pos++ {
			if !utf8.RuneStart(text[pos]) {
				continue
			}
			cut := pos + 1 + r.IntN(len(text)-pos)
			for _, rec := range m.recs {
				if rec.pre == nil || !rec.first[text[pos]] {
					continue
				}
				for _, end := range [2]int{len(text), cut} {
					win := text[pos:min(end, pos+rec.maxLen)]
					if rec.pre(win) {
						continue
					}
					rejected[rec.class]++
					if loc := rec.anch.FindStringIndex(win); loc != nil && loc[1] > 0 {
						t.Fatalf("%s prefilter rejects %q, which the pattern matches (%q)", rec.class, win, win[:loc[1]])
					}
				}
			}
		}
	}
	t.Logf("rejections checked per class: %v", rejected)
}

// TestMatchersEqualRegexp checks that every hand-written matcher gives the
// same match length as its recognizer's anchored pattern at every start the
// scanner may try, on the golden corpus and on random text, with the full
// window and a cut one.
func TestMatchersEqualRegexp(t *testing.T) {
	m := mustNew(t, Options{})
	texts, r := noiseCorpus(t, 3)
	matched := make(map[string]int)
	for _, text := range texts {
		for pos := 0; pos < len(text); pos++ {
			if !utf8.RuneStart(text[pos]) {
				continue
			}
			cut := pos + 1 + r.IntN(len(text)-pos)
			for _, rec := range m.recs {
				if rec.fast == nil || !rec.first[text[pos]] {
					continue
				}
				for _, end := range [2]int{len(text), cut} {
					win := text[pos:min(end, pos+rec.maxLen)]
					want := 0
					if loc := rec.anch.FindStringIndex(win); loc != nil {
						want = loc[1]
					}
					if got := rec.fast(win); got != want {
						t.Fatalf("%s on %q: matcher %d bytes, regexp %d", rec.class, win, got, want)
					}
					if want > 0 {
						matched[rec.class]++
					}
				}
			}
		}
	}
	t.Logf("matches compared per class: %v", matched)
}
