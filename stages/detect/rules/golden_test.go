package rules

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/piimask/piimask/record"
	"github.com/piimask/piimask/stages/generate"
)

// updateGolden rewrites testdata/golden_spans.jsonl.gz from the current
// method: go test -run TestGolden -update-golden ./stages/detect/rules
var updateGolden = flag.Bool("update-golden", false, "rewrite the rules golden span file")

const goldenPath = "testdata/golden_spans.jsonl.gz"

// goldenDoc is one line of the golden file: a text and the spans the method
// gave for it, each as "start end label score".
type goldenDoc struct {
	Text  string   `json:"text"`
	Spans []string `json:"spans,omitempty"`
}

func goldenSpans(spans []record.Span) []string {
	out := make([]string, len(spans))
	for i, s := range spans {
		out[i] = fmt.Sprintf("%d %d %s %g", s.Start, s.End, s.Label, s.Score)
	}
	return out
}

// goldenCorpus builds the golden texts: 3,000 generated EN/FR documents,
// the benchmark sentences, the hand-written recognizer examples, mutated
// copies of generated documents and random token soup aimed at the
// recognizers' edges. The texts are stored in the golden file, so later
// changes to the generator do not invalidate it.
func goldenCorpus(t *testing.T) []string {
	g, err := generate.New(generate.Config{Seed: 4242, N: 3000})
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for row := range g.All() {
		texts = append(texts, row.SourceText)
	}
	gen := texts[:len(texts):len(texts)]
	texts = append(texts, benchCorpus(400)...)
	for _, c := range recognizerCases() {
		texts = append(texts, c.text)
	}
	r := rand.New(rand.NewPCG(4242, 99))
	for i := 0; i < 3000; i++ {
		texts = append(texts, mutate(r, gen[r.IntN(len(gen))]))
	}
	for i := 0; i < 3000; i++ {
		texts = append(texts, tokenSoup(r))
	}
	return texts
}

// mutate applies one to four random edits to text at rune boundaries:
// delete a short range, duplicate one, or replace a byte by a separator.
func mutate(r *rand.Rand, text string) string {
	b := []byte(text)
	for n := 1 + r.IntN(4); n > 0 && len(b) > 2; n-- {
		i := r.IntN(len(b))
		for i > 0 && !utf8.RuneStart(b[i]) {
			i--
		}
		j := min(len(b), i+1+r.IntN(6))
		for j < len(b) && !utf8.RuneStart(b[j]) {
			j++
		}
		switch r.IntN(3) {
		case 0:
			b = append(b[:i:i], b[j:]...)
		case 1:
			b = append(b[:j:j], append(append([]byte(nil), b[i:j]...), b[j:]...)...)
		default:
			seps := " -./:,()+@\n"
			b = append(b[:i:i], append([]byte{seps[r.IntN(len(seps))]}, b[j:]...)...)
		}
	}
	return string(b)
}

var soupWords = []string{
	"January", "jan", "Jan.", "Sept.", "March", "mar", "May", "mai", "Mars", "août", "aout", "Février", "décembre", "1er",
	"st", "nd", "rd", "th", "of", "h", "pm", "a.m.", "P.M.", "x", "ext.", "poste", "is", "est", "=", ":",
	"cvv", "CVC2", "security code", "cryptogramme", "pin", "PIN code", "code secret", "password", "mot de passe", "mdp", "pwd",
	"zip", "code postal", "CP", "postcode", "ssn", "sécurité sociale", "nir", "vin", "véhicule", "car", "bic", "SWIFT", "iban",
	"imei", "bitcoin", "btc", "wallet", "ltc", "crypto", "http://", "https://", "HTTP://", "www.", "ftp://", ".com", ".fr",
	"Mozilla/5.0", "Opera/9.80", "Dalvik/2.1.0", "(Linux; U)", "AppleWebKit/537.36", "0x", "0X", "bc1", "ltc1", "::", "fe80",
	"IL", "NY", "Paris", "Berlin", "é", "Ü", "😀", "ß", "日本", "\u212a", "\u0301", "°", "FR76", "GB82", "DE89", "2A", "2B",
	"BNPAFRPP", "XXX", "DEUTDEFF", "NW1", "6XE", "SW1A", "1AA",
	"4111111111111111", "378282246310005", "490154203237518", "1M8GDM9AXKP042788", "123-45-6789", "192.168.0.1",
	"00:1A:2B:3C:4D:5E", "0123.4567.89ab", "2001:db8::1", "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa",
	"bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", "LTC1QG82Q6JXVYQ8ZJ7GYFE2E8FLPL4QFGWXZX6ZPHW", "48.8566", "2,3522",
	"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "FR1420041010050500013M02606", "1 85 05 78 006 084 36",
}

// tokenSoup is a random mix of digit runs, separators, letters, keywords
// and PII-like values.
func tokenSoup(r *rand.Rand) string {
	var sb strings.Builder
	seps := []string{" ", " ", " ", "-", ".", "/", ":", ",", ";", "(", ")", "+", "@", "\n", "  ", ", ", "_", "#", "'"}
	for n := 3 + r.IntN(25); n > 0; n-- {
		switch r.IntN(7) {
		case 0, 1:
			for k := 1 + r.IntN(19); k > 0; k-- {
				sb.WriteByte(byte('0' + r.IntN(10)))
			}
		case 2:
			sb.WriteString(seps[r.IntN(len(seps))])
		case 3:
			alpha := [...]string{"ABCDEFGHJKLMNPRSTUVWXYZ0123456789", "0123456789abcdefABCDEF", "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz", "abcdefghijklmnopqrstuvwxyz"}[r.IntN(4)]
			for k := 1 + r.IntN(20); k > 0; k-- {
				sb.WriteByte(alpha[r.IntN(len(alpha))])
			}
		default:
			sb.WriteString(soupWords[r.IntN(len(soupWords))])
		}
		if r.IntN(3) == 0 {
			sb.WriteByte(' ')
		}
	}
	return sb.String()
}

// TestGolden checks that the method's spans on the golden corpus are
// byte-identical to the committed ones. Optimisations must not change them;
// a deliberate behaviour change regenerates the file with -update-golden.
func TestGolden(t *testing.T) {
	m := mustNew(t, Options{})
	if *updateGolden {
		writeGolden(t, m)
		return
	}
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
	n, bad := 0, 0
	for sc.Scan() {
		var g goldenDoc
		if err := json.Unmarshal(sc.Bytes(), &g); err != nil {
			t.Fatal(err)
		}
		n++
		got := goldenSpans(m.Find(g.Text))
		if strings.Join(got, "|") != strings.Join(g.Spans, "|") {
			bad++
			if bad <= 10 {
				t.Errorf("Find(%q)\n got  %q\n want %q", g.Text, got, g.Spans)
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if n < 9000 {
		t.Fatalf("golden file has %d documents, want ≥ 9000", n)
	}
	if bad > 0 {
		t.Errorf("%d of %d documents differ from the golden spans", bad, n)
	}
}

func writeGolden(t *testing.T, m *Method) {
	if err := os.MkdirAll("testdata", 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(goldenPath)
	if err != nil {
		t.Fatal(err)
	}
	zw, err := gzip.NewWriterLevel(f, gzip.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	enc := json.NewEncoder(zw)
	enc.SetEscapeHTML(false)
	counts := map[string]int{}
	for _, text := range goldenCorpus(t) {
		spans := m.Find(text)
		for _, s := range spans {
			counts[s.Label]++
		}
		if err := enc.Encode(goldenDoc{Text: text, Spans: goldenSpans(spans)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s; spans per class: %v", goldenPath, counts)
}
