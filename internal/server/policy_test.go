package server

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/piimask/piimask/record"
	"github.com/piimask/piimask/stages/detect"
	"github.com/piimask/piimask/stages/detect/pattern"
	"github.com/piimask/piimask/stages/mask"
)

// findMethod labels every occurrence of fixed strings (a stand-in model).
type findMethod struct{ terms map[string]string }

func (m *findMethod) Name() string { return "names" }
func (m *findMethod) Close() error { return nil }
func (m *findMethod) EnabledClasses() []string {
	var out []string
	for _, l := range m.terms {
		out = append(out, l)
	}
	slices.Sort(out)
	return slices.Compact(out)
}
func (m *findMethod) Detect(_ context.Context, batch []record.Record) ([]detect.Prediction, error) {
	out := make([]detect.Prediction, len(batch))
	for i, r := range batch {
		for term, label := range m.terms {
			if k := strings.Index(r.Text, term); k >= 0 {
				s := record.CodePointLen(r.Text[:k])
				out[i].Spans = append(out[i].Spans, record.Span{Start: s, End: s + record.CodePointLen(term), Label: label, Score: 0.6})
			}
		}
	}
	return out, nil
}

func namesMethod() Method {
	return Method{Name: "names", Type: "fake", Detector: &findMethod{terms: map[string]string{"Jane Doe": "FIRSTNAME"}}, Limits: DefaultLimits()}
}

// defaultPolicy is a server policy: IBANs keep their last 4, IPs are never
// masked, the rest is placeholders.
func defaultPolicy() PolicyOptions {
	return PolicyOptions{Default: mask.Policy{
		Operators: map[string]mask.OperatorSpec{"IBAN": {Type: mask.OpMask, KeepLast: 4}},
		Exclude:   []string{"IPV4"},
	}}
}

