package tokenize

import (
	"reflect"
	"strings"
	"testing"

	"github.com/piimask/piimask/record"
)

var testLM = NewLabelMap([]string{"FIRSTNAME", "LASTNAME", "CITY", "EMAIL", "PHONE", "COUNTRY"})

func encode(t testing.TB, text string) *Encoding {
	t.Helper()
	enc, err := testTokenizer{}.Encode(text, true)
	if err != nil {
		t.Fatal(err)
	}
	return enc
}

// names renders label ids as strings, "-" for IgnoreLabel.
func names(ids []int) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		if id == IgnoreLabel {
			out[i] = "-"
		} else {
			out[i] = testLM.ID2Label[id]
		}
	}
	return out
}

func sp(s, e int, l string) record.Span { return record.Span{Start: s, End: e, Label: l} }

func TestAlignBIO(t *testing.T) {
	tests := []struct {
		name       string
		text       string
		spans      []record.Span
		all, first string // space-separated expected labels, specials included
		tokens     string // expected tokens, as a check on the test tokenizer
		misaligned int
		roundTrip  int // spans surviving the round trip (both strategies)
	}{
		{
			name:      "multi-token entities",
			text:      "Jean Dupont habite à Paris",
			spans:     []record.Span{sp(0, 4, "FIRSTNAME"), sp(5, 11, "LASTNAME"), sp(21, 26, "CITY")},
			tokens:    "[CLS] Jea ##n Dup ##ont hab ##ite à Par ##is [SEP]",
			all:       "- B-FIRSTNAME I-FIRSTNAME B-LASTNAME I-LASTNAME O O O B-CITY I-CITY -",
			first:     "- B-FIRSTNAME - B-LASTNAME - O - O B-CITY - -",
			roundTrip: 3,
		},
		{
			name:      "entity over several words and punctuation",
			text:      "mail: jean.dupont@mail.fr merci",
			spans:     []record.Span{sp(6, 25, "EMAIL")},
			tokens:    "[CLS] mai ##l : jea ##n . dup ##ont @ mai ##l . fr mer ##ci [SEP]",
			all:       "- O O O B-EMAIL I-EMAIL I-EMAIL I-EMAIL I-EMAIL I-EMAIL I-EMAIL I-EMAIL I-EMAIL I-EMAIL O O -",
			first:     "- O - O B-EMAIL - I-EMAIL I-EMAIL - I-EMAIL I-EMAIL - I-EMAIL I-EMAIL O - -",
			roundTrip: 1,
		},
		{
			name:      "adjacent entities of the same class stay apart",
			text:      "Jean Paul",
			spans:     []record.Span{sp(0, 4, "FIRSTNAME"), sp(5, 9, "FIRSTNAME")},
			tokens:    "[CLS] Jea ##n Pau ##l [SEP]",
			all:       "- B-FIRSTNAME I-FIRSTNAME B-FIRSTNAME I-FIRSTNAME -",
			first:     "- B-FIRSTNAME - B-FIRSTNAME - -",
			roundTrip: 2,
		},
		{
			name:      "touching entities inside one word on token boundaries",
			text:      "ParFra",
			spans:     []record.Span{sp(0, 3, "CITY"), sp(3, 6, "COUNTRY")},
			tokens:    "[CLS] Par ##Fra [SEP]",
			all:       "- B-CITY B-COUNTRY -",
			first:     "- B-CITY B-COUNTRY -",
			roundTrip: 2,
		},
		{
			name:      "entity inside a word on token boundaries",
			text:      "abcJean",
			spans:     []record.Span{sp(3, 7, "FIRSTNAME")},
			tokens:    "[CLS] abc ##Jea ##n [SEP]",
			all:       "- O B-FIRSTNAME I-FIRSTNAME -",
			first:     "- O B-FIRSTNAME - -",
			roundTrip: 1,
		},
		{
			name:      "entity ending inside a word on a token boundary",
			text:      "Jeaabc",
			spans:     []record.Span{sp(0, 3, "FIRSTNAME")},
			tokens:    "[CLS] Jea ##abc [SEP]",
			all:       "- B-FIRSTNAME O -",
			first:     "- B-FIRSTNAME O -",
			roundTrip: 1,
		},
		{
			name:       "entity boundary inside a token is reported, token labelled",
			text:       "MrJean",
			spans:      []record.Span{sp(2, 6, "FIRSTNAME")},
			tokens:     "[CLS] MrJ ##ean [SEP]",
			all:        "- B-FIRSTNAME I-FIRSTNAME -",
			first:      "- B-FIRSTNAME - -",
			misaligned: 1,
			roundTrip:  0,
		},
		{
			name:      "French accents, code-point offsets",
			text:      "Élodie habite à Montréal",
			spans:     []record.Span{sp(0, 6, "FIRSTNAME"), sp(16, 24, "CITY")},
			tokens:    "[CLS] Élo ##die hab ##ite à Mon ##tré ##al [SEP]",
			all:       "- B-FIRSTNAME I-FIRSTNAME O O O B-CITY I-CITY I-CITY -",
			first:     "- B-FIRSTNAME - O - O B-CITY - - -",
			roundTrip: 2,
		},
		{
			name:      "emoji before and after an entity",
			text:      "Appelle 📞 0612345678 😀",
			spans:     []record.Span{sp(10, 20, "PHONE")},
			tokens:    "[CLS] App ##ell ##e 📞 061 ##234 ##567 ##8 😀 [SEP]",
			all:       "- O O O O B-PHONE I-PHONE I-PHONE I-PHONE O -",
			first:     "- O - - O B-PHONE - - - O -",
			roundTrip: 1,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			enc := encode(t, tc.text)
			if got := strings.Join(enc.Tokens, " "); got != tc.tokens {
				t.Fatalf("tokens = %q, want %q", got, tc.tokens)
			}
			for _, c := range []struct {
				s    Strategy
				want string
			}{{AllSubTokens, tc.all}, {FirstSubToken, tc.first}} {
				ids, diag := AlignBIO(enc, tc.spans, testLM, c.s)
				if got := strings.Join(names(ids), " "); got != c.want {
					t.Errorf("%v labels\n got %s\nwant %s", c.s, got, c.want)
				}
				if diag.BoundaryInsideToken != tc.misaligned || len(diag.Misaligned) != tc.misaligned {
					t.Errorf("%v misaligned = %d (%v), want %d", c.s, diag.BoundaryInsideToken, diag.Misaligned, tc.misaligned)
				}
				if diag.Spans != len(tc.spans) || diag.NoToken != 0 || diag.UnknownLabel != 0 {
					t.Errorf("%v diag = %+v", c.s, diag)
				}
				rt := RoundTrip(enc, tc.spans, testLM, c.s)
				if rt.Gold != len(tc.spans) || rt.Survived != tc.roundTrip {
					t.Errorf("%v round trip = %+v, want %d of %d", c.s, rt, tc.roundTrip, len(tc.spans))
				}
			}
		})
	}
}

