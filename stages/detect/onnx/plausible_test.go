package onnx

import (
	"bufio"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/piimask/piimask/internal/train"
	"github.com/piimask/piimask/stages/generate/docs"
)

var updateWords = flag.Bool("update-words", false, "rewrite plausible_words.txt from out/prose/prose.txt and /usr/share/dict")

func TestPlausible(t *testing.T) {
	cases := []struct {
		label, text string
		want        bool
	}{
		{"EMAIL", "s.mitchell@mitchellhale.co.uk", true},
		{"EMAIL", "write", false},
		{"EMAIL", "Tuesday", false},
		{"EMAIL", "@ x", false},
		{"URL", "https://example.org/a", true},
		{"URL", "www.example", true},
		{"URL", "mitchellhale.co.uk", true},
		{"URL", "accounting", false},
		{"URL", "e.g", false},
		{"IPV4", "192.168.1.20", true},
		{"IPV4", "version", false},
		{"IPV6", "fe80::1ff:fe23:4567:890a", true},
		{"IPV6", "note: see: this", true}, // two colons and hex letters: kept (lenient)
		{"IPV6", "Monday", false},
		{"IP", "10.0.0.1", true},
		{"IP", "address", false},
		{"MAC", "25:04:17:b1:83:9e", true},
		{"MAC", "machine", false},
		{"PHONENUMBER", "+44 161 496 0732", true},
		{"PHONENUMBER", "call me", false},
		{"PHONENUMBER", "12 34", false},
		{"IBAN", "GB90 BARC 2041 8736 5029 14", true},
		{"IBAN", "GB90", false},
		{"CREDITCARDNUMBER", "4111 1111 1111 1111", true},
		{"CREDITCARDNUMBER", "4111 1111", false},
		{"PHONEIMEI", "35-209900-176148-1", true},
		{"SSN", "QQ 12 34 56 C", true},
		{"SSN", "123", false},
		{"ZIPCODE", "M3 4JQ", true},
		{"ZIPCODE", "Row", false},
		{"ACCOUNTNUMBER", "00123456", true},
		{"ACCOUNTNUMBER", "account", false},
		{"CREDITCARDCVV", "123", true},
		{"PIN", "12", false},
		{"MASKEDNUMBER", "****1234", true},
		{"BIC", "BARCGB22", true},
		{"BIC", "DEUTDEFF500", true},
		{"BIC", "barcgb22", false},
		{"BIC", "Barclays", false},
		{"BITCOINADDRESS", "1BoatSLRHtKNngkdXEeobR76b53LETtpyT", true},
		{"BITCOINADDRESS", "bitcoin", false},
		{"ETHEREUMADDRESS", "0x32Be343B94f860124dC4fEe278FDCBD38C102D88", true},
		{"VEHICLEVIN", "1HGCM82633A004352", true},
		{"VEHICLEVIN", "vehicle", false},
		{"VEHICLEVRM", "AB-123-CD", true},
		{"VEHICLEVRM", "plate", false},
		{"NEARBYGPSCOORDINATE", "[48.85, 2.35]", true},
		{"USERAGENT", "Mozilla/5.0 (X11)", true},
		{"USERAGENT", "browser", false},
		{"AGE", "42", true},
		{"AGE", "forty-two", true},
		{"AGE", "old", false},
		{"AMOUNT", "€1,200", true},
		{"AMOUNT", "price", false},
		{"BUILDINGNUMBER", "139 bis", true},
		{"HEIGHT", "1.80 m", true},
		{"DATE", "14 March 2025", true},
		{"DATE", "Tuesday", true},
		{"DATE", "22 août 1972", true},
		{"DATE", "mai", true},
		{"DATE", "soon", false},
		{"DOB", "1948-03-24", true},
		{"TIME", "6:43PM", true},
		{"TIME", "midnight", true},
		{"TIME", "later", false},
		{"FIRSTNAME", "Sarah", true},
		{"FIRSTNAME", "marie", true}, // a lower-case name that is no common word stays
		{"FIRSTNAME", "May", true},
		{"FIRSTNAME", "A", true}, // an initial
		{"FIRSTNAME", "Thank", false},
		{"FIRSTNAME", "Dear", false},
		{"FIRSTNAME", "lovely", false},
		{"LASTNAME", "Mitchell", true},
		{"LASTNAME", "Le", true},
		{"LASTNAME", "Du", true},
		{"CITY", "Chicago", true},
		{"CITY", "Row", true}, // capitalised: the rule does not judge it
		{"CITY", "Thank", false},
		{"CITY", "Tuesday", false},
		{"CITY", "the weather", false},
		{"STREET", "Cardington Row", true},
		{"STREET", "rue de la paix", true},
		{"STREET", "main street", true},
		{"STREET", "the weather", false},
		{"STATE", "OR", true},
		{"STATE", "ON", true},
		{"FIRSTNAME", "THE", false},
		{"FIRSTNAME", "-", false},
		{"LASTNAME", "WOOD", true},
		{"LASTNAME", "wood", false},
		{"VEHICLEVRM", "-8", false},
		{"STATE", "or", false},
		{"COMPANYNAME", "Mitchell & Hale Consulting Ltd", true},
		{"COMPANYNAME", "the conference", false},
		{"USERNAME", "like", false},
		{"USERNAME", "silverpanda_47", true},
		{"USERNAME", "frank_r", true},
		{"USERNAME", "amelia.wilson", true},
		{"PASSWORD", "hunter2", true},
		{"PASSWORD", "coffee", false},
		{"GENDER", "female", true},     // no rule
		{"JOBTITLE", "engineer", true}, // no rule
		{"PER", "write", true},         // another model's label: no rule
	}
	for _, c := range cases {
		if got := Plausible(c.label, c.text); got != c.want {
			t.Errorf("Plausible(%s, %q) = %v, want %v", c.label, c.text, got, c.want)
		}
	}
}

