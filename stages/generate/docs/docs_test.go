package docs

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/piimask/piimask/labels"
	"github.com/piimask/piimask/stages/generate"
)

func rows(t *testing.T, cfg Config) []generate.Row {
	t.Helper()
	g, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var out []generate.Row
	for r := range g.All() {
		out = append(out, r)
	}
	return out
}

// TestInvariants checks every entity of 3,000 documents: value equals
// text[start:end] in code points, the label is a 200k class, spans are
// sorted, non-empty, not overlapping, without surrounding spaces.
func TestInvariants(t *testing.T) {
	for _, r := range rows(t, Config{Seed: 7, N: 3000}) {
		runes := []rune(r.SourceText)
		if !utf8.ValidString(r.SourceText) {
			t.Fatalf("%s: invalid UTF-8", r.ID)
		}
		prev := int64(0)
		for i, e := range r.PrivacyMask {
			if e.Start < prev || e.End <= e.Start || e.End > int64(len(runes)) {
				t.Fatalf("%s: entity %d [%d,%d) out of order or range (prev end %d, len %d)", r.ID, i, e.Start, e.End, prev, len(runes))
			}
			if got := string(runes[e.Start:e.End]); got != e.Value {
				t.Fatalf("%s: entity %d value %q != text %q", r.ID, i, e.Value, got)
			}
			if strings.TrimSpace(e.Value) != e.Value {
				t.Fatalf("%s: entity %d %q has surrounding space", r.ID, i, e.Value)
			}
			if !labels.Known(e.Label) {
				t.Fatalf("%s: entity %d label %q is not a 200k class", r.ID, i, e.Label)
			}
			prev = e.End
		}
		if r.Language != "en" && r.Language != "fr" {
			t.Fatalf("%s: language %q", r.ID, r.Language)
		}
	}
}

func cleanShare(rs []generate.Row) float64 {
	var total, pii int64
	for _, r := range rs {
		total += int64(utf8.RuneCountInString(r.SourceText))
		for _, e := range r.PrivacyMask {
			pii += e.End - e.Start
		}
	}
	return 1 - float64(pii)/float64(total)
}

// TestCleanShare checks the share of PII-free characters over 2,000
// documents for the default and for other targets.
func TestCleanShare(t *testing.T) {
	for _, tc := range []struct {
		target, lo, hi float64
	}{
		{0, 0.86, 0.90},
		{0.80, 0.78, 0.82},
		{0.93, 0.89, 0.95},
	} {
		rs := rows(t, Config{Seed: 3, N: 2000, CleanShare: tc.target})
		got := cleanShare(rs)
		if got < tc.lo || got > tc.hi {
			t.Errorf("clean share %v: got %.3f, want in [%.2f, %.2f]", tc.target, got, tc.lo, tc.hi)
		}
		if tc.target == 0 {
			byKind := map[string][]generate.Row{}
			for _, r := range rs {
				byKind[KindOf(r.ID)] = append(byKind[KindOf(r.ID)], r)
			}
			for _, k := range Kinds() {
				n := 0
				for _, r := range byKind[k] {
					n += utf8.RuneCountInString(r.SourceText)
				}
				t.Logf("%-8s %4d documents, %5d characters on average, clean share %.3f", k, len(byKind[k]), n/max(1, len(byKind[k])), cleanShare(byKind[k]))
			}
		}
	}
}

// TestVariety checks that every kind and both languages appear, that names
// come from many origins and that no single body sentence dominates.
func TestVariety(t *testing.T) {
	rs := rows(t, Config{Seed: 11, N: 2000})
	kinds, langs := map[string]int{}, map[string]int{}
	for _, r := range rs {
		kinds[KindOf(r.ID)]++
		langs[r.Language]++
	}
	for _, k := range Kinds() {
		if kinds[k] < 20 {
			t.Errorf("kind %s: %d documents of 2000", k, kinds[k])
		}
	}
	if langs["en"] < 800 || langs["fr"] < 800 {
		t.Errorf("languages: %v", langs)
	}
	lastOrigin := map[string]string{}
	for _, o := range origins {
		for _, l := range o.last {
			lastOrigin[l] = o.name
		}
	}
	seen := map[string]int{}
	for _, r := range rs {
		for _, e := range r.PrivacyMask {
			if e.Label == "LASTNAME" {
				for l, o := range lastOrigin {
					if strings.EqualFold(l, e.Value) {
						seen[o]++
					}
				}
			}
		}
	}
	if len(seen) < len(origins)-1 {
		t.Errorf("last names from %d origins of %d: %v", len(seen), len(origins), seen)
	}
	// no sentence (line piece between ". ") makes up more than 1% of all
	sentences := map[string]int{}
	n := 0
	for _, r := range rs {
		for _, line := range strings.Split(r.SourceText, "\n") {
			for _, s := range strings.SplitAfter(line, ". ") {
				if len(s) > 20 {
					sentences[strings.TrimSpace(s)]++
					n++
				}
			}
		}
	}
	for s, c := range sentences {
		if float64(c)/float64(n) > 0.01 {
			t.Errorf("sentence %q is %.2f%% of %d", s, 100*float64(c)/float64(n), n)
		}
	}
}