func TestAlignBIOMisalignmentDetail(t *testing.T) {
	enc := encode(t, "MrJean")
	_, diag := AlignBIO(enc, []record.Span{sp(2, 6, "FIRSTNAME")}, testLM, AllSubTokens)
	want := []Misalignment{{Span: 0, Label: "FIRSTNAME", Boundary: BoundaryStart, Offset: 2, Token: 1, TokenStart: 0, TokenEnd: 3}}
	if !reflect.DeepEqual(diag.Misaligned, want) {
		t.Fatalf("misaligned = %+v, want %+v", diag.Misaligned, want)
	}
	// Decoding gives the span widened to token boundaries, not the gold span.
	ids, _ := AlignBIO(enc, []record.Span{sp(2, 6, "FIRSTNAME")}, testLM, AllSubTokens)
	got := SpansFromLabels(enc, LabelNames(ids, testLM))
	if !reflect.DeepEqual(got, []record.Span{sp(0, 6, "FIRSTNAME")}) {
		t.Fatalf("decoded = %+v", got)
	}
}

func TestAlignBIODiagnostics(t *testing.T) {
	enc := encode(t, "Jean  Dupont")
	spans := []record.Span{
		sp(4, 6, "FIRSTNAME"), // whitespace only: no token
		sp(6, 12, "USERNAME"), // class not in the label map
		sp(0, 4, "FIRSTNAME"), // given out of order
		sp(2, 4, "LASTNAME"),  // overlaps the previous one, ends on a token boundary
	}
	ids, diag := AlignBIO(enc, spans, testLM, AllSubTokens)
	if diag.NoToken != 1 || diag.UnknownLabel != 1 || diag.Overlapping != 1 || diag.Spans != 4 {
		t.Fatalf("diag = %+v", diag)
	}
	// token Jea (0,3) straddles LASTNAME's start 2; it keeps FIRSTNAME.
	if diag.BoundaryInsideToken != 1 || diag.Misaligned[0].Span != 3 || diag.Misaligned[0].Boundary != BoundaryStart {
		t.Fatalf("misaligned = %+v", diag.Misaligned)
	}
	want := "- B-FIRSTNAME I-FIRSTNAME O O -"
	if got := strings.Join(names(ids), " "); got != want {
		t.Fatalf("labels = %s, want %s", got, want)
	}
}

