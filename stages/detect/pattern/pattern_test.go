package pattern

import (
	"context"
	"math"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/piimask/piimask/record"
	"github.com/piimask/piimask/stages/detect"
)

func ptrInt(v int) *int           { return &v }
func ptrFloat(v float64) *float64 { return &v }

// at returns the code-point span of the n-th (0-based) occurrence of sub in text.
func at(t *testing.T, text, sub string, n int) (int, int) {
	t.Helper()
	off := 0
	for i := 0; ; i++ {
		k := strings.Index(text[off:], sub)
		if k < 0 {
			t.Fatalf("%q not found %d times in %q", sub, n+1, text)
		}
		if i == n {
			s := utf8.RuneCountInString(text[:off+k])
			return s, s + utf8.RuneCountInString(sub)
		}
		off += k + len(sub)
	}
}

func employee() Recognizer {
	return Recognizer{Name: "employee-id", Label: "EMPLOYEE_ID",
		Patterns: []Pattern{{Name: "emp", Regex: `\bEMP-\d{6}\b`, Score: 0.3}},
		Context:  []string{"employee", "staff", "employé"}}
}

type want struct {
	sub   string
	n     int
	label string
	score float64
	valid bool
}

func TestFind(t *testing.T) {
	empAfter := employee()
	empAfter.ContextWindow, empAfter.ContextAfter = ptrInt(0), ptrInt(2)
	lowScore := employee()
	lowScore.Patterns[0].Score = 0.01
	sensitive := employee()
	sensitive.CaseSensitive = true
	tests := []struct {
		name     string
		rec      Recognizer
		text     string
		language string
		want     []want
	}{
		{"context word boosts", employee(), "Our employee EMP-123456 joined.", "",
			[]want{{"EMP-123456", 0, "EMPLOYEE_ID", 0.65, false}}},
		{"no context: pattern score", employee(), "Reference EMP-123456 in the ledger.", "",
			[]want{{"EMP-123456", 0, "EMPLOYEE_ID", 0.3, false}}},
		{"context word inside a longer word (Presidio's rule), any case", employee(), "STAFFING note: EMP-123456", "",
			[]want{{"EMP-123456", 0, "EMPLOYEE_ID", 0.65, false}}},
		{"context word six words before: outside the default window of 5", employee(), "employee one two three four five EMP-123456", "",
			[]want{{"EMP-123456", 0, "EMPLOYEE_ID", 0.3, false}}},
		{"context word five words before: inside", employee(), "employee one two three four EMP-123456", "",
			[]want{{"EMP-123456", 0, "EMPLOYEE_ID", 0.65, false}}},
		{"context after the match only with context_after", empAfter, "employee EMP-123456 x staff; EMP-654321 is new", "",
			[]want{{"EMP-123456", 0, "EMPLOYEE_ID", 0.65, false}, {"EMP-654321", 0, "EMPLOYEE_ID", 0.3, false}}},
		{"context_min_score floors the boosted score", lowScore, "employee EMP-123456", "",
			[]want{{"EMP-123456", 0, "EMPLOYEE_ID", 0.4, false}}},
		{"patterns ignore case by default", employee(), "id emp-123456", "",
			[]want{{"emp-123456", 0, "EMPLOYEE_ID", 0.3, false}}},
		{"case_sensitive patterns", sensitive, "id emp-123456 and EMP-000001", "",
			[]want{{"EMP-000001", 0, "EMPLOYEE_ID", 0.3, false}}},
		{"non-ASCII text: code-point offsets", employee(), "Zoë Châtelain, employée n° EMP-123456 — 東京 大阪 名古屋 札幌 福岡 EMP-999999", "",
			[]want{{"EMP-123456", 0, "EMPLOYEE_ID", 0.65, false}, {"EMP-999999", 0, "EMPLOYEE_ID", 0.3, false}}},
		{"deny list: whole words, case-insensitive, longest term first",
			Recognizer{Name: "projects", Label: "PROJECT", DenyList: []string{"Falcon", "Project Falcon"}},
			"project falcon, Falconry and FALCON. Falcon's", "",
			[]want{{"project falcon", 0, "PROJECT", 1, false}, {"FALCON", 0, "PROJECT", 1, false}, {"Falcon", 1, "PROJECT", 1, false}}},
		{"deny list: a glued longest term falls back to a shorter one",
			Recognizer{Name: "city", Label: "CITY", DenyList: []string{"New York", "New"}, DenyListScore: ptrFloat(0.8)},
			"New Yorker in New York", "",
			[]want{{"New", 0, "CITY", 0.8, false}, {"New York", 1, "CITY", 0.8, false}}},
		{"deny list case_sensitive",
			Recognizer{Name: "p", Label: "PROJECT", DenyList: []string{"Falcon"}, CaseSensitive: true},
			"falcon Falcon", "",
			[]want{{"Falcon", 0, "PROJECT", 1, false}}},
		{"deny list in non-ASCII text",
			Recognizer{Name: "p", Label: "PROJECT", DenyList: []string{"Opération Éclair"}},
			"L'opération éclair d'Élodie; opération éclairée", "",
			[]want{{"opération éclair", 0, "PROJECT", 1, false}}},
		{"validator: a bad checksum is dropped, a good one scores 1",
			Recognizer{Name: "member", Label: "ACCOUNTNUMBER", Validator: "luhn",
				Patterns: []Pattern{{Regex: `\b\d{4}(?:[ -]?\d{4}){3}\b`, Score: 0.2}}},
			"card 4111 1111 1111 1111 and 4111-1111-1111-1112", "",
			[]want{{"4111 1111 1111 1111", 0, "ACCOUNTNUMBER", 1, true}}},
		{"validator iban", Recognizer{Name: "iban", Label: "IBAN", Validator: "iban",
			Patterns: []Pattern{{Regex: `\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){3,7}(?: ?[A-Z0-9]{1,3})?\b`, Score: 0.1}}, CaseSensitive: true},
			"GB82 WEST 1234 5698 7654 32 vs GB83 WEST 1234 5698 7654 32", "",
			[]want{{"GB82 WEST 1234 5698 7654 32", 0, "IBAN", 1, true}}},
		{"languages: skipped for another language",
			Recognizer{Name: "p", Label: "PROJECT", DenyList: []string{"Falcon"}, Languages: []string{"fr"}},
			"Falcon", "en", nil},
		{"languages: run for its language",
			Recognizer{Name: "p", Label: "PROJECT", DenyList: []string{"Falcon"}, Languages: []string{"fr"}},
			"Falcon", "FR", []want{{"Falcon", 0, "PROJECT", 1, false}}},
		{"languages: a document without a language is searched",
			Recognizer{Name: "p", Label: "PROJECT", DenyList: []string{"Falcon"}, Languages: []string{"fr"}},
			"Falcon", "", []want{{"Falcon", 0, "PROJECT", 1, false}}},
		{"two patterns on one span: the higher score is kept, a contained lower one dropped",
			Recognizer{Name: "p", Label: "EMPLOYEE_ID", Patterns: []Pattern{{Regex: `EMP-\d{6}`, Score: 0.5}, {Regex: `EMP-\d{6}`, Score: 0.7}, {Regex: `\d{6}`, Score: 0.2}}},
			"EMP-123456", "", []want{{"EMP-123456", 0, "EMPLOYEE_ID", 0.7, false}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, err := New("custom", Options{Recognizers: []Recognizer{tc.rec}})
			if err != nil {
				t.Fatal(err)
			}
			got := m.Find(tc.text, tc.language)
			var exp []record.Span
			for _, w := range tc.want {
				s, e := at(t, tc.text, w.sub, w.n)
				exp = append(exp, record.Span{Start: s, End: e, Label: w.label, Score: w.score, Validated: w.valid})
			}
			record.SortSpans(exp)
			if len(got) != len(exp) {
				t.Fatalf("got %d spans %+v, want %+v", len(got), got, exp)
			}
			for i := range got {
				g, w := got[i], exp[i]
				if g.Start != w.Start || g.End != w.End || g.Label != w.Label || g.Validated != w.Validated || math.Abs(g.Score-w.Score) > 1e-9 {
					t.Errorf("span %d: got %+v, want %+v", i, g, w)
				}
			}
		})
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		rec  Recognizer
		path string
		msg  string
	}{
		{"unbalanced regex", Recognizer{Name: "a", Label: "X", Patterns: []Pattern{{Regex: `EMP-(\d{6}`, Score: 0.5}}}, "recognizers[0].patterns[0].regex", "missing closing )"},
		{"lookbehind is not RE2", Recognizer{Name: "a", Label: "X", Patterns: []Pattern{{Regex: `(?<=id )\d+`, Score: 0.5}}}, "recognizers[0].patterns[0].regex", "no lookaround"},
		{"empty match", Recognizer{Name: "a", Label: "X", Patterns: []Pattern{{Regex: `\d*`, Score: 0.5}}}, "recognizers[0].patterns[0].regex", "matches the empty string"},
		{"score out of range", Recognizer{Name: "a", Label: "X", Patterns: []Pattern{{Regex: `x`, Score: 1.5}}}, "recognizers[0].patterns[0].score", "[0, 1]"},
		{"unknown validator", Recognizer{Name: "a", Label: "X", Validator: "crc32", Patterns: []Pattern{{Regex: `x`, Score: 0.5}}}, "recognizers[0].validator", `unknown validator "crc32" (known: bic, bitcoin, ethereum, iban, imei, litecoin, luhn, nir, ssn, vin)`},
		{"bad label", Recognizer{Name: "a", Label: "employee id", DenyList: []string{"x"}}, "recognizers[0].label", "upper-case"},
		{"nothing to find", Recognizer{Name: "a", Label: "X"}, "recognizers[0]", "give patterns or a deny_list"},
		{"context phrase", Recognizer{Name: "a", Label: "X", DenyList: []string{"x"}, Context: []string{"employee id"}}, "recognizers[0].context[0]", "one word"},
		{"window too large", Recognizer{Name: "a", Label: "X", DenyList: []string{"x"}, Context: []string{"id"}, ContextWindow: ptrInt(1000)}, "recognizers[0].context_window", "[0, 100]"},
		{"window without context", Recognizer{Name: "a", Label: "X", DenyList: []string{"x"}, ContextWindow: ptrInt(3)}, "recognizers[0].context", "need context words"},
		{"empty deny term", Recognizer{Name: "a", Label: "X", DenyList: []string{" "}}, "recognizers[0].deny_list[0]", "empty term"},
		{"boost out of range", Recognizer{Name: "a", Label: "X", DenyList: []string{"x"}, Context: []string{"id"}, ContextBoost: ptrFloat(-0.1)}, "recognizers[0].context_boost", "[0, 1]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ps := Validate(&Options{Recognizers: []Recognizer{tc.rec}})
			if len(ps) != 1 {
				t.Fatalf("want one problem, got %v", ps)
			}
			if ps[0].Path != tc.path || !strings.Contains(ps[0].Message, tc.msg) {
				t.Fatalf("got %s: %s, want %s: …%s…", ps[0].Path, ps[0].Message, tc.path, tc.msg)
			}
			if _, err := New("x", Options{Recognizers: []Recognizer{tc.rec}}); err == nil {
				t.Fatal("New accepted what Validate refused")
			}
		})
	}
	if ps := Validate(&Options{Recognizers: []Recognizer{employee(), employee()}}); len(ps) != 1 || ps[0].Path != "recognizers[1].name" {
		t.Fatalf("duplicate names: %v", ps)
	}
	if ps := Validate(&Options{}); len(ps) != 1 || ps[0].Path != "recognizers" {
		t.Fatalf("no recognizers: %v", ps)
	}
}

