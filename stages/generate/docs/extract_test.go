package docs

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCleanSentence(t *testing.T) {
	en := map[string]bool{"It": true, "the": true, "weather": true, "was": true, "lovely": true, "and": true, "coffee": true, "excellent": true,
		"i": true, "I": true, "told": true, "bill": true, "Bill": true, "that": true, "it": true, "rained": true, "on": true, "tuesday": false,
		"Tuesday": true, "a": true, "good": true, "plan": true, "is": true, "worth": true, "more": true, "than": true, "perfect": true, "one": true}
	for _, tc := range []struct {
		s    string
		want bool
	}{
		{"The weather was lovely and the coffee was excellent.", true},
		{"I told the weather that it rained and it was lovely.", true},
		{"I told Bill that the weather was lovely.", false},           // a name mid-sentence
		{"Bill told the weather that it was lovely.", false},          // a proper noun first
		{"The weather was lovely on Tuesday and the coffee.", false},  // capital mid-sentence
		{"The weather was lovely and the coffee was 5 stars.", false}, // digit
		{"The weather was lovely, write to a@b.c about it.", false},
		{"the weather was lovely and the coffee was excellent.", false}, // no capital start
		{"A good plan is worth more than a perfect one.", true},
		{"A good plan is worth more than a perfekt one.", false}, // not a dictionary word
	} {
		if got := cleanSentence(tc.s, en, false); got != tc.want {
			t.Errorf("%q: got %v, want %v", tc.s, got, tc.want)
		}
	}
	fr := map[string]bool{"l": true, "homme": true, "est": true, "parti": true, "de": true, "bonne": true, "heure": true, "ce": true, "matin": true, "avec": true, "Pierre": true, "pierre": true}
	if !cleanSentence("L'homme est parti de bonne heure ce matin.", fr, true) {
		t.Error("French elision sentence dropped")
	}
	if cleanSentence("L'homme est parti avec Pierre ce matin.", fr, true) {
		t.Error("French sentence with a name kept")
	}
}

func TestSplitSentences(t *testing.T) {
	got := splitSentences("It rained. The game was off! Was it? yes, e.g. this one.")
	want := []string{"It rained.", "The game was off!", "Was it? yes, e.g. this one."}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("got %q", got)
	}
}

func TestExtractProse(t *testing.T) {
	dir := t.TempDir()
	w := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	src := ProseSources{
		FortuneFiles: []string{w("fortunes", "A good plan today is better than a perfect plan tomorrow.\n\t\t-- George Patton\n%\nQ: What is it?\nA: Nothing at all, really.\n%\nCall me on 555 1234 at home, my good friend.\n%\n")},
		WordNetData:  []string{w("data.noun", "  1 This software and database is being provided\n00001740 03 n 01 entity 0 | that which is perceived; \"the plan was better than expected today\"\n")},
		ManPagesFR:   []string{w("ls.1", ".TH LS 1\n.SH NOM\nls \\- lister\n.PP\nCette commande affiche le contenu des dossiers de la machine.\n.TP\n\\fB\\-a\\fP\ninclure les entrées cachées du dossier courant.\n")},
		DictEN:       w("en", strings.Join(strings.Fields("a good plan today is better than perfect tomorrow the was expected call me on at home my friend"), "\n")),
		DictFR:       w("fr", strings.Join(strings.Fields("cette commande affiche le contenu des dossiers de la machine inclure les entrées cachées du dossier courant"), "\n")),
	}
	var out bytes.Buffer
	st, err := ExtractProse(context.Background(), src, &out)
	if err != nil {
		t.Fatal(err)
	}
	want := "en\tA good plan today is better than a perfect plan tomorrow.\nen\tThe plan was better than expected today.\nfr\tCette commande affiche le contenu des dossiers de la machine.\n"
	if out.String() != want {
		t.Errorf("got\n%s\nwant\n%s", out.String(), want)
	}
	if st.Fortunes != 1 || st.WordNet != 1 || st.ManFR != 1 {
		t.Errorf("stats %+v", st)
	}
	if _, err := ExtractProse(context.Background(), ProseSources{DictEN: filepath.Join(dir, "missing")}, &out); err == nil {
		t.Error("missing word list: no error")
	}
}

func TestAgreeFR(t *testing.T) {
	for _, tc := range [][3]string{
		{"f:la livraison", "a été reporté{|e}", "la livraison a été reportée"},
		{"le colis", "a été reporté{|e}", "le colis a été reporté"},
		{"f:la salle", "est complet{|ète} en août", "la salle est complète en août"},
		{"le train", "est complet{|ète} en août", "le train est complet en août"},
		{"f:la météo", "était très agréable", "la météo était très agréable"},
	} {
		if got := agreeFR(tc[0], tc[1]); got != tc[2] {
			t.Errorf("agreeFR(%q, %q) = %q, want %q", tc[0], tc[1], got, tc[2])
		}
	}
}
