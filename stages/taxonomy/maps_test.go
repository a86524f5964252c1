package taxonomy

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/piimask/piimask/labels"
	"github.com/piimask/piimask/record"
)

// TestShippedTaxonomies checks every shipped map: the label count its
// dataset card gives, classes that exist, a group for every label, reverse
// maps that land in the label set and agree with the forward map.
func TestShippedTaxonomies(t *testing.T) {
	want := map[string]int{AI4Privacy200k: len(labels.All()), AI4Privacy300k: 27, AI4Privacy400k: 17, AI4Privacy500k: 20}
	for _, name := range Names() {
		t.Run(name, func(t *testing.T) { checkTaxonomy(t, name, want[name]) })
	}
}

func checkTaxonomy(t *testing.T, name string, want int) {
	tax, ok := Lookup(name)
	if !ok {
		t.Fatalf("Lookup(%q) failed", name)
	}
	if name == OpenPII {
		if tax.Name != AI4Privacy500k {
			t.Errorf("openpii is %s", tax.Name)
		}
		return
	}
	if n := len(tax.Labels()); want > 0 && n != want {
		t.Errorf("%s: %d labels, want %d", name, n, want)
	}
	seen := map[string]bool{}
	for _, l := range tax.Labels() {
		if seen[l] {
			t.Errorf("%s: %s twice", name, l)
		}
		seen[l] = true
		if c, ok := tax.To200k(l); ok && !labels.Known(c) {
			t.Errorf("%s: %s maps onto %s, not a 200k class", name, l, c)
		}
		g, ok := tax.Group(l)
		if !ok || g == GroupOther || !isGroup(g) {
			t.Errorf("%s: %s has group %q", name, l, g)
		}
		if c, ok := tax.To200k(l); ok && GroupOf(c) != g {
			t.Errorf("%s: %s is in group %s but its class %s in %s", name, l, g, c, GroupOf(c))
		}
	}
	for _, c := range labels.All() {
		l, ok := tax.From200k(c)
		if !ok {
			continue
		}
		if !tax.Has(l) {
			t.Errorf("%s: 200k %s maps onto %s, not one of its labels", name, c, l)
		}
		// Where the label names a 200k class, the way back leads to a
		// class of the same group.
		if back, ok := tax.To200k(l); ok && GroupOf(back) != GroupOf(c) {
			t.Errorf("%s: %s → %s → %s changes group", name, c, l, back)
		}
	}
}

// TestPresidioTypes checks that every entity type of presidio-research's
// set and of Presidio's common recognizers is known.
func TestPresidioTypes(t *testing.T) {
	tax, _ := Lookup(Presidio)
	for _, l := range []string{"PERSON", "STREET_ADDRESS", "GPE", "ORGANIZATION", "PHONE_NUMBER", "DATE_TIME", "TITLE",
		"CREDIT_CARD", "US_SSN", "AGE", "NRP", "ZIP_CODE", "EMAIL_ADDRESS", "DOMAIN_NAME", "IP_ADDRESS", "IBAN_CODE",
		"US_DRIVER_LICENSE", "LOCATION", "URL", "US_BANK_NUMBER", "US_PASSPORT", "US_ITIN", "CRYPTO", "MEDICAL_LICENSE", "UK_NHS"} {
		if !tax.Has(l) {
			t.Errorf("presidio lacks %s", l)
		}
	}
}

