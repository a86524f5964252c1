package docs

import (
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/piimask/piimask/stages/generate"
)

// overlaps reports whether any entity of r overlaps the code points [s, e).
func overlaps(r generate.Row, s, e int64) bool {
	for _, en := range r.PrivacyMask {
		if en.Start < e && en.End > s {
			return true
		}
	}
	return false
}

// isCapsLine reports whether line has at least four letters, all upper case.
func isCapsLine(line string) bool {
	n := 0
	for _, r := range line {
		if unicode.IsLetter(r) {
			if !unicode.IsUpper(r) {
				return false
			}
			n++
		}
	}
	return n >= 4
}

// TestCapitalisedNonPII checks that the documents carry capitalised words
// that are not PII: pool headings (Title Case or capitals) and banners on
// their own line, ALL CAPS lines without entities, Title Case product, team,
// event and work names inside sentences, all outside any entity; and that
// PII in capitals still occurs (names, cities), so context must decide.
func TestCapitalisedNonPII(t *testing.T) {
	headings := map[string]bool{}
	add := func(list []string) {
		for _, h := range list {
			headings[h] = true
			headings[strings.ToUpper(h)] = true
		}
	}
	for _, m := range []map[string][]string{domainHeadingsEN, domainHeadingsFR} {
		for _, l := range m {
			add(l)
		}
	}
	add(headingsEN)
	add(headingsFR)
	add(bannersEN)
	add(bannersFR)
	var names []string
	for _, l := range [][]string{teamsEN, teamsFR, eventsEN, eventsFR, worksEN, worksFR, menusEN, menusFR} {
		names = append(names, l...)
	}
	for _, f := range brandFirst {
		for _, s := range brandSecondEN {
			names = append(names, f+" "+s)
		}
	}

	rs := rows(t, Config{Seed: 21, N: 2000})
	var withHeading, withCaps, withName, capsPII int
	for _, r := range rs {
		var pos int64
		hasH, hasC := false, false
		for _, line := range strings.Split(r.SourceText, "\n") {
			n := int64(utf8.RuneCountInString(line))
			bare := strings.TrimSpace(strings.TrimRight(strings.TrimLeft(line, "-•* "), ": "))
			if headings[bare] {
				if overlaps(r, pos, pos+n) {
					t.Fatalf("%s: heading line %q overlaps an entity", r.ID, line)
				}
				hasH = true
			}
			if isCapsLine(line) && !overlaps(r, pos, pos+n) {
				hasC = true
			}
			pos += n + 1
		}
		found := false
		for _, nm := range names {
			for off := 0; ; {
				i := strings.Index(r.SourceText[off:], nm)
				if i < 0 {
					break
				}
				i += off
				off = i + len(nm)
				s := int64(utf8.RuneCountInString(r.SourceText[:i]))
				e := s + int64(utf8.RuneCountInString(nm))
				inside := false
				for _, en := range r.PrivacyMask {
					if en.Start < e && en.End > s {
						// a job title or company may contain a team or brand name
						// ("Customer Success Manager"); anything else is a defect
						if en.Label != "JOBTITLE" && en.Label != "COMPANYNAME" {
							t.Fatalf("%s: title %q overlaps %s entity %q", r.ID, nm, en.Label, en.Value)
						}
						inside = true
					}
				}
				if !inside {
					found = true
				}
			}
		}
		for _, e := range r.PrivacyMask {
			if (e.Label == "FIRSTNAME" || e.Label == "LASTNAME" || e.Label == "CITY") && isCapsLine(e.Value) {
				capsPII++
			}
		}
		if hasH {
			withHeading++
		}
		if hasC {
			withCaps++
		}
		if found {
			withName++
		}
	}
	share := func(k int) float64 { return float64(k) / float64(len(rs)) }
	t.Logf("documents with a pool heading line %.3f, an ALL CAPS line without PII %.3f, a Title Case name %.3f; capitalised name/city entities %d",
		share(withHeading), share(withCaps), share(withName), capsPII)
	if share(withHeading) < 0.25 {
		t.Errorf("pool heading lines in %.3f of documents, want >= 0.25", share(withHeading))
	}
	if share(withCaps) < 0.25 {
		t.Errorf("ALL CAPS lines without PII in %.3f of documents, want >= 0.25", share(withCaps))
	}
	if share(withName) < 0.15 {
		t.Errorf("Title Case product/team/event/work names in %.3f of documents, want >= 0.15", share(withName))
	}
	if capsPII < 200 {
		t.Errorf("%d capitalised name/city entities, want >= 200", capsPII)
	}
}

// TestCapitalisedReproducible checks that the new phenomena keep the output
// reproducible for a kind subset and a single language.
func TestCapitalisedReproducible(t *testing.T) {
	cfg := Config{Seed: 5, N: 200, Languages: []string{"fr"}, Kinds: []string{"email", "form", "notes", "chat"}}
	a, b := rows(t, cfg), rows(t, cfg)
	if !slices.EqualFunc(a, b, func(x, y generate.Row) bool {
		return x.ID == y.ID && x.SourceText == y.SourceText && slices.Equal(x.PrivacyMask, y.PrivacyMask)
	}) {
		t.Fatal("same config gave different rows")
	}
}
