package mask

import (
	"bytes"
	"errors"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/piimask/piimask/internal/checksum"
	"github.com/piimask/piimask/record"
)

var testKeys = Keys{
	Hash:      []byte("hash-secret-0123456789"),
	Pseudonym: []byte("pseudonym-secret-0123456789"),
	Encrypt:   []byte("encrypt-secret-0123456789"),
}

func one(method string, spans ...record.Span) []MethodSpans {
	return []MethodSpans{{Method: method, Spans: spans}}
}

func mustMask(t *testing.T, cfg Config, text string, preds []MethodSpans) Result {
	t.Helper()
	m, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	res, err := m.Mask(text, preds)
	if err != nil {
		t.Fatalf("Mask: %v", err)
	}
	return res
}

// checkOffsets verifies that every replacement sits at its masked offsets
// and covers its original at the original offsets.
func checkOffsets(t *testing.T, text string, res Result) {
	t.Helper()
	in, out := record.NewOffsets(text), record.NewOffsets(res.Text)
	for _, r := range res.Replacements {
		if got, err := in.Slice(text, r.Start, r.End); err != nil || got != r.Original {
			t.Errorf("original [%d,%d) = %q (%v), want %q", r.Start, r.End, got, err, r.Original)
		}
		if got, err := out.Slice(res.Text, r.MaskedStart, r.MaskedEnd); err != nil || got != r.Replacement {
			t.Errorf("masked [%d,%d) = %q (%v), want %q", r.MaskedStart, r.MaskedEnd, got, err, r.Replacement)
		}
	}
}

func TestOperators(t *testing.T) {
	text := "Zoé Müller paid with 4111 1111 1111 1111, Zoé again."
	spans := one("gold", sp(0, 3, "FIRSTNAME"), sp(4, 10, "LASTNAME"), sp(21, 40, "CREDITCARDNUMBER"), sp(42, 45, "FIRSTNAME"))
	tests := []struct {
		name string
		op   OperatorSpec
		want string // exact output, or "" to check with re
		re   string
	}{
		{"placeholder numbers per value", OperatorSpec{Type: OpPlaceholder}, "[FIRSTNAME_1] [LASTNAME_1] paid with [CREDITCARDNUMBER_1], [FIRSTNAME_1] again.", ""},
		{"redact removes", OperatorSpec{Type: OpRedact}, "  paid with ,  again.", ""},
		{"mask keeps last 4", OperatorSpec{Type: OpMask, KeepLast: 4}, "Zoé **ller paid with ***************1111, Zoé again.", ""},
		{"mask other char, keep more than length", OperatorSpec{Type: OpMask, Char: "#", KeepLast: 3}, "Zoé ###ler paid with ################111, Zoé again.", ""},
		{"keep", OperatorSpec{Type: OpKeep}, text, ""},
		{"hash truncated hex", OperatorSpec{Type: OpHash, Length: 12}, "", `^([0-9a-f]{12}) [0-9a-f]{12} paid with [0-9a-f]{12}, ([0-9a-f]{12}) again\.$`},
		{"encrypt token", OperatorSpec{Type: OpEncrypt}, "", `^ENC\(FIRSTNAME:([\w-]+)\) ENC\(LASTNAME:[\w-]+\) paid with ENC\(CREDITCARDNUMBER:[\w-]+\), ENC\(FIRSTNAME:([\w-]+)\) again\.$`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := mustMask(t, Config{Default: tt.op, Keys: testKeys}, text, spans)
			if tt.want != "" && res.Text != tt.want {
				t.Errorf("got  %q\nwant %q", res.Text, tt.want)
			}
			if tt.re != "" {
				m := regexp.MustCompile(tt.re).FindStringSubmatch(res.Text)
				if m == nil {
					t.Fatalf("got %q, want match of %s", res.Text, tt.re)
				}
				if len(m) == 3 && m[1] != m[2] {
					t.Errorf("same value hashed differently: %s vs %s", m[1], m[2])
				}
			}
			if len(res.Replacements) != 4 {
				t.Fatalf("%d replacements, want 4", len(res.Replacements))
			}
			for _, r := range res.Replacements {
				if r.Operator != tt.op.Type || r.Method != "gold" {
					t.Errorf("replacement %+v: operator/method wrong", r)
				}
			}
			checkOffsets(t, text, res)
		})
	}
}

