package mask

import (
	"slices"
	"strings"
	"testing"

	"github.com/piimask/piimask/record"
)

func TestPolicyValidate(t *testing.T) {
	key := []byte("0123456789abcdef0123")
	tests := []struct {
		name  string
		p     Policy
		keys  *Keys
		field string
		code  string
	}{
		{"zero policy is valid", Policy{}, &Keys{}, "", ""},
		{"unknown ensemble", Policy{Ensemble: "vote"}, nil, "ensemble", "unknown_ensemble"},
		{"unknown default operator", Policy{Operator: OperatorSpec{Type: "shred"}}, nil, "operator.type", "unknown_operator"},
		{"unknown class operator", Policy{Operators: map[string]OperatorSpec{"EMAIL": {Type: "x"}}}, nil, "operators.EMAIL.type", "unknown_operator"},
		{"keyed operator, keys not checked", Policy{Operator: OperatorSpec{Type: OpHash}}, nil, "", ""},
		{"keyed operator without key", Policy{Operator: OperatorSpec{Type: OpHash}}, &Keys{}, "operator.type", "operator_unavailable"},
		{"keyed operator with key", Policy{Operator: OperatorSpec{Type: OpEncrypt}}, &Keys{Encrypt: key}, "", ""},
		{"mask char", Policy{Operator: OperatorSpec{Type: OpMask, Char: "ab"}}, nil, "operator", "invalid_operator"},
		{"negative keep_last", Policy{Operators: map[string]OperatorSpec{"IBAN": {Type: OpMask, KeepLast: -1}}}, nil, "operators.IBAN", "invalid_operator"},
		{"threshold", Policy{MinScore: map[string]float64{"*": 1.01}}, nil, "min_score.*", "invalid_threshold"},
		{"empty deny", Policy{Deny: []DenyTerm{{Term: "ok"}, {Term: ""}}}, nil, "deny[1].term", "invalid_deny"},
		{"empty allow", Policy{Allow: []string{" "}}, nil, "allow[0]", "invalid_allow"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			errs := tc.p.Validate(tc.keys)
			if tc.field == "" {
				if len(errs) > 0 {
					t.Fatalf("unexpected %v", errs)
				}
				if _, err := New(tc.p.Config(Keys{Hash: key, Encrypt: key, Pseudonym: key})); err != nil {
					t.Fatalf("valid policy, New: %v", err)
				}
				return
			}
			if len(errs) != 1 || errs[0].Field != tc.field || errs[0].Code != tc.code {
				t.Fatalf("got %v, want %s %s", errs, tc.field, tc.code)
			}
		})
	}
}

func TestPolicyOverride(t *testing.T) {
	def := Policy{Operator: OperatorSpec{Type: OpRedact}, Operators: map[string]OperatorSpec{"IBAN": {Type: OpMask, KeepLast: 4}}, Exclude: []string{"IPV4"}, Deny: []DenyTerm{{Term: "Falcon"}}}
	req := Policy{Operators: map[string]OperatorSpec{"EMAIL": {Type: OpKeep}}, Exclude: []string{}}
	if got := req.Set(); !slices.Equal(got, []string{FieldOperators, FieldExclude}) {
		t.Fatalf("set %v", got)
	}
	eff := def.Override(req)
	if eff.Operator.Type != OpRedact || len(eff.Operators) != 1 || eff.Operators["EMAIL"].Type != OpKeep || eff.Exclude == nil || len(eff.Exclude) != 0 || len(eff.Deny) != 1 {
		t.Fatalf("override %+v", eff)
	}
	m, err := New(eff.Config(Keys{}))
	if err != nil {
		t.Fatal(err)
	}
	text := "a@b.co from 10.0.0.1 about Falcon"
	res, err := m.Mask(text, []MethodSpans{{Method: "x", Spans: spansOf(text, "a@b.co", "EMAIL", "10.0.0.1", "IPV4")}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Text != "a@b.co from  about " {
		t.Fatalf("masked %q", res.Text)
	}
	if n := (Policy{Allow: []string{"a"}, Deny: []DenyTerm{{Term: "b"}}, MinScore: map[string]float64{"*": 0.5}}).Entries(); n != 3 {
		t.Fatalf("entries %d", n)
	}
}

// spansOf builds spans from value, label pairs found in text (ASCII).
func spansOf(text string, pairs ...string) []record.Span {
	var out []record.Span
	for i := 0; i+1 < len(pairs); i += 2 {
		k := strings.Index(text, pairs[i])
		out = append(out, record.Span{Start: k, End: k + len(pairs[i]), Label: pairs[i+1]})
	}
	return out
}
