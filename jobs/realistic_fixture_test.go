package jobs

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/piimask/piimask/internal/checksum"
	"github.com/piimask/piimask/labels"
	"github.com/piimask/piimask/record"
	"github.com/piimask/piimask/stages/read"
)

// The hand-written evaluation fixture in testdata/realistic (see its
// README.md): never used for training or threshold tuning.
const realisticDir = "testdata/realistic"

// readRealistic reads the fixture's JSONL with piimask's own reader, as an
// evaluate job with schema ai4privacy-200k would, and fails on any reject.
func readRealistic(t *testing.T) []record.Record {
	t.Helper()
	path := filepath.Join(repoRoot(t), realisticDir, "realistic.jsonl")
	var recs []record.Record
	var rejects []record.Reject
	err := read.Read(context.Background(), []string{path}, read.Options{Schema: read.Schema200k},
		func(r record.Record) error { recs = append(recs, r); return nil },
		func(r record.Reject) error { rejects = append(rejects, r); return nil })
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rejects {
		t.Errorf("reject %s", r.Error())
	}
	return recs
}

// spanText returns the code points [s.Start, s.End) of text.
func spanText(text []rune, s record.Span) string { return string(text[s.Start:s.End]) }

func TestRealisticFixture(t *testing.T) {
	recs := readRealistic(t)
	if len(recs) < 40 {
		t.Fatalf("%d documents, want at least 40", len(recs))
	}
	langs := map[string]int{}
	ids := map[string]bool{}
	var total, pii, noPII int
	word := regexp.MustCompile(`[\p{L}\p{N}_]+`) // Python's \w, which build.py counts
	for _, r := range recs {
		if ids[r.ID] {
			t.Errorf("%s: duplicate id", r.ID)
		}
		ids[r.ID] = true
		langs[r.Language]++
		text := []rune(r.Text)
		total += len(text)
		if len(r.Gold) == 0 {
			noPII++
		}
		if words := len(word.FindAllString(r.Text, -1)); words < 40 || words > 300 {
			t.Errorf("%s: %d words, want 40–300", r.ID, words)
		}
		pii += checkGoldSpans(t, r, text)
	}
	if langs["en"] < 20 || langs["fr"] < 20 || len(langs) != 2 {
		t.Errorf("languages %v, want at least 20 en and 20 fr and nothing else", langs)
	}
	if noPII < 4 {
		t.Errorf("%d documents without PII, want at least 4", noPII)
	}
	free := 1 - float64(pii)/float64(total)
	if free < 0.85 || free > 0.95 {
		t.Errorf("PII-free character share %.4f, want 0.85–0.95", free)
	}
	t.Logf("%d documents %v, %d without PII, PII-free share %.4f", len(recs), langs, noPII, free)

	// The brief's letter: a postal address, a phone number, an e-mail and an IBAN.
	want := map[string]bool{"FIRSTNAME": true, "LASTNAME": true, "PREFIX": true, "STREET": true,
		"BUILDINGNUMBER": true, "CITY": true, "ZIPCODE": true, "PHONENUMBER": true, "EMAIL": true, "IBAN": true}
	for _, r := range recs {
		if r.ID != "letter-en-01" {
			continue
		}
		for _, s := range r.Gold {
			delete(want, s.Label)
		}
		if len(want) > 0 {
			t.Errorf("letter-en-01 lacks %v", want)
		}
		return
	}
	t.Error("letter-en-01 missing")
}

