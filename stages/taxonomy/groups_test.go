package taxonomy

import (
	"testing"

	"github.com/piimask/piimask/labels"
)

func TestEveryClassHasOneGroup(t *testing.T) {
	seen := map[string]string{}
	for _, g := range groupClasses {
		for _, c := range g.classes {
			if prev, ok := seen[c]; ok {
				t.Errorf("%s is in %s and %s", c, prev, g.group)
			}
			seen[c] = g.group
		}
	}
	for _, c := range labels.All() {
		if seen[c] == "" {
			t.Errorf("200k class %s has no group", c)
		}
	}
}

func TestGroupOf(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"FIRSTNAME", GroupPerson}, {"EMAIL", GroupContact}, {"IBAN", GroupFinancial},
		{"CITY", GroupLocation}, {"DOB", GroupDateTime}, {"LOCATION", GroupLocation},
		{"NOT_A_CLASS", GroupOther}, {"", GroupOther},
	} {
		if got := GroupOf(tc.in); got != tc.want {
			t.Errorf("GroupOf(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
