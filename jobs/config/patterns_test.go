package config

import (
	"strings"
	"testing"
)

// patternsJob is a mask job with custom recognizers; line numbers matter.
const patternsJob = `kind: evaluate
input:
  paths: [data.jsonl]
methods:
  - name: custom
    type: patterns
    options:
      recognizers:
        - name: employee-id
          label: EMPLOYEE_ID
          patterns:
            - {name: emp, regex: 'EMP-\d{6}', score: 0.4}
          context: [employee, staff]
          context_window: 5
          validator: luhn
        - name: projects
          label: PROJECT
          deny_list: [Project Falcon]
output:
  dir: out/x
`

func TestPatternsMethodOptions(t *testing.T) {
	rules := Rules{Kinds: []string{"evaluate"}, MethodTypes: []string{"rules", "patterns"}}
	if _, err := Load("job.yaml", []byte(patternsJob), envOf(nil), rules); err != nil {
		t.Fatalf("good config refused: %v", err)
	}
	tests := []struct {
		name     string
		old, new string
		want     []string
	}{
		{"bad regex at its line", `regex: 'EMP-\d{6}'`, `regex: 'EMP-(\d{6}'`,
			[]string{"job.yaml:12: methods[0].options.recognizers[0].patterns[0].regex:", "missing closing )"}},
		{"lookbehind", `regex: 'EMP-\d{6}'`, `regex: '(?<=EMP-)\d{6}'`,
			[]string{"job.yaml:12:", "RE2"}},
		{"unknown validator names the field", "validator: luhn", "validator: crc",
			[]string{"job.yaml:15: methods[0].options.recognizers[0].validator:", `unknown validator "crc"`}},
		{"unknown key in a recognizer", "context_window: 5", "context_windw: 5",
			[]string{"job.yaml:14: methods[0].options.recognizers[0].context_windw:", `unknown key "context_windw"`}},
		{"wrong type", "score: 0.4", "score: high",
			[]string{"job.yaml:12: methods[0].options.recognizers[0].patterns[0].score:", "want a number"}},
		{"missing label", "          label: PROJECT\n", "",
			[]string{"job.yaml:16: methods[0].options.recognizers[1].label:", "required"}},
		{"score out of range", "score: 0.4", "score: 4",
			[]string{"job.yaml:12: methods[0].options.recognizers[0].patterns[0].score:", "[0, 1]"}},
		{"empty deny term", "deny_list: [Project Falcon]", "deny_list: ['']",
			[]string{"job.yaml:18: methods[0].options.recognizers[1].deny_list[0]:", "empty term"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := strings.Replace(patternsJob, tc.old, tc.new, 1)
			if src == patternsJob {
				t.Fatal("replacement did not apply")
			}
			_, err := Load("job.yaml", []byte(src), envOf(nil), rules)
			if err == nil {
				t.Fatal("bad config accepted")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

func TestPatternsInServe(t *testing.T) {
	src := "methods:\n  - name: custom\n    type: patterns\n    options:\n      recognizers:\n        - name: a\n          label: X\n          patterns: [{regex: '[a-', score: 0.5}]\n"
	_, err := LoadServe("serve.yaml", []byte(src), envOf(nil), []string{"patterns"})
	if err == nil || !strings.Contains(err.Error(), "serve.yaml:8: methods[0].options.recognizers[0].patterns[0].regex:") {
		t.Fatalf("got %v", err)
	}
	src = "methods:\n  - name: custom\n    type: patterns\n"
	if _, err := LoadServe("serve.yaml", []byte(src), envOf(nil), []string{"patterns"}); err == nil || !strings.Contains(err.Error(), "needs options.recognizers") {
		t.Fatalf("no options: %v", err)
	}
}