// checkGoldSpans checks r's gold spans (no overlap, known labels, no outer
// spaces, valid checksums) and returns how many PII characters they cover.
func checkGoldSpans(t *testing.T, r record.Record, text []rune) (pii int) {
	t.Helper()
	for i, s := range r.Gold {
		pii += s.Len()
		if i > 0 && s.Overlaps(r.Gold[i-1]) {
			t.Errorf("%s: spans %d and %d overlap", r.ID, i-1, i)
		}
		if !labels.Known(s.Label) {
			t.Errorf("%s: label %q is not an AI4Privacy 200k class", r.ID, s.Label)
		}
		v := spanText(text, s)
		if v != strings.TrimSpace(v) {
			t.Errorf("%s: %s span %q has outer spaces", r.ID, s.Label, v)
		}
		digits := strings.NewReplacer(" ", "", "-", "").Replace(v)
		switch s.Label {
		case "IBAN":
			if !checksum.IBAN(checksum.CompactIBAN(v)) {
				t.Errorf("%s: IBAN %q fails mod 97", r.ID, v)
			}
		case "CREDITCARDNUMBER":
			if !checksum.Luhn(digits) {
				t.Errorf("%s: card %q fails Luhn", r.ID, v)
			}
		case "SSN":
			if !checksum.SSN(v) && !checksum.NIR(v) {
				t.Errorf("%s: SSN %q is neither a valid US SSN nor a valid NIR", r.ID, v)
			}
		case "VEHICLEVIN":
			if !checksum.VIN(v) {
				t.Errorf("%s: VIN %q has a wrong check digit", r.ID, v)
			}
		}
	}
	return pii
}

// TestRealisticFixtureMatchesSources re-derives every document from the
// marked-up sources (docs-en.txt, docs-fr.txt: "@@@ <id> <lang>" headers,
// [[value|LABEL]] spans) and checks the committed JSONL is not stale, so an
// edit to a source without rerunning build.py fails here.
func TestRealisticFixtureMatchesSources(t *testing.T) {
	dir := filepath.Join(repoRoot(t), realisticDir)
	header := regexp.MustCompile(`^@@@ ([a-z0-9-]+) (en|fr)$`)
	span := regexp.MustCompile(`\[\[([^\[\]|]+)\|([A-Z0-9]+)\]\]`)
	type doc struct {
		lang, text string
		gold       []record.Span
	}
	docs := map[string]doc{}
	for _, name := range []string{"docs-en.txt", "docs-fr.txt"} {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		var id, lang string
		var lines []string
		flush := func() {
			if id == "" {
				return
			}
			marked := strings.Trim(strings.Join(lines, "\n"), "\n")
			var b strings.Builder
			var gold []record.Span
			n, pos := 0, 0
			for _, m := range span.FindAllStringSubmatchIndex(marked, -1) {
				plain := marked[pos:m[0]]
				b.WriteString(plain)
				n += len([]rune(plain))
				value := marked[m[2]:m[3]]
				gold = append(gold, record.Span{Start: n, End: n + len([]rune(value)), Label: marked[m[4]:m[5]]})
				b.WriteString(value)
				n += len([]rune(value))
				pos = m[1]
			}
			b.WriteString(marked[pos:])
			docs[id] = doc{lang, b.String(), gold}
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if m := header.FindStringSubmatch(sc.Text()); m != nil {
				flush()
				id, lang, lines = m[1], m[2], nil
				continue
			}
			lines = append(lines, sc.Text())
		}
		flush()
		if err := sc.Err(); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
	recs := readRealistic(t)
	if len(recs) != len(docs) {
		t.Errorf("realistic.jsonl has %d documents, the sources %d: rerun python3 %s/build.py", len(recs), len(docs), realisticDir)
	}
	for _, r := range recs {
		d, ok := docs[r.ID]
		switch {
		case !ok:
			t.Errorf("%s: not in the sources", r.ID)
		case d.lang != r.Language || d.text != r.Text || len(d.gold) != len(r.Gold):
			t.Errorf("%s: stale; rerun python3 %s/build.py", r.ID, realisticDir)
		default:
			for i := range d.gold {
				if d.gold[i] != r.Gold[i] {
					t.Errorf("%s: span %d is %+v in the JSONL, %+v in the source; rerun build.py", r.ID, i, r.Gold[i], d.gold[i])
				}
			}
		}
	}
}