func TestPerClassOverride(t *testing.T) {
	text := "Anna, card 4111111111111111"
	res := mustMask(t, Config{Default: OperatorSpec{Type: OpPlaceholder}, PerClass: map[string]OperatorSpec{"CREDITCARDNUMBER": {Type: OpMask, KeepLast: 4}}},
		text, one("m", sp(0, 4, "FIRSTNAME"), sp(11, 27, "CREDITCARDNUMBER")))
	if want := "[FIRSTNAME_1], card ************1111"; res.Text != want {
		t.Errorf("got %q, want %q", res.Text, want)
	}
}

func TestHashKey(t *testing.T) {
	spans := one("m", sp(0, 4, "FIRSTNAME"))
	if _, err := New(Config{Default: OperatorSpec{Type: OpHash}}); err == nil || !strings.Contains(err.Error(), EnvHashKey) {
		t.Errorf("hash without key: err = %v, want one naming %s", err, EnvHashKey)
	}
	if _, err := New(Config{Default: OperatorSpec{Type: OpHash}, Keys: Keys{Hash: []byte("short")}}); err == nil {
		t.Error("hash with a 5-byte key accepted")
	}
	a := mustMask(t, Config{Default: OperatorSpec{Type: OpHash}, Keys: Keys{Hash: []byte("key-one-0123456789")}}, "Anna", spans)
	a2 := mustMask(t, Config{Default: OperatorSpec{Type: OpHash}, Keys: Keys{Hash: []byte("key-one-0123456789")}}, "Anna", spans)
	b := mustMask(t, Config{Default: OperatorSpec{Type: OpHash}, Keys: Keys{Hash: []byte("key-two-0123456789")}}, "Anna", spans)
	if a.Text != a2.Text {
		t.Errorf("same key, different hashes: %q %q", a.Text, a2.Text)
	}
	if a.Text == b.Text {
		t.Errorf("different keys, same hash %q", a.Text)
	}
	if len(a.Text) != 16 {
		t.Errorf("default hash length %d, want 16", len(a.Text))
	}
}

func TestPseudonyms(t *testing.T) {
	p1, _ := NewPseudonymizer(testKeys.Pseudonym)
	p2, _ := NewPseudonymizer(testKeys.Pseudonym) // "another run"
	other, _ := NewPseudonymizer([]byte("another-pseudonym-key-xyz"))
	tests := []struct {
		label, value string
		valid        func(string) bool
	}{
		{"FIRSTNAME", "Zoé", nil},
		{"LASTNAME", "Müller", nil},
		{"EMAIL", "zoe.muller@example.fr", func(s string) bool { return regexp.MustCompile(`^[a-z]+\.[a-z]+@[a-z0-9.-]+$`).MatchString(s) }},
		{"PHONENUMBER", "+33 6 12 34 56 78", func(s string) bool { return regexp.MustCompile(`^\+\d\d \d \d\d \d\d \d\d \d\d$`).MatchString(s) }},
		{"CREDITCARDNUMBER", "4111 1111 1111 1111", func(s string) bool {
			return checksum.Luhn(strings.ReplaceAll(s, " ", "")) && len(s) == 19 && s[0] == '4' && s[4] == ' '
		}},
		{"CREDITCARDNUMBER", "5500005555555559", func(s string) bool { return checksum.Luhn(s) && len(s) == 16 }},
		{"IBAN", "FR76 3000 6000 0112 3456 7890 189", func(s string) bool {
			return checksum.IBAN(checksum.CompactIBAN(s)) && strings.HasPrefix(s, "FR") && s[4] == ' '
		}},
		{"IBAN", "DE89370400440532013000", func(s string) bool { return checksum.IBAN(s) && strings.HasPrefix(s, "DE") }},
		{"VEHICLEVIN", "1HGCM82633A004352", func(s string) bool { return checksum.VIN(s) && strings.HasPrefix(s, "1HG") }},
		{"DATE", "2021-03-14", func(s string) bool { return regexp.MustCompile(`^\d{4}-\d\d-\d\d$`).MatchString(s) }},
		{"DOB", "March 14, 1990", func(s string) bool { return regexp.MustCompile(`^[A-Z][a-z]+ \d{1,2}, \d{4}$`).MatchString(s) }},
		{"STREET", "rue de la Paix", nil},
		{"ZIPCODE", "75002", func(s string) bool { return regexp.MustCompile(`^\d{5}$`).MatchString(s) }},
	}
	for _, tt := range tests {
		t.Run(tt.label+"/"+tt.value, func(t *testing.T) {
			got := p1.Pseudonym(tt.label, tt.value)
			if got == tt.value || got == "" {
				t.Fatalf("pseudonym %q is the original or empty", got)
			}
			if again := p2.Pseudonym(tt.label, tt.value); again != got {
				t.Errorf("not deterministic across instances: %q vs %q", got, again)
			}
			if o := other.Pseudonym(tt.label, tt.value); o == got {
				t.Errorf("another key gives the same pseudonym %q", o)
			}
			if tt.valid != nil && !tt.valid(got) {
				t.Errorf("pseudonym %q of %q is not a valid %s", got, tt.value, tt.label)
			}
		})
	}
}