func TestMaskPolicy(t *testing.T) {
	_, ts := newTestServer(t, Options{Policy: defaultPolicy()}, rulesMethod(t), namesMethod())
	tests := []struct {
		name      string
		body      map[string]any
		masked    []string // substrings of the top-level masked text
		unmasked  []string // substrings it must not hold
		perMethod map[string][]string
	}{
		{name: "server default policy", body: map[string]any{"text": sample},
			masked:   []string{"at [EMAIL_1] or", "from 192.168.1.20.", "IBAN ******************5432."},
			unmasked: []string{"jane.doe@example.com"}},
		{name: "operator shorthand replaces the default operator only", body: map[string]any{"text": sample, "operator": "redact"},
			masked: []string{"Contact Jane Doe at  or", "IBAN ******************5432."}},
		{name: "operators replace the default's whole", body: map[string]any{"text": sample, "policy": map[string]any{"operators": map[string]any{"EMAIL": map[string]any{"type": "mask", "char": "#", "keep_last": 3}}}},
			masked: []string{"at #################com or", "IBAN [IBAN_1]."}},
		{name: "exclude emptied: IPs masked", body: map[string]any{"text": sample, "policy": map[string]any{"exclude": []string{}}},
			masked: []string{"from [IPV4_1]."}},
		{name: "include", body: map[string]any{"text": sample, "policy": map[string]any{"include": []string{"EMAIL"}}},
			masked: []string{"[EMAIL_1]", "IBAN GB82WEST12345698765432."}},
		{name: "min_score per class and *", body: map[string]any{"text": sample, "policy": map[string]any{"min_score": map[string]any{"*": 0.9, "EMAIL": 0.99}}},
			masked: []string{"at jane.doe@example.com or", "or +44 20 7946 0958,", "IBAN ******************5432."}},
		{name: "allow list", body: map[string]any{"text": sample, "policy": map[string]any{"allow": []string{"JANE.DOE@example.com"}}},
			masked: []string{"at jane.doe@example.com or"}},
		{name: "deny list", body: map[string]any{"text": sample, "policy": map[string]any{"deny": []map[string]string{{"term": "contact"}, {"term": "doe", "label": "LASTNAME"}}}},
			masked: []string{"[CUSTOM_1] Jane [LASTNAME_1] at"}},
		{name: "union of two methods", body: map[string]any{"text": sample, "methods": []string{"rules", "names"}},
			masked:    []string{"Contact [FIRSTNAME_1] at [EMAIL_1]"},
			perMethod: map[string][]string{"rules": {"Contact Jane Doe at [EMAIL_1]"}, "names": {"Contact [FIRSTNAME_1] at jane.doe@example.com"}}},
		{name: "majority of two methods: only agreed or validated spans", body: map[string]any{"text": sample, "methods": []string{"rules", "names"}, "policy": map[string]any{"ensemble": "majority"}},
			masked: []string{"Contact Jane Doe at [EMAIL_1]"}, unmasked: []string{"FIRSTNAME"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := do(t, http.MethodPost, ts.URL+"/v1/mask", "application/json", jsonBody(t, tc.body), nil)
			if r.status != http.StatusOK {
				t.Fatalf("status %d: %s", r.status, r.body)
			}
			resp := decode[AnalyseResponse](t, r)
			for _, s := range tc.masked {
				if !strings.Contains(resp.Masked, s) {
					t.Errorf("masked %q lacks %q", resp.Masked, s)
				}
			}
			for _, s := range tc.unmasked {
				if strings.Contains(resp.Masked, s) {
					t.Errorf("masked %q holds %q", resp.Masked, s)
				}
			}
			for _, res := range resp.Results {
				for _, s := range tc.perMethod[res.Method] {
					if !strings.Contains(res.Masked, s) {
						t.Errorf("%s: masked %q lacks %q", res.Method, res.Masked, s)
					}
				}
			}
			// Replacement offsets point into the original and the masked text.
			orig, masked := []rune(resp.Text), []rune(resp.Masked)
			for _, rp := range resp.Replacements {
				if got := string(masked[rp.MaskedStart:rp.MaskedEnd]); got != rp.Replacement {
					t.Errorf("replacement %+v: masked text there is %q", rp, got)
				}
				if rp.Start < 0 || rp.End > len(orig) {
					t.Errorf("replacement %+v out of the text", rp)
				}
			}
		})
	}
	// The policy as a multipart field, with a file.
	ct, body := multipartBody(t, map[string]string{"policy": `{"operator": {"type": "redact"}, "exclude": ["EMAIL"]}`}, "note.txt", "text/plain", []byte(sample))
	r := do(t, http.MethodPost, ts.URL+"/v1/mask", ct, body, nil)
	if r.status != http.StatusOK {
		t.Fatalf("multipart: status %d: %s", r.status, r.body)
	}
	if got := decode[AnalyseResponse](t, r).Masked; !strings.Contains(got, "at jane.doe@example.com or , from") {
		t.Errorf("multipart policy: masked %q", got)
	}
}

