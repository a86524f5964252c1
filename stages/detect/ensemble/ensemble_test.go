package ensemble

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/piimask/piimask/record"
	"github.com/piimask/piimask/stages/detect"
	"github.com/piimask/piimask/stages/detect/rules"
	"github.com/piimask/piimask/stages/mask"
)

const letter = "Dear Mr. Thompson,\n\nThank you for meeting with us last Tuesday in Chicago. " +
	"We were glad to hear that the pilot went well. You can reach me at " +
	"sarah.mitchell@northwind-consulting.com or +1 312 555 0147. Please send the " +
	"deposit to IBAN GB82 WEST 1234 5698 7654 32 before the end of the month. " +
	"The weather was lovely and the coffee at the conference was excellent.\n\n" +
	"Best regards,\nSarah Mitchell"

// junk is one model span given by its text (the first occurrence at or
// after the previous one's start).
type junk struct{ label, text string }

// fakeModel emits fixed spans located by their text, as an overeager
// token classifier would.
type fakeModel struct {
	name  string
	spans []junk
	fail  string
}

func (f *fakeModel) Name() string { return f.name }
func (f *fakeModel) Close() error { return nil }
func (f *fakeModel) Detect(_ context.Context, batch []record.Record) ([]detect.Prediction, error) {
	out := make([]detect.Prediction, len(batch))
	for i, r := range batch {
		out[i].Failure = f.fail
		out[i].Diagnostics = map[string]int{"seen": 1}
		for _, j := range f.spans {
			b := strings.Index(r.Text, j.text)
			if b < 0 {
				return nil, fmt.Errorf("fake: %q not in text", j.text)
			}
			s := len([]rune(r.Text[:b]))
			out[i].Spans = append(out[i].Spans, record.Span{Start: s, End: s + len([]rune(j.text)), Label: j.label, Score: 0.9})
		}
	}
	return out, nil
}

// letterModel is the junk the issue shows: the e-mail cut into three, the
// IBAN overlapped, and real guesses elsewhere.
func letterModel() *fakeModel {
	return &fakeModel{name: "model", spans: []junk{
		{"EMAIL", "sarah"},
		{"USERNAME", ".mitchell@north"},
		{"URL", "wind-consulting.com"},
		{"USERNAME", "You can reach me at sarah.mitchell@north"}, // longer than the e-mail
		{"EMAIL", "northwind-consulting.com or +1"},              // same class, crosses its end
		{"PHONENUMBER", "1234 5698"},
		{"ACCOUNTNUMBER", "IBAN GB82"},
		{"LASTNAME", "Thompson"},
		{"CITY", "Chicago"},
		{"EMAIL", "Tuesday"},
		{"FIRSTNAME", "Sarah Mitchell"},
	}}
}

func spanTexts(text string, spans []record.Span) []string {
	r := []rune(text)
	out := make([]string, len(spans))
	for i, s := range spans {
		out[i] = s.Label + "=" + string(r[s.Start:s.End])
	}
	return out
}