// TestSurfaceForms checks that names appear in caps, lower case, with
// prefixes, initials and middle names, and that addresses span lines.
func TestSurfaceForms(t *testing.T) {
	rs := rows(t, Config{Seed: 5, N: 2000})
	var caps, lower, prefix, middle, initial, multiline, country int
	for _, r := range rs {
		for i, e := range r.PrivacyMask {
			switch e.Label {
			case "FIRSTNAME", "LASTNAME":
				switch {
				case e.Value == strings.ToUpper(e.Value) && len([]rune(e.Value)) > 1:
					caps++
				case e.Value == strings.ToLower(e.Value):
					lower++
				case len([]rune(e.Value)) == 1:
					initial++
				}
			case "PREFIX":
				prefix++
			case "MIDDLENAME":
				middle++
			case "ZIPCODE", "CITY":
				if i > 0 && strings.Contains(r.SourceText, r.PrivacyMask[i-1].Value+"\n") {
					multiline++
				}
			case "STATE":
				country++
			}
		}
	}
	for name, c := range map[string]int{"caps": caps, "lower": lower, "prefix": prefix, "middle": middle, "initial": initial, "multiline": multiline, "state": country} {
		if c < 50 {
			t.Errorf("%s: %d occurrences in 2000 documents", name, c)
		}
	}
}

// TestReproducible checks that the same config gives byte-identical JSONL
// and another seed different output.
func TestReproducible(t *testing.T) {
	write := func(seed int64) []byte {
		g, err := New(Config{Seed: seed, N: 300})
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := generate.WriteJSONL(context.Background(), &b, g); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	a, b, c := write(9), write(9), write(10)
	if !bytes.Equal(a, b) {
		t.Fatal("same seed gave different output")
	}
	if bytes.Equal(a, c) {
		t.Fatal("different seeds gave the same output")
	}
}

func TestConfigErrors(t *testing.T) {
	for _, cfg := range []Config{{N: -1}, {Languages: []string{"de"}}, {CleanShare: 1.2}, {Kinds: []string{"poem"}}} {
		if _, err := New(cfg); err == nil {
			t.Errorf("%+v: no error", cfg)
		}
	}
	rs := rows(t, Config{Seed: 1, N: 50, Languages: []string{"fr"}, Kinds: []string{"chat", "log"}})
	for _, r := range rs {
		if r.Language != "fr" || !slices.Contains([]string{"chat", "log"}, KindOf(r.ID)) {
			t.Fatalf("%s %s: outside the configured languages/kinds", r.ID, r.Language)
		}
	}
}

func TestProse(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "prose.txt")
	if err := os.WriteFile(path, []byte("# comment\nen\tThe quick brown fox jumps over the lazy dog near the river.\nfr\tLe renard brun saute par-dessus le chien paresseux.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := LoadProse(path)
	if err != nil {
		t.Fatal(err)
	}
	if en, fr := p.Len(); en != 1 || fr != 1 {
		t.Fatalf("len %d %d", en, fr)
	}
	found := false
	for _, r := range rows(t, Config{Seed: 2, N: 200, Prose: p}) {
		if strings.Contains(r.SourceText, "quick brown fox") || strings.Contains(r.SourceText, "renard brun") {
			found = true
		}
	}
	if !found {
		t.Error("prose sentences never used")
	}
	bad := filepath.Join(dir, "bad.txt")
	os.WriteFile(bad, []byte("en\tok sentence here\nde\tnein\n"), 0o644)
	if _, err := LoadProse(bad); err == nil || !strings.Contains(err.Error(), "bad.txt:2") {
		t.Errorf("bad prose file: %v", err)
	}
}

// TestSpeed checks the generator makes at least 5,000 documents a second
// (a loose floor on a loaded machine; measured figures are in the notes).
func TestSpeed(t *testing.T) {
	if testing.Short() {
		t.Skip("speed")
	}
	g, _ := New(Config{Seed: 1, N: 5000})
	start := time.Now()
	n := 0
	for range g.All() {
		n++
	}
	el := time.Since(start)
	t.Logf("%d documents in %v (%.0f/s)", n, el, float64(n)/el.Seconds())
	if rate := float64(n) / el.Seconds(); rate < 2500 {
		t.Errorf("%.0f documents/s, want >= 5000 (2500 allowed on a loaded machine)", rate)
	}
}
