package prompt

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/piimask/piimask/record"
)

func pool() []Example {
	var p []Example
	for i, name := range []string{"Anne", "Bruno", "Chloé", "David", "Émile", "Fanny"} {
		p = append(p, Example{Text: name + " habite ici " + strings.Repeat("!", i), Spans: []record.Span{{Start: 0, End: record.CodePointLen(name), Label: "FIRSTNAME"}}})
	}
	return p
}

func TestBuilderZeroShot(t *testing.T) {
	for _, c := range []struct{ lang, phrase, user string }{
		{"en", "Entity classes you may use", "Text:\nJean à Paris"},
		{"fr", "Classes d'entités autorisées", "Texte :\nJean à Paris"},
	} {
		b, err := New(Options{Language: c.lang, Classes: []string{"FIRSTNAME", "CITY", "CITY"}})
		if err != nil {
			t.Fatal(err)
		}
		msgs, err := b.Messages("Jean à Paris")
		if err != nil {
			t.Fatal(err)
		}
		if len(msgs) != 2 || msgs[0].Role != "system" || msgs[1].Role != "user" {
			t.Fatalf("%s: messages = %+v", c.lang, msgs)
		}
		sys := msgs[0].Content
		if !strings.Contains(sys, c.phrase) || !strings.Contains(sys, "- CITY\n- FIRSTNAME\n") || strings.Count(sys, "- CITY") != 1 {
			t.Errorf("%s: system prompt lacks the sorted class list:\n%s", c.lang, sys)
		}
		if strings.Contains(sys, "EMAIL") {
			t.Errorf("%s: system prompt names a class outside the label set", c.lang)
		}
		if msgs[1].Content != c.user {
			t.Errorf("%s: user = %q, want %q", c.lang, msgs[1].Content, c.user)
		}
	}
}

func TestBuilderFewShotDeterministic(t *testing.T) {
	opts := Options{Classes: []string{"FIRSTNAME"}, Shots: 3, Pool: pool(), Seed: 7}
	b1, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	b2, _ := New(opts)
	if !reflect.DeepEqual(b1.Examples(), b2.Examples()) || len(b1.Examples()) != 3 {
		t.Fatalf("same seed gave %v and %v", b1.Examples(), b2.Examples())
	}
	differs := false
	for seed := int64(8); seed < 20; seed++ {
		opts.Seed = seed
		b3, _ := New(opts)
		if !reflect.DeepEqual(b3.Examples(), b1.Examples()) {
			differs = true
		}
	}
	if !differs {
		t.Error("12 other seeds all drew the same examples")
	}
	msgs, err := b1.Conversation("Gaston habite ici", []record.Span{{Start: 0, End: 6, Label: "FIRSTNAME"}})
	if err != nil {
		t.Fatal(err)
	}
	roles := []string{}
	for _, m := range msgs {
		roles = append(roles, m.Role)
	}
	if strings.Join(roles, ",") != "system,user,assistant,user,assistant,user,assistant,user,assistant" {
		t.Fatalf("roles = %v", roles)
	}
	ex := b1.Examples()[0]
	if msgs[1].Content != "Text:\n"+ex.Text || msgs[2].Content != AnswerFromSpans(ex.Text, ex.Spans).String() {
		t.Errorf("first shot = %q / %q", msgs[1].Content, msgs[2].Content)
	}
	if msgs[8].Content != `{"entities":{"FIRSTNAME":["Gaston"]}}` {
		t.Errorf("final answer = %s", msgs[8].Content)
	}
}

func TestBuilderErrorsAndOverride(t *testing.T) {
	if _, err := New(Options{Classes: []string{"X"}, Shots: 7, Pool: pool()}); err == nil {
		t.Error("7 shots from a pool of 6 gave no error")
	}
	if _, err := New(Options{}); err == nil {
		t.Error("no classes gave no error")
	}
	if _, err := New(Options{Language: "de", Classes: []string{"X"}}); err == nil {
		t.Error("unknown language gave no error")
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "user.en.tmpl"), []byte("<<{{.Text}}>>"), 0o644)
	b, err := New(Options{Classes: []string{"X"}, Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if u, _ := b.User("abc"); u != "<<abc>>" {
		t.Errorf("override user = %q", u)
	}
	if !strings.Contains(b.System(), "- X") {
		t.Errorf("system template not the embedded one: %q", b.System())
	}
	os.WriteFile(filepath.Join(dir, "system.en.tmpl"), []byte("{{.Nope}}"), 0o644)
	if _, err := New(Options{Classes: []string{"X"}, Dir: dir}); err == nil || !strings.Contains(err.Error(), "system.en.tmpl") {
		t.Errorf("bad template error = %v", err)
	}
}