func TestLetterEvidenceWins(t *testing.T) {
	rm, err := rules.New(rules.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, mode := range []string{mask.EnsembleUnion, mask.EnsemblePriority} {
		t.Run(mode, func(t *testing.T) {
			// The model first: under priority it outranks rules, and the
			// validated spans must still win.
			ens, err := New("ens", mode, letterModel(), rm)
			if err != nil {
				t.Fatal(err)
			}
			preds, err := ens.Detect(context.Background(), []record.Record{{ID: "letter", Text: letter}})
			if err != nil {
				t.Fatal(err)
			}
			got := strings.Join(spanTexts(letter, preds[0].Spans), " | ")
			want := strings.Join([]string{
				"LASTNAME=Thompson",
				"EMAIL=Tuesday", // a model span elsewhere is kept: the rule judges overlaps, not the model
				"CITY=Chicago",
				"EMAIL=sarah.mitchell@northwind-consulting.com",
				"PHONENUMBER=+1 312 555 0147",
				"IBAN=GB82 WEST 1234 5698 7654 32",
				"FIRSTNAME=Sarah Mitchell",
			}, " | ")
			if got != want {
				t.Errorf("spans\n got %s\nwant %s", got, want)
			}
			for _, s := range preds[0].Spans {
				if (s.Label == "EMAIL" && s.Len() > 10 || s.Label == "IBAN") != s.Validated {
					t.Errorf("%s %d-%d: validated = %v", s.Label, s.Start, s.End, s.Validated)
				}
			}
			if preds[0].Diagnostics["model/seen"] != 1 {
				t.Errorf("diagnostics = %v, want model/seen", preds[0].Diagnostics)
			}
		})
	}
}

// TestLetterMaskJobSamePolicy: the mask job's Masker, given the two
// methods' spans, masks exactly the ensemble's spans.
func TestLetterMaskJobSamePolicy(t *testing.T) {
	rm, err := rules.New(rules.Options{})
	if err != nil {
		t.Fatal(err)
	}
	model := letterModel()
	recs := []record.Record{{Text: letter}}
	rp, _ := rm.Detect(context.Background(), recs)
	mp, _ := model.Detect(context.Background(), recs)
	ms := []mask.MethodSpans{{Method: "rules", Spans: rp[0].Spans}, {Method: "model", Spans: mp[0].Spans}}
	masker, err := mask.New(mask.Config{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := masker.Mask(letter, ms)
	if err != nil {
		t.Fatal(err)
	}
	ens, _ := New("ens", mask.EnsembleUnion, rm, model)
	ep, err := ens.Detect(context.Background(), recs)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Replacements) != len(ep[0].Spans) {
		t.Fatalf("mask replaced %d spans, ensemble gave %d", len(res.Replacements), len(ep[0].Spans))
	}
	for i, r := range res.Replacements {
		s := ep[0].Spans[i]
		if r.Start != s.Start || r.End != s.End || r.Label != s.Label {
			t.Errorf("replacement %d = %d-%d %s, ensemble span %d-%d %s", i, r.Start, r.End, r.Label, s.Start, s.End, s.Label)
		}
	}
	for _, frag := range []string{"[EMAIL_1].mitchell", "[USERNAME", "[URL"} {
		if strings.Contains(res.Text, frag) {
			t.Errorf("masked text holds a fragment %q: %s", frag, res.Text)
		}
	}
	if !strings.Contains(res.Text, "You can reach me at [EMAIL_2] or [PHONENUMBER_1].") {
		t.Errorf("e-mail not masked whole: %s", res.Text)
	}
}

func TestMemberFailure(t *testing.T) {
	ens, _ := New("ens", "", &fakeModel{name: "a", spans: []junk{{"CITY", "Chicago"}}}, &fakeModel{name: "b", fail: "gave up"})
	p, err := ens.Detect(context.Background(), []record.Record{{Text: letter}})
	if err != nil {
		t.Fatal(err)
	}
	if p[0].Failure != "b: gave up" || len(p[0].Spans) != 0 {
		t.Errorf("prediction = %+v, want failure from b and no spans", p[0])
	}
}

func TestRegistryOptions(t *testing.T) {
	reg := detect.NewRegistry()
	rules.Register(reg)
	Register(reg)
	reg.Register("fake", func(_ context.Context, spec detect.Spec) (detect.Method, error) {
		m := letterModel()
		m.name = spec.Name
		return m, nil
	})
	ctx := context.Background()
	good := detect.Spec{Name: "policy", Type: Type, Options: detect.Options{
		"mode":    "priority",
		"methods": []any{map[string]any{"type": "rules"}, map[string]any{"name": "baseline", "type": "fake"}},
	}}
	m, err := reg.New(ctx, good)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if m.Name() != "policy" {
		t.Errorf("name = %q", m.Name())
	}
	p, err := m.Detect(ctx, []record.Record{{Text: letter}})
	if err != nil {
		t.Fatal(err)
	}
	if got := spanTexts(letter, p[0].Spans); len(got) != 7 || got[3] != "EMAIL=sarah.mitchell@northwind-consulting.com" {
		t.Errorf("spans = %v", got)
	}
	bad := []struct {
		name string
		opts detect.Options
		want string
	}{
		{"no members", detect.Options{"mode": "union"}, "at least one member"},
		{"bad mode", detect.Options{"mode": "vote", "methods": []any{map[string]any{"type": "rules"}}}, `mode "vote"`},
		{"unknown type", detect.Options{"methods": []any{map[string]any{"type": "nope"}}}, `methods[0]: method "nope": unknown type "nope"`},
		{"missing type", detect.Options{"methods": []any{map[string]any{"name": "x"}}}, "methods[0]: type is required"},
		{"duplicate name", detect.Options{"methods": []any{map[string]any{"type": "rules"}, map[string]any{"type": "rules"}}}, `methods[1]: name "rules" used twice`},
		{"unknown option", detect.Options{"members": []any{}}, "members"},
		{"member options checked", detect.Options{"methods": []any{map[string]any{"type": "rules", "options": map[string]any{"min_score": 3}}}}, "min_score"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			_, err := reg.New(ctx, detect.Spec{Name: "e", Type: Type, Options: tt.opts})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to mention %q", err, tt.want)
			}
		})
	}
}