func TestRegistryAndDetect(t *testing.T) {
	reg := detect.NewRegistry()
	Register(reg)
	opts := detect.Options{"recognizers": []any{map[string]any{
		"name": "employee-id", "label": "EMPLOYEE_ID", "context": []any{"employee"},
		"patterns": []any{map[string]any{"regex": `EMP-\d{6}`, "score": 0.3}},
	}}}
	m, err := reg.New(context.Background(), detect.Spec{Name: "custom", Type: Type, Options: opts})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	preds, err := m.Detect(context.Background(), []record.Record{{Text: "employee EMP-123456"}, {Text: "nothing"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(preds) != 2 || len(preds[0].Spans) != 1 || preds[0].Spans[0].Score != 0.65 || len(preds[1].Spans) != 0 {
		t.Fatalf("got %+v", preds)
	}
	if m.Name() != "custom" || strings.Join(m.(*Method).EnabledClasses(), ",") != "EMPLOYEE_ID" {
		t.Fatalf("name %q classes %v", m.Name(), m.(*Method).EnabledClasses())
	}
	bad := detect.Options{"recognizers": []any{map[string]any{"name": "x", "label": "X", "denylist": []any{"a"}}}}
	if _, err := reg.New(context.Background(), detect.Spec{Name: "custom", Type: Type, Options: bad}); err == nil || !strings.Contains(err.Error(), "denylist") {
		t.Fatalf("unknown key: %v", err)
	}
}

// A pathological pattern for a backtracking engine stays linear in RE2.
func TestLinearTime(t *testing.T) {
	m, err := New("x", Options{Recognizers: []Recognizer{{Name: "evil", Label: "X", Patterns: []Pattern{{Regex: `(a+)+b`, Score: 0.5}}}}})
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Repeat("a", 200_000) + "!"
	if spans := m.Find(text, ""); len(spans) != 0 {
		t.Fatalf("got %d spans", len(spans))
	}
}