func TestSpansFromLabels(t *testing.T) {
	enc := encode(t, "Jean Dupont habite à Paris")
	// tokens: [CLS] Jea ##n Dup ##ont hab ##ite à Par ##is [SEP]
	tests := []struct {
		name   string
		labels string
		want   []record.Span
	}{
		{"I after O starts a span", "O I-FIRSTNAME I-FIRSTNAME O O O O O O I-CITY O", []record.Span{sp(0, 4, "FIRSTNAME"), sp(24, 26, "CITY")}},
		{"I of another class starts a span", "O B-FIRSTNAME I-LASTNAME I-LASTNAME O O O O O O O", []record.Span{sp(0, 3, "FIRSTNAME"), sp(3, 8, "LASTNAME")}},
		{"B after B of the same class starts a new span", "O B-FIRSTNAME B-FIRSTNAME O O O O O O O O", []record.Span{sp(0, 3, "FIRSTNAME"), sp(3, 4, "FIRSTNAME")}},
		{"ignored sub-tokens follow their word", "O B-FIRSTNAME _ B-LASTNAME _ O _ O B-CITY _ O", []record.Span{sp(0, 4, "FIRSTNAME"), sp(5, 11, "LASTNAME"), sp(21, 26, "CITY")}},
		{"ignored first sub-token reads as O", "O _ _ I-LASTNAME _ O O O O O O", []record.Span{sp(5, 11, "LASTNAME")}},
		{"span over several words", "O B-FIRSTNAME I-FIRSTNAME I-FIRSTNAME I-FIRSTNAME O O O O O O", []record.Span{sp(0, 11, "FIRSTNAME")}},
		{"special token closes a span", "I-CITY O O O O O O O O I-CITY I-CITY", []record.Span{sp(24, 26, "CITY")}},
		{"S and E tags", "O S-FIRSTNAME I-FIRSTNAME I-LASTNAME E-LASTNAME I-LASTNAME O O O O O", []record.Span{sp(0, 3, "FIRSTNAME"), sp(3, 4, "FIRSTNAME"), sp(5, 11, "LASTNAME"), sp(12, 15, "LASTNAME")}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			labels := strings.Fields(strings.ReplaceAll(tc.labels, "_", "="))
			for i, l := range labels {
				if l == "=" {
					labels[i] = ""
				}
			}
			got := SpansFromLabels(enc, labels)
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestParseStrategy(t *testing.T) {
	for in, want := range map[string]Strategy{"first": FirstSubToken, "first_subtoken": FirstSubToken, "all": AllSubTokens, "all_subtokens": AllSubTokens} {
		got, err := ParseStrategy(in)
		if err != nil || got != want {
			t.Errorf("ParseStrategy(%q) = %v, %v", in, got, err)
		}
		if back, _ := ParseStrategy(got.String()); back != got {
			t.Errorf("String round trip of %v failed", got)
		}
	}
	if _, err := ParseStrategy("every"); err == nil {
		t.Error("ParseStrategy(every) gave no error")
	}
}

// corpus is a small mixed English/French corpus with gold spans, for the
// benchmark and the round-trip property test.
func corpus() []struct {
	text  string
	spans []record.Span
} {
	return []struct {
		text  string
		spans []record.Span
	}{
		{"Jean Dupont habite à Paris", []record.Span{sp(0, 4, "FIRSTNAME"), sp(5, 11, "LASTNAME"), sp(21, 26, "CITY")}},
		{"mail: jean.dupont@mail.fr merci", []record.Span{sp(6, 25, "EMAIL")}},
		{"Élodie habite à Montréal", []record.Span{sp(0, 6, "FIRSTNAME"), sp(16, 24, "CITY")}},
		{"Appelle 📞 0612345678 😀", []record.Span{sp(10, 20, "PHONE")}},
		{strings.Repeat("Please contact Marie Curie at marie.curie@example.org or call 0123456789 today. ", 8), nil},
	}
}

func BenchmarkAlignAndDecode(b *testing.B) {
	docs := corpus()
	encs := make([]*Encoding, len(docs))
	bytes := 0
	for i, d := range docs {
		encs[i] = encode(b, d.text)
		bytes += len(d.text)
	}
	b.SetBytes(int64(bytes))
	b.ResetTimer()
	for b.Loop() {
		for i, d := range docs {
			ids, _ := AlignBIO(encs[i], d.spans, testLM, FirstSubToken)
			_ = SpansFromLabels(encs[i], LabelNames(ids, testLM))
		}
	}
	b.ReportMetric(float64(b.N*len(docs))/b.Elapsed().Seconds(), "docs/s")
}