func TestPseudonymConsistentAcrossDocuments(t *testing.T) {
	cfg := Config{Default: OperatorSpec{Type: OpPseudonym}, Keys: testKeys}
	m, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	d1, _ := m.Mask("Anna Schmidt wrote.", one("m", sp(0, 4, "FIRSTNAME"), sp(5, 12, "LASTNAME")))
	d2, _ := m.Mask("Call Anna Schmidt today", one("m", sp(5, 9, "FIRSTNAME"), sp(10, 17, "LASTNAME")))
	if d1.Replacements[0].Replacement != d2.Replacements[0].Replacement || d1.Replacements[1].Replacement != d2.Replacements[1].Replacement {
		t.Errorf("one person, two pseudonyms: %q vs %q", d1.Text, d2.Text)
	}
	if strings.Contains(d1.Text+d2.Text, "Anna") {
		t.Errorf("original left: %q %q", d1.Text, d2.Text)
	}
}

func TestEncryptRoundTrip(t *testing.T) {
	text := "Mail zoé@exemple.fr and zoé@exemple.fr"
	res := mustMask(t, Config{Default: OperatorSpec{Type: OpEncrypt}, Keys: testKeys}, text, one("m", sp(5, 19, "EMAIL"), sp(24, 38, "EMAIL")))
	if res.Replacements[0].Replacement != res.Replacements[1].Replacement {
		t.Error("encryption is not deterministic")
	}
	enc, _ := NewEncrypter(testKeys.Encrypt)
	back, err := enc.Decrypt(res.Text)
	if err != nil || back != text {
		t.Errorf("decrypt = %q, %v; want %q", back, err, text)
	}
	wrong, _ := NewEncrypter([]byte("not-the-right-key-0000"))
	if _, err := wrong.Decrypt(res.Text); err == nil {
		t.Error("decrypt with a wrong key succeeded")
	}
}

func TestResolveOverlaps(t *testing.T) {
	c := func(s, e int, l, m string, rank int, score float64) Candidate {
		return Candidate{Span: record.Span{Start: s, End: e, Label: l, Score: score}, Method: m, Rank: rank}
	}
	tests := []struct {
		name   string
		in     []Candidate
		byRank bool
		want   []record.Span
	}{
		{"same class overlaps merge", []Candidate{c(0, 5, "CITY", "a", 0, .5), c(3, 9, "CITY", "b", 1, .9)}, false, []record.Span{{Start: 0, End: 9, Label: "CITY", Score: .9}}},
		{"longer wins without rank", []Candidate{c(0, 4, "FIRSTNAME", "a", 0, .9), c(0, 9, "USERNAME", "b", 1, .1)}, false, []record.Span{{Start: 0, End: 9, Label: "USERNAME", Score: .1}}},
		{"rank wins under priority", []Candidate{c(0, 4, "FIRSTNAME", "a", 0, .9), c(0, 9, "USERNAME", "b", 1, .1)}, true, []record.Span{{Start: 0, End: 4, Label: "FIRSTNAME", Score: .9}}},
		{"equal length: higher score", []Candidate{c(2, 6, "ZIPCODE", "a", 0, .4), c(4, 8, "PIN", "b", 1, .8)}, false, []record.Span{{Start: 4, End: 8, Label: "PIN", Score: .8}}},
		{"disjoint both kept", []Candidate{c(5, 8, "PIN", "a", 0, 0), c(0, 3, "AGE", "a", 0, 0)}, false, []record.Span{{Start: 0, End: 3, Label: "AGE"}, {Start: 5, End: 8, Label: "PIN"}}},
		{"deny list rank beats longer", []Candidate{c(0, 9, "USERNAME", "b", 1, 1), c(2, 4, "CUSTOM", "deny_list", -1, 1)}, false, []record.Span{{Start: 2, End: 4, Label: "CUSTOM", Score: 1}}},
		{"out of range dropped", []Candidate{c(8, 12, "PIN", "a", 0, 0)}, false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ResolveCandidates(tt.in, 10, tt.byRank)
			if len(got) != len(tt.want) {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
			for i := range got {
				if got[i].Span != tt.want[i] {
					t.Errorf("span %d = %+v, want %+v", i, got[i].Span, tt.want[i])
				}
			}
			for i := 1; i < len(got); i++ {
				if got[i-1].End > got[i].Start {
					t.Errorf("overlap left: %+v %+v", got[i-1], got[i])
				}
			}
		})
	}
}