func TestMaskPolicyErrors(t *testing.T) {
	key := []byte("0123456789abcdef0123456789abcdef")
	pol := defaultPolicy()
	pol.MaxEntries, pol.MaxTermChars = 5, 10
	_, ts := newTestServer(t, Options{Policy: pol, Keys: mask.Keys{Hash: key}}, rulesMethod(t), namesMethod())
	strict := defaultPolicy()
	strict.Overridable = []string{mask.FieldOperator}
	strict.Methods = []string{"rules", "names"}
	_, fixed := newTestServer(t, Options{Policy: strict}, rulesMethod(t), namesMethod())
	tests := []struct {
		name   string
		server string
		path   string
		body   string
		status int
		code   string
		field  string
	}{
		{name: "unknown operator per class", body: `{"text":"a","policy":{"operators":{"EMAIL":{"type":"shred"}}}}`, status: 400, code: "unknown_operator", field: "policy.operators.EMAIL.type"},
		{name: "unknown operator shorthand", body: `{"text":"a","operator":"shred"}`, status: 400, code: "unknown_operator", field: "operator"},
		{name: "operator without its key", body: `{"text":"a","policy":{"operator":{"type":"pseudonym"}}}`, status: 400, code: "operator_unavailable", field: "policy.operator.type"},
		{name: "keyed operator with its key", body: `{"text":"a","policy":{"operator":{"type":"hash","length":8}}}`, status: 200},
		{name: "bad operator parameter", body: `{"text":"a","policy":{"operator":{"type":"mask","char":"**"}}}`, status: 400, code: "invalid_operator", field: "policy.operator"},
		{name: "hash length", body: `{"text":"a","policy":{"operators":{"EMAIL":{"type":"hash","length":2}}}}`, status: 400, code: "invalid_operator", field: "policy.operators.EMAIL"},
		{name: "unknown ensemble", body: `{"text":"a","policy":{"ensemble":"vote"}}`, status: 400, code: "unknown_ensemble", field: "policy.ensemble"},
		{name: "threshold above 1", body: `{"text":"a","policy":{"min_score":{"EMAIL":1.5}}}`, status: 400, code: "invalid_threshold", field: "policy.min_score.EMAIL"},
		{name: "negative threshold", body: `{"text":"a","policy":{"min_score":{"*":-0.1}}}`, status: 400, code: "invalid_threshold", field: "policy.min_score.*"},
		{name: "unknown class in exclude", body: `{"text":"a","policy":{"exclude":["SHOESIZE"]}}`, status: 400, code: "unknown_class", field: "policy.exclude[0]"},
		{name: "unknown class in operators", body: `{"text":"a","policy":{"operators":{"SHOESIZE":{"type":"redact"}}}}`, status: 400, code: "unknown_class", field: "policy.operators.SHOESIZE"},
		{name: "deny label usable in operators", body: `{"text":"a","policy":{"deny":[{"term":"x","label":"CODENAME"}],"operators":{"CODENAME":{"type":"redact"}}}}`, status: 200},
		{name: "empty deny term", body: `{"text":"a","policy":{"deny":[{"term":" "}]}}`, status: 400, code: "invalid_deny", field: "policy.deny[0].term"},
		{name: "unknown policy field", body: `{"text":"a","policy":{"operater":{"type":"redact"}}}`, status: 400, code: "invalid_json"},
		{name: "wrong type", body: `{"text":"a","policy":{"min_score":{"EMAIL":"high"}}}`, status: 400, code: "invalid_json"},
		{name: "operator twice", body: `{"text":"a","operator":"redact","policy":{"operator":{"type":"keep"}}}`, status: 400, code: "conflicting_operator", field: "operator"},
		{name: "policy on detect", path: "/v1/detect", body: `{"text":"a","policy":{"exclude":["EMAIL"]}}`, status: 400, code: "policy_not_allowed"},
		{name: "too many entries", body: `{"text":"a","policy":{"allow":["a","b","c"],"exclude":["EMAIL","IBAN","IPV4"]}}`, status: 413, code: "policy_too_large", field: "policy"},
		{name: "term too long", body: `{"text":"a","policy":{"deny":[{"term":"ééééééééééé"}]}}`, status: 413, code: "policy_too_large", field: "policy.deny[0].term"},
		{name: "term at the limit", body: `{"text":"a","policy":{"deny":[{"term":"éééééééééé"}]}}`, status: 200},
		{name: "not overridable: exclude", server: "fixed", body: `{"text":"a","policy":{"exclude":[]}}`, status: 403, code: "policy_override_forbidden", field: "policy.exclude"},
		{name: "not overridable: methods", server: "fixed", body: `{"text":"a","methods":["rules"]}`, status: 403, code: "policy_override_forbidden", field: "methods"},
		{name: "not overridable: classes", server: "fixed", body: `{"text":"a","classes":["EMAIL"]}`, status: 403, code: "policy_override_forbidden", field: "classes"},
		{name: "overridable: operator", server: "fixed", body: `{"text":"a","operator":"redact"}`, status: 200},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			base := ts.URL
			if tc.server == "fixed" {
				base = fixed.URL
			}
			path := tc.path
			if path == "" {
				path = "/v1/mask"
			}
			r := do(t, http.MethodPost, base+path, "application/json", strings.NewReader(tc.body), nil)
			if r.status != tc.status {
				t.Fatalf("status %d, want %d: %s", r.status, tc.status, r.body)
			}
			if tc.status == 200 {
				return
			}
			var e struct{ Code, Message, Field string }
			if err := json.Unmarshal(r.body, &e); err != nil {
				t.Fatal(err)
			}
			if e.Code != tc.code || e.Field != tc.field {
				t.Errorf("code %q field %q, want %q %q (%s)", e.Code, e.Field, tc.code, tc.field, e.Message)
			}
			if tc.field != "" && !strings.Contains(e.Message, tc.field) {
				t.Errorf("message %q does not name %s", e.Message, tc.field)
			}
		})
	}
	// The fixed server's default methods run when the request names none.
	r := do(t, http.MethodPost, fixed.URL+"/v1/mask", "application/json", jsonBody(t, map[string]any{"text": sample}), nil)
	resp := decode[AnalyseResponse](t, r)
	if len(resp.Results) != 2 || !strings.Contains(resp.Masked, "[FIRSTNAME_1]") || !strings.Contains(resp.Masked, "[EMAIL_1]") {
		t.Errorf("default methods: %d results, masked %q", len(resp.Results), resp.Masked)
	}
	m := decode[methodsResponse](t, do(t, http.MethodGet, fixed.URL+"/v1/methods", "", nil, nil))
	if !slices.Equal(m.Policy.Overridable, []string{"operator"}) || !slices.Equal(m.Policy.Methods, []string{"rules", "names"}) || m.Policy.Operator != "placeholder" || m.Policy.MaxEntries != 256 {
		t.Errorf("methods policy %+v", m.Policy)
	}
}

