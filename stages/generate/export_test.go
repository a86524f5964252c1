package generate

import (
	"strings"
	"testing"

	"github.com/piimask/piimask/internal/checksum"
)

// TestValues checks the exported value drawer: checksum-valid IBANs and
// cards, no surrounding spaces, French formats when asked.
func TestValues(t *testing.T) {
	v := NewValues(NewFaker(3, 1))
	for i := 0; i < 500; i++ {
		for _, c := range Classes() {
			s := v.Draw(c, i%2 == 0)
			if s == "" || strings.TrimSpace(s) != s {
				t.Fatalf("%s: %q", c, s)
			}
		}
		if iban := v.Draw("IBAN", i%2 == 0); !checksum.IBAN(checksum.CompactIBAN(iban)) {
			t.Fatalf("invalid IBAN %q", iban)
		}
		if card := strings.ReplaceAll(v.Draw("CREDITCARDNUMBER", false), " ", ""); !checksum.Luhn(card) {
			t.Fatalf("card %q fails Luhn", card)
		}
	}
	if got := v.Date(2020, 2020, true); !strings.Contains(got, "2020") {
		t.Errorf("date %q", got)
	}
}

// TestNewRow checks the derived columns of a row built from text and entities.
func TestNewRow(t *testing.T) {
	r := NewRow("x", "en", "train", "Hi Émile, bye", []Entity{{Value: "Émile", Start: 3, End: 8, Label: "FIRSTNAME"}})
	if r.MaskedText != "Hi [FIRSTNAME_1], bye" || r.TargetText != r.MaskedText {
		t.Errorf("masked %q", r.MaskedText)
	}
	if r.SpanLabels != `[[0, 3, "O"], [3, 8, "FIRSTNAME"], [8, 13, "O"]]` {
		t.Errorf("span labels %s", r.SpanLabels)
	}
}
