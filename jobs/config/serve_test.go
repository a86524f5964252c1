package config

import (
	"errors"
	"strings"
	"testing"
)

func TestServeOCR(t *testing.T) {
	const head = "methods:\n  - name: rules\n    type: rules\nserve:\n  addr: 127.0.0.1:0\n"
	tests := []struct {
		name, body string
		env        map[string]string
		want       string   // the OCR value read, when no problem
		problems   []string // substrings of the problems
	}{
		{name: "default", body: "", want: ""},
		{name: "tesseract", body: "  ocr: tesseract\n  ocr_languages: fra\n", want: "tesseract"},
		{name: "off", body: "  ocr: off\n", want: "off"},
		{name: "none", body: "  ocr: none\n", want: "none"},
		{name: "mistral with key", body: "  ocr: mistral\n  mistral_url: http://127.0.0.1:9\n", env: map[string]string{"MISTRAL_API_KEY": "k"}, want: "mistral"},
		{name: "mistral without key", body: "  ocr: mistral\n", problems: []string{"serve.yaml:6", "MISTRAL_API_KEY"}},
		{name: "mistral empty key", body: "  ocr: mistral\n", env: map[string]string{"MISTRAL_API_KEY": ""}, problems: []string{"serve.yaml:6", "MISTRAL_API_KEY"}},
		{name: "unknown engine", body: "  ocr: abbyy\n", problems: []string{"serve.yaml:6", `unknown OCR engine "abbyy"`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l, err := LoadServe("serve.yaml", []byte(head+tc.body), envOf(tc.env), []string{"rules"})
			if len(tc.problems) == 0 {
				if err != nil {
					t.Fatal(err)
				}
				if l.Config.Serve.OCR != tc.want {
					t.Errorf("ocr = %q, want %q", l.Config.Serve.OCR, tc.want)
				}
				return
			}
			var ps Problems
			if !errors.As(err, &ps) {
				t.Fatalf("err %v, want Problems", err)
			}
			for _, w := range tc.problems {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("problems %q lack %q", err, w)
				}
			}
		})
	}
}

func TestServePolicy(t *testing.T) {
	const head = "methods:\n  - name: rules\n    type: rules\npolicy:\n"
	tests := []struct {
		name, body string
		problems   []string
	}{
		{name: "good", body: "  methods: [rules]\n  operator: {type: mask, keep_last: 4}\n  operators:\n    EMAIL: {type: hash}\n  exclude: [IPV4]\n  min_score: {'*': 0.5}\n  deny: [{term: Falcon, label: CODENAME}]\n  overridable: [operator, methods]\n  limits: {max_entries: 10}\n"},
		{name: "unknown operator at its line", body: "  operators:\n    EMAIL: {type: shred}\n", problems: []string{"serve.yaml:6: policy.operators.EMAIL.type:", `unknown operator "shred"`}},
		{name: "threshold", body: "  min_score:\n    EMAIL: 1.5\n", problems: []string{"serve.yaml:6: policy.min_score.EMAIL:", "[0, 1]"}},
		{name: "unknown method", body: "  methods: [bert]\n", problems: []string{"serve.yaml:5: policy.methods[0]:", `no method named "bert"`}},
		{name: "unknown overridable field", body: "  overridable: [everything]\n", problems: []string{"serve.yaml:5: policy.overridable[0]:", `unknown field "everything"`}},
		{name: "unknown key", body: "  operater: {type: redact}\n", problems: []string{"serve.yaml:5: policy.operater:", "unknown key"}},
		{name: "empty deny term", body: "  deny:\n    - term: ''\n", problems: []string{"serve.yaml:6: policy.deny[0].term:", "empty term"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l, err := LoadServe("serve.yaml", []byte(head+tc.body), envOf(nil), []string{"rules"})
			if len(tc.problems) == 0 {
				if err != nil {
					t.Fatal(err)
				}
				p := l.Config.Policy
				if p.Operator.KeepLast != 4 || p.Operators["EMAIL"].Type != "hash" || p.MinScore["*"] != 0.5 || p.Deny[0].Label != "CODENAME" || len(p.Overridable) != 2 || p.Limits.MaxEntries != 10 {
					t.Fatalf("decoded %+v", p)
				}
				return
			}
			if err == nil {
				t.Fatal("accepted")
			}
			for _, w := range tc.problems {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("%q lacks %q", err, w)
				}
			}
		})
	}
	// overridable: [] pins every field; absent leaves them all open.
	l, err := LoadServe("serve.yaml", []byte(head+"  overridable: []\n"), envOf(nil), []string{"rules"})
	if err != nil || l.Config.Policy.Overridable == nil {
		t.Fatalf("overridable: [] → %v (err %v)", l.Config.Policy.Overridable, err)
	}
}