func TestMapperExamples(t *testing.T) {
	type tc struct {
		gold, pred MapSpec
		mode       string
		side       string // gold or pred
		in, out    string
		ok         bool
	}
	tests := []tc{
		// 400k gold onto 200k classes.
		{MapSpec{Name: AI4Privacy400k}, MapSpec{}, ModeClasses, "gold", "TELEPHONENUM", "PHONENUMBER", true},
		{MapSpec{Name: AI4Privacy400k}, MapSpec{}, ModeClasses, "gold", "GIVENNAME", "FIRSTNAME", true},
		{MapSpec{Name: AI4Privacy400k}, MapSpec{}, ModeClasses, "gold", "DRIVERLICENSENUM", "DRIVERLICENSENUM", false},
		{MapSpec{Name: AI4Privacy400k}, MapSpec{}, ModeClasses, "pred", "PHONENUMBER", "PHONENUMBER", true},
		// Without a map the 400k label is not a 200k class.
		{MapSpec{}, MapSpec{}, ModeClasses, "gold", "TELEPHONENUM", "TELEPHONENUM", false},
		// Groups: every shipped label has one; 200k predictions too.
		{MapSpec{Name: AI4Privacy400k}, MapSpec{}, ModeGroups, "gold", "DRIVERLICENSENUM", GroupIDNumber, true},
		{MapSpec{Name: Presidio}, MapSpec{}, ModeGroups, "gold", "PERSON", GroupPerson, true},
		{MapSpec{Name: Presidio}, MapSpec{}, ModeGroups, "pred", "LASTNAME", GroupPerson, true},
		{MapSpec{Name: OpenPII}, MapSpec{}, ModeGroups, "gold", "TITLE", GroupPerson, true},
		{MapSpec{}, MapSpec{}, ModeGroups, "gold", "FOO", "FOO", false},
		// Presidio predictions onto 200k gold.
		{MapSpec{}, MapSpec{Name: Presidio}, ModeClasses, "pred", "EMAIL_ADDRESS", "EMAIL", true},
		{MapSpec{}, MapSpec{Name: Presidio}, ModeClasses, "pred", "PERSON", "PERSON", false},
		// Reverse: 200k predictions scored in Presidio's types.
		{MapSpec{}, MapSpec{Name: "to-presidio"}, ModeClasses, "pred", "CREDITCARDNUMBER", "CREDIT_CARD", true},
		{MapSpec{}, MapSpec{Name: "to-presidio"}, ModeClasses, "gold", "STREET_ADDRESS", "STREET_ADDRESS", true},
		{MapSpec{}, MapSpec{Name: "to-ai4privacy-400k"}, ModeClasses, "pred", "LASTNAME", "SURNAME", true},
		// User maps still work, onto classes or groups.
		{MapSpec{Map: map[string]string{"PER": "FIRSTNAME"}}, MapSpec{}, ModeClasses, "gold", "PER", "FIRSTNAME", true},
		{MapSpec{Map: map[string]string{"PER": "PERSON"}}, MapSpec{}, ModeGroups, "gold", "PER", GroupPerson, true},
		{MapSpec{Name: AI4Privacy300k}, MapSpec{}, ModeClasses, "gold", "TEL", "PHONENUMBER", true},
		{MapSpec{Name: AI4Privacy200k}, MapSpec{}, ModeClasses, "gold", "IBAN", "IBAN", true},
	}
	for _, c := range tests {
		g, p, err := NewMappers(c.gold, c.pred, c.mode)
		if err != nil {
			t.Fatal(err)
		}
		m := g
		if c.side == "pred" {
			m = p
		}
		if out, ok := m.Map(c.in); out != c.out || ok != c.ok {
			t.Errorf("%+v: Map(%s) = %s, %v; want %s, %v", c, c.in, out, ok, c.out, c.ok)
		}
	}
	if _, _, err := NewMappers(MapSpec{Name: "nope"}, MapSpec{}, ""); err == nil {
		t.Error("unknown map name accepted")
	}
	if _, _, err := NewMappers(MapSpec{Name: "to-presidio"}, MapSpec{Name: "to-openpii"}, ""); err == nil {
		t.Error("two reverse maps onto different sets accepted")
	}
	if _, _, err := NewMappers(MapSpec{}, MapSpec{}, "tokens"); err == nil {
		t.Error("unknown taxonomy accepted")
	}
}

func TestParseMapArg(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "m.json")
	if err := os.WriteFile(p, []byte(`{"PER": "FIRSTNAME"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if s, err := ParseMapArg(p); err != nil || s.Map["PER"] != "FIRSTNAME" {
		t.Errorf("file: %+v %v", s, err)
	}
	if s, err := ParseMapArg("presidio"); err != nil || s.Name != "presidio" {
		t.Errorf("name: %+v %v", s, err)
	}
	if _, err := ParseMapArg("bogus"); err == nil {
		t.Error("bogus accepted")
	}
	bad := filepath.Join(dir, "bad.json")
	_ = os.WriteFile(bad, []byte(`["x"]`), 0o644)
	if _, err := ParseMapArg(bad); err == nil {
		t.Error("bad file accepted")
	}
}

func TestIgnore(t *testing.T) {
	gold := []record.Span{{Start: 0, End: 5, Label: "PER"}, {Start: 10, End: 15, Label: "ORG"}, {Start: 20, End: 25, Label: "LOC"}}
	kept, ignored := SplitIgnored(gold, map[string]bool{"ORG": true, "GPE": true}, func(l string) string {
		if l == "LOC" {
			return "GPE"
		}
		return l
	})
	if len(kept) != 1 || kept[0].Label != "PER" || len(ignored) != 2 {
		t.Fatalf("kept %v ignored %v", kept, ignored)
	}
	preds := []record.Span{{Start: 0, End: 5, Label: "X"}, {Start: 14, End: 18, Label: "Y"}, {Start: 15, End: 20, Label: "Z"}}
	got := DropOverlapping(preds, ignored)
	if want := []record.Span{preds[0], preds[2]}; !reflect.DeepEqual(got, want) {
		t.Errorf("DropOverlapping = %v, want %v", got, want)
	}
	if k, i := SplitIgnored(gold, nil, nil); len(k) != 3 || i != nil {
		t.Error("no ignore list changed the spans")
	}
}

func TestCounterAndDescribe(t *testing.T) {
	var c Counter
	if c.Sorted() != nil {
		t.Error("empty counter not nil")
	}
	for _, l := range []string{"SURNAME", "GIVENNAME", "SURNAME"} {
		c.Add(l)
	}
	got := c.Sorted()
	if want := []LabelCount{{"GIVENNAME", 1}, {"SURNAME", 2}}; !reflect.DeepEqual(got, want) {
		t.Errorf("Sorted = %v", got)
	}
	if d := DescribeUnmapped(got); !strings.Contains(d, "3 gold spans") || !strings.Contains(d, "GIVENNAME (1), SURNAME (2)") || !strings.Contains(d, "ai4privacy-400k") {
		t.Errorf("DescribeUnmapped = %q", d)
	}
}