func TestPlausibleSpan(t *testing.T) {
	text := []rune("Please write to s.mitchell@mitchellhale.co.uk (like) or 952d:aa0d:6376::1 now.")
	cases := []struct {
		label, sub string
		want       bool
	}{
		{"EMAIL", "write", false},              // a whole word
		{"USERNAME", "like", false},            // whole inside its brackets
		{"EMAIL", "@mitchellhale.co.uk", true}, // a fragment of the e-mail
		{"IP", "952d:aa0d", true},              // a fragment of the address
		{"IP", "now", false},                   // whole before its full stop
		{"EMAIL", "s.mitchell@mitchellhale.co.uk", true},
	}
	for _, c := range cases {
		i := strings.Index(string(text), c.sub)
		start := len([]rune(string(text)[:i]))
		if got := plausibleSpan(c.label, text, start, start+len([]rune(c.sub))); got != c.want {
			t.Errorf("plausibleSpan(%s, %q) = %v, want %v", c.label, c.sub, got, c.want)
		}
	}
}

// TestPlausibleGeneratedGold checks the rules against the PII the
// generator writes (documents mode, the calibration seed 99): a rule that
// rejects more than 1% of a class's gold values, or more than 0.3% of all
// of them, is too strict. (Lower-case given names that are common words —
// "grace", "joy" in chat logs — are the expected losses.)
func TestPlausibleGeneratedGold(t *testing.T) {
	if testing.Short() {
		t.Skip("generates 1,000 documents")
	}
	g, err := docs.New(docs.Config{Seed: 99, N: 1000})
	if err != nil {
		t.Fatal(err)
	}
	total, rejected := map[string]int{}, map[string]int{}
	all, allRejected := 0, 0
	examples := map[string][]string{}
	for row := range g.All() {
		for _, e := range row.PrivacyMask {
			total[e.Label]++
			all++
			if !Plausible(e.Label, e.Value) {
				rejected[e.Label]++
				allRejected++
				if len(examples[e.Label]) < 5 {
					examples[e.Label] = append(examples[e.Label], e.Value)
				}
			}
		}
	}
	if all < 10000 {
		t.Fatalf("only %d gold spans generated", all)
	}
	for label, n := range rejected {
		t.Logf("%s: %d of %d gold values implausible, e.g. %q", label, n, total[label], examples[label])
		if float64(n) > 0.01*float64(total[label]) {
			t.Errorf("%s: %d of %d gold values rejected (> 1%%), e.g. %q", label, n, total[label], examples[label])
		}
	}
	if float64(allRejected) > 0.003*float64(all) {
		t.Errorf("%d of %d gold values rejected (> 0.3%%)", allRejected, all)
	}
}