func TestEnsembles(t *testing.T) {
	text := "Anna Lee lives in Paris"
	preds := []MethodSpans{
		{Method: "a", Spans: []record.Span{sp(0, 4, "FIRSTNAME"), sp(18, 23, "CITY")}},
		{Method: "b", Spans: []record.Span{sp(0, 8, "FIRSTNAME")}},
		{Method: "c", Spans: []record.Span{sp(0, 4, "FIRSTNAME"), sp(5, 8, "LASTNAME")}},
	}
	tests := []struct{ mode, want string }{
		{EnsembleUnion, "[FIRSTNAME_1] lives in [CITY_1]"},     // a and b merge (same class) into 0-8
		{EnsembleMajority, "[FIRSTNAME_1] Lee lives in Paris"}, // 0-4 has 3 votes, 5-8 FIRSTNAME 1, LASTNAME 1, CITY 1
		{EnsemblePriority, "[FIRSTNAME_1] lives in [CITY_1]"},  // same-class merge first, LASTNAME loses to rank
	}
	for _, tt := range tests {
		t.Run(tt.mode, func(t *testing.T) {
			res := mustMask(t, Config{Ensemble: tt.mode}, text, preds)
			if res.Text != tt.want {
				t.Errorf("got %q, want %q", res.Text, tt.want)
			}
		})
	}
	// Priority versus union when classes differ: b's USERNAME is longer.
	p2 := []MethodSpans{{Method: "a", Spans: []record.Span{sp(0, 4, "FIRSTNAME")}}, {Method: "b", Spans: []record.Span{sp(0, 8, "USERNAME")}}}
	if got := mustMask(t, Config{Ensemble: EnsemblePriority}, text, p2).Text; got != "[FIRSTNAME_1] Lee lives in Paris" {
		t.Errorf("priority: %q", got)
	}
	if got := mustMask(t, Config{Ensemble: EnsembleUnion}, text, p2).Text; got != "[USERNAME_1] lives in Paris" {
		t.Errorf("union: %q", got)
	}
	if _, err := New(Config{Ensemble: "vote"}); err == nil {
		t.Error("unknown ensemble accepted")
	}
}

func TestSelection(t *testing.T) {
	text := "Anna from ACME in Paris, project Bluebird, bluebird-x, Zoé"
	preds := []MethodSpans{{Method: "m", Spans: []record.Span{
		{Start: 0, End: 4, Label: "FIRSTNAME", Score: 0.9},
		{Start: 10, End: 14, Label: "COMPANYNAME", Score: 0.4},
		{Start: 18, End: 23, Label: "CITY", Score: 0.95},
		{Start: 55, End: 58, Label: "FIRSTNAME", Score: 0.3},
	}}}
	tests := []struct {
		name string
		sel  Selection
		want string
	}{
		{"all", Selection{}, "[FIRSTNAME_1] from [COMPANYNAME_1] in [CITY_1], project Bluebird, bluebird-x, [FIRSTNAME_2]"},
		{"include", Selection{Include: []string{"CITY"}}, "Anna from ACME in [CITY_1], project Bluebird, bluebird-x, Zoé"},
		{"exclude", Selection{Exclude: []string{"CITY", "COMPANYNAME"}}, "[FIRSTNAME_1] from ACME in Paris, project Bluebird, bluebird-x, [FIRSTNAME_2]"},
		{"min score per class and default", Selection{MinScore: map[string]float64{"FIRSTNAME": 0.5, "*": 0.5}}, "[FIRSTNAME_1] from ACME in [CITY_1], project Bluebird, bluebird-x, Zoé"},
		{"allow list case-insensitive", Selection{Allow: []string{" paris ", "acme"}}, "[FIRSTNAME_1] from ACME in Paris, project Bluebird, bluebird-x, [FIRSTNAME_2]"},
		{"deny list on word edges, bypasses include", Selection{Include: []string{"CITY"}, Deny: []DenyTerm{{Term: "bluebird"}, {Term: "zoé", Label: "CODENAME"}}},
			"Anna from ACME in [CITY_1], project [CUSTOM_1], [CUSTOM_2]-x, [CODENAME_1]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := mustMask(t, Config{Selection: tt.sel}, text, preds)
			if res.Text != tt.want {
				t.Errorf("got  %q\nwant %q", res.Text, tt.want)
			}
			checkOffsets(t, text, res)
		})
	}
	// A deny term inside a word is not matched.
	res := mustMask(t, Config{Selection: Selection{Deny: []DenyTerm{{Term: "bird"}}}}, text, nil)
	if res.Text != text {
		t.Errorf("deny term matched inside a word: %q", res.Text)
	}
}