func TestBadDefaultPolicy(t *testing.T) {
	for _, tc := range []struct {
		name string
		p    PolicyOptions
		want string
	}{
		{"unknown operator", PolicyOptions{Default: mask.Policy{Operator: mask.OperatorSpec{Type: "shred"}}}, "policy.operator.type"},
		{"operator without key", PolicyOptions{Default: mask.Policy{Operators: map[string]mask.OperatorSpec{"EMAIL": {Type: "encrypt"}}}}, "policy.operators.EMAIL.type"},
		{"unknown method", PolicyOptions{Methods: []string{"bert"}}, `no method named "bert"`},
		{"unknown overridable field", PolicyOptions{Overridable: []string{"everything"}}, `overridable field "everything"`},
		{"bad threshold", PolicyOptions{Default: mask.Policy{MinScore: map[string]float64{"EMAIL": 2}}}, "policy.min_score.EMAIL"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New([]Method{rulesMethod(t)}, Options{Policy: tc.p})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want …%s…", err, tc.want)
			}
		})
	}
}

// A patterns method (custom recognizers) is served like any other: its
// labels are known classes, usable in a request's policy.
func TestServeCustomRecognizers(t *testing.T) {
	custom, err := pattern.New("custom", pattern.Options{Recognizers: []pattern.Recognizer{
		{Name: "employee-id", Label: "EMPLOYEE_ID", Patterns: []pattern.Pattern{{Regex: `EMP-\d{6}`, Score: 0.3}}, Context: []string{"employee"}},
		{Name: "projects", Label: "CODENAME", DenyList: []string{"Project Falcon"}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	_, ts := newTestServer(t, Options{}, rulesMethod(t), Method{Name: "custom", Type: pattern.Type, Detector: custom, Limits: DefaultLimits()})
	body := map[string]any{"text": "Employee EMP-123456 (jo@example.com) on project falcon; ref EMP-000042.", "methods": []string{"rules", "custom"},
		"policy": map[string]any{"operators": map[string]any{"CODENAME": map[string]any{"type": "redact"}}, "min_score": map[string]any{"EMPLOYEE_ID": 0.5}}}
	r := do(t, http.MethodPost, ts.URL+"/v1/mask", "application/json", jsonBody(t, body), nil)
	if r.status != http.StatusOK {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	resp := decode[AnalyseResponse](t, r)
	if want := "Employee [EMPLOYEE_ID_1] ([EMAIL_1]) on ; ref EMP-000042."; resp.Masked != want {
		t.Errorf("masked %q, want %q", resp.Masked, want)
	}
	var scores []float64
	for _, e := range resp.Results[1].Entities {
		if e.Label == "EMPLOYEE_ID" {
			scores = append(scores, e.Score)
		}
	}
	if !slices.Equal(scores, []float64{0.65, 0.3}) {
		t.Errorf("EMPLOYEE_ID scores %v, want [0.65 0.3] (context boost on the first only)", scores)
	}
}
