package config

import (
	"errors"
	"strings"
	"testing"
)

// TestGenerateMode checks input.generate's mode, prose, clean_share and
// kinds keys: accepted with mode documents, errors with their line otherwise.
func TestGenerateMode(t *testing.T) {
	ok := "kind: evaluate\ninput:\n  generate: {mode: documents, n: 10, seed: 2, languages: [en], prose: p.txt, clean_share: 0.9, kinds: [email]}\noutput: {dir: o}\nmethods:\n  - {name: r, type: rules}\n"
	l, err := Load("x.yaml", []byte(ok), envOf(nil), testRules)
	if err != nil {
		t.Fatal(err)
	}
	if g := l.Job.Input.Generate; g.Mode != "documents" || g.Prose != "p.txt" || g.CleanShare != 0.9 || len(g.Kinds) != 1 {
		t.Fatalf("parsed %+v", *g)
	}
	for _, tc := range []struct{ gen, want string }{
		{"{mode: docs, n: 10}", "x.yaml:3: input.generate.mode: unknown mode \"docs\""},
		{"{n: 10, prose: p.txt}", "x.yaml:3: input.generate: prose, clean_share and kinds need mode: documents"},
		{"{mode: templates, n: 10, kinds: [email]}", "need mode: documents"},
		{"{mode: documents, n: 10, clean_share: 1.5}", "input.generate.clean_share: must be in [0, 0.99]"},
	} {
		y := "kind: evaluate\ninput:\n  generate: " + tc.gen + "\noutput: {dir: o}\nmethods:\n  - {name: r, type: rules}\n"
		_, err := Load("x.yaml", []byte(y), envOf(nil), testRules)
		var ps Problems
		if !errors.As(err, &ps) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want %q", tc.gen, err, tc.want)
		}
	}
}