func TestNonASCIIOffsets(t *testing.T) {
	text := "日本の田中さん 📞 +81 90-1234-5678, émail: tanaka@例え.jp"
	phoneStart := strings.Index(text, "+81")
	off := record.NewOffsets(text)
	ps := off.CodePoint(phoneStart)
	es := off.CodePoint(strings.Index(text, "tanaka"))
	preds := one("m", sp(3, 5, "LASTNAME"), sp(ps, ps+16, "PHONENUMBER"), sp(es, off.Len(), "EMAIL"))
	for _, op := range OperatorTypes() {
		t.Run(op, func(t *testing.T) {
			res := mustMask(t, Config{Default: OperatorSpec{Type: op}, Keys: testKeys}, text, preds)
			if !utf8.ValidString(res.Text) {
				t.Fatal("invalid UTF-8")
			}
			checkOffsets(t, text, res)
			if op != OpKeep && (strings.Contains(res.Text, "田中") || strings.Contains(res.Text, "tanaka@例え.jp")) {
				t.Errorf("original left in %q", res.Text)
			}
		})
	}
}

func TestVaultRoundTrip(t *testing.T) {
	text := "Zoé Müller, IBAN FR7630006000011234567890189, Zoé."
	m, _ := New(Config{Default: OperatorSpec{Type: OpPlaceholder}, PerClass: map[string]OperatorSpec{"IBAN": {Type: OpPseudonym}}, Keys: testKeys})
	res, err := m.Mask(text, one("m", sp(0, 3, "FIRSTNAME"), sp(4, 10, "LASTNAME"), sp(17, 44, "IBAN"), sp(46, 49, "FIRSTNAME")))
	if err != nil {
		t.Fatal(err)
	}
	v, err := NewVault([]byte("vault-secret-0123456789"))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	h, _ := v.Header()
	buf.Write(h)
	rec, _ := v.Record(EntryOf("doc-1", res.Replacements))
	buf.Write(rec)
	if bytes.Contains(buf.Bytes(), []byte("Müller")) || bytes.Contains(buf.Bytes(), []byte("FR763000")) {
		t.Fatal("vault holds a plaintext original")
	}
	r, err := v.OpenVault(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	e, err := r.Next()
	if err != nil {
		t.Fatal(err)
	}
	back, err := Unmask(res.Text, e)
	if err != nil || back != text {
		t.Errorf("unmask = %q, %v; want %q", back, err, text)
	}
	if _, err := Unmask("edited "+res.Text, e); err == nil {
		t.Error("unmask of an edited text succeeded")
	}
	wrong, _ := NewVault([]byte("another-secret-0123456789"))
	if _, err := wrong.OpenVault(bytes.NewReader(buf.Bytes())); !errors.Is(err, ErrWrongKey) {
		t.Errorf("wrong key: err = %v, want ErrWrongKey", err)
	}
	if _, err := NewVault(nil); err == nil || !strings.Contains(err.Error(), EnvVaultKey) {
		t.Errorf("no key: err = %v", err)
	}
}

func TestSummary(t *testing.T) {
	a, b := NewSummary(), NewSummary()
	a.Count([]Replacement{{Label: "CITY", Operator: OpMask}, {Label: "CITY", Operator: OpMask}})
	b.Count([]Replacement{{Label: "EMAIL", Operator: OpHash}})
	a.Add(b)
	if a.Documents != 2 || a.Masked != 3 || a.ByClass["CITY"] != 2 || a.ByOperator[OpHash] != 1 || a.ByBoth["CITY"][OpMask] != 2 {
		t.Errorf("summary %+v", a)
	}
}