// TestCommonWordsFile checks the embedded word list and, where the prose
// file and the Debian word lists are present, that it is exactly what they
// give (-update-words rewrites it).
func TestCommonWordsFile(t *testing.T) {
	root := filepath.Join("..", "..", "..")
	prose := filepath.Join(root, "out", "prose", "prose.txt")
	en, errEN := train.LoadDictionary("/usr/share/dict/american-english")
	fr, errFR := train.LoadDictionary("/usr/share/dict/french")
	if _, err := os.Stat(prose); err != nil || errEN != nil || errFR != nil {
		if *updateWords {
			t.Fatalf("-update-words needs %s (scripts/make-prose.sh) and wamerican, wfrench: %v %v %v", prose, err, errEN, errFR)
		}
		t.Logf("prose or word lists missing, list not compared with its sources: %v %v %v", err, errEN, errFR)
		prose = ""
	}
	var built []string
	if prose != "" {
		built = buildCommonWords(t, prose, map[string]*train.Dictionary{"en": en, "fr": fr})
	}
	if *updateWords {
		if err := os.WriteFile("plausible_words.txt", []byte(strings.Join(built, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	words := strings.Split(strings.TrimSuffix(commonWordsFile, "\n"), "\n")
	if len(words) < 5000 {
		t.Fatalf("plausible_words.txt has %d words", len(words))
	}
	if !slices.IsSorted(words) || len(slices.Compact(slices.Clone(words))) != len(words) {
		t.Error("plausible_words.txt is not sorted and unique")
	}
	for _, w := range []string{"write", "like", "weather", "coffee", "lovely", "accounting", "écrire"} {
		if _, ok := commonWords[w]; !ok {
			t.Errorf("common word %q missing", w)
		}
	}
	for _, w := range []string{"john", "pierre", "paris", "smith", "mitchell"} {
		if _, ok := commonWords[w]; ok {
			t.Errorf("%q (a name, rare as a common word) is in the list", w)
		}
	}
	if prose != "" && !slices.Equal(built, words) {
		t.Errorf("plausible_words.txt (%d words) differs from what the prose and word lists give (%d): rerun with -update-words", len(words), len(built))
	}
}

// buildCommonWords lists the lower-case words that occur at least twice in
// lower case in prose lines of one language and are in its dictionary.
func buildCommonWords(t *testing.T, prose string, dicts map[string]*train.Dictionary) []string {
	t.Helper()
	f, err := os.Open(prose)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	counts := map[string]map[string]int{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		lang, text, ok := strings.Cut(sc.Text(), "\t")
		if !ok || dicts[lang] == nil {
			continue
		}
		if counts[lang] == nil {
			counts[lang] = map[string]int{}
		}
		for _, w := range strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) }) {
			if strings.ToLower(w) == w {
				counts[lang][w]++
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	set := map[string]bool{}
	for lang, c := range counts {
		for w, n := range c {
			if n >= 2 && dicts[lang].Has(w) {
				set[w] = true
			}
		}
	}
	out := make([]string, 0, len(set))
	for w := range set {
		out = append(out, w)
	}
	slices.Sort(out)
	return out
}
