package rules

import (
	"fmt"
	"testing"
)

// TestScanStartsMatchesFindAll checks that the fast anchored scanner accepts
// exactly the candidates an unanchored FindAll over the whole text accepts.
func TestScanStartsMatchesFindAll(t *testing.T) {
	m := mustNew(t, Options{})
	var d doc
	for _, text := range append(benchCorpus(300), "ID4111111111111111 x", "AB06 12 34 56 78", "1.2.3.4.5 and fe80::1:") {
		d.reset(text)
		for _, r := range m.recs {
			if r.group != 0 {
				continue
			}
			slow := fmt.Sprint(m.scan(&d, r, 0, len(text), nil))
			fast := fmt.Sprint(m.scanStarts(&d, r, 0, len(text), nil))
			if slow != fast {
				t.Fatalf("%s on %q:\n FindAll %s\n starts  %s", r.class, text, slow, fast)
			}
		}
	}
}
