package config

import (
	"errors"
	"strings"
	"testing"
)

var testRules = Rules{Kinds: []string{"evaluate", "prepare"}, MethodTypes: []string{"rules", "llm"}}

func envOf(m map[string]string) LookupEnv {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

const good = `kind: evaluate
name: demo
input:
  paths: [data/*.jsonl]
  schema: auto
filters:
  languages: [en, fr]
  limit: 100
  sample: {rate: 0.5, seed: 7}
methods:
  - name: rules
    type: rules
    options: {classes: [EMAIL]}
  - name: mistral
    type: llm
    requires_env: [MISTRAL_API_KEY]
    options:
      api_key: ${MISTRAL_API_KEY}
      model: ${MODEL:-mistral-small-latest}
output:
  dir: out/demo
  formats: [parquet, arrow]
`

func TestLoadGood(t *testing.T) {
	l, err := Load("good.yaml", []byte(good), envOf(map[string]string{"MISTRAL_API_KEY": "k"}), testRules)
	if err != nil {
		t.Fatal(err)
	}
	j := l.Job
	if j.Kind != "evaluate" || j.Name != "demo" || len(j.Methods) != 2 || j.Filters.Sample.Rate != 0.5 {
		t.Fatalf("decoded wrongly: %+v", j)
	}
	if got := j.Methods[1].Options["api_key"]; got != "k" {
		t.Fatalf("api_key = %v, want interpolated k", got)
	}
	if got := j.Methods[1].Options["model"]; got != "mistral-small-latest" {
		t.Fatalf("model = %v, want the default", got)
	}
	if len(l.Skipped) != 0 {
		t.Fatalf("skipped %v with the key set", l.Skipped)
	}
	if l.Line("methods[1].type") != 15 {
		t.Fatalf("line of methods[1].type = %d, want 15", l.Line("methods[1].type"))
	}
}

func TestMissingKeySkipsMethod(t *testing.T) {
	l, err := Load("good.yaml", []byte(good), envOf(nil), testRules)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(l.Skipped["mistral"], "MISTRAL_API_KEY") {
		t.Fatalf("skipped = %v, want mistral skipped for MISTRAL_API_KEY", l.Skipped)
	}
}

func TestProblemsWithLines(t *testing.T) {
	cases := []struct {
		name string
		yaml string
		want []string
	}{
		{"unknown key", "kind: evaluate\ninput: {paths: [a]}\noutput: {dir: o}\nbogus: 1\n", []string{"x.yaml:4: bogus: unknown key"}},
		{"nested unknown key", "kind: evaluate\ninput:\n  paths: [a]\n  colour: red\noutput: {dir: o}\n", []string{"x.yaml:4: input.colour: unknown key"}},
		{"wrong type", "kind: evaluate\ninput: {paths: [a]}\nfilters:\n  limit: lots\noutput: {dir: o}\n", []string{"x.yaml:4: filters.limit: want a whole number"}},
		{"list expected", "kind: evaluate\ninput:\n  paths: a.jsonl\noutput: {dir: o}\n", []string{"x.yaml:3: input.paths: want a list"}},
		{"missing required", "kind: evaluate\ninput: {paths: [a]}\nmethods:\n  - type: rules\n", []string{"output: required key \"output\"", "x.yaml:4: methods[0].name: required key"}},
		{"several at once", "kind: nope\ninput: {paths: [a]}\noutput: {dir: o, formats: [csv]}\nmethods:\n  - {name: a, type: magic}\n  - {name: a, type: rules}\n", []string{"x.yaml:1: kind: unknown job kind", "output.formats[0]: unknown format \"csv\"", "x.yaml:5: methods[0].type: unknown method type", "x.yaml:6: methods[1].name: duplicate"}},
		{"unset env", "kind: evaluate\ninput: {paths: [a]}\noutput:\n  dir: ${OUT_DIR}\n", []string{"x.yaml:4: environment variable OUT_DIR is not set"}},
		{"no input", "kind: evaluate\noutput: {dir: o}\n", []string{"give input.paths or input.generate"}},
		{"bad sample", "kind: evaluate\ninput: {paths: [a]}\nfilters: {sample: {rate: 2}}\noutput: {dir: o}\n", []string{"x.yaml:3: filters.sample.rate: must be in (0, 1]"}},
		{"bad yaml", "kind: [evaluate\n", []string{"not valid YAML"}},
		{"literal secret", "kind: evaluate\ninput: {paths: [a]}\noutput: {dir: o}\nmethods:\n  - name: m\n    type: llm\n    options:\n      api_key: sk-live-123\n", []string{"x.yaml:8: methods[].options.api_key: a secret must not be written in a config file"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load("x.yaml", []byte(tc.yaml), envOf(nil), testRules)
			if err == nil {
				t.Fatal("no error")
			}
			var ps Problems
			if !errors.As(err, &ps) {
				t.Fatalf("error %T is not Problems", err)
			}
			msg := err.Error()
			if strings.Contains(msg, "sk-live-123") {
				t.Errorf("error quotes the secret: %s", msg)
			}
			for _, w := range tc.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error\n%s\ndoes not contain %q", msg, w)
				}
			}
		})
	}
}

func TestInterpolate(t *testing.T) {
	env := envOf(map[string]string{"A": "1", "EMPTY": ""})
	cases := []struct {
		in, out string
		missing []string
	}{
		{"x: ${A}", "x: 1", nil},
		{"x: ${B:-d}", "x: d", nil},
		{"x: ${EMPTY:-d}", "x: d", nil},
		{"x: $${A}", "x: ${A}", nil},
		{"x: ${B}\ny: ${C}", "x: \ny: ", []string{"B", "C"}},
		{"x: ${A} # use ${NOPE} here", "x: 1 # use ${NOPE} here", nil},
		{"# ${NOPE}", "# ${NOPE}", nil},
		{"x: \"a # ${A}\"", "x: \"a # 1\"", nil},
		{"x: 'it''s ${A}' # ${NOPE}", "x: 'it''s 1' # ${NOPE}", nil},
	}
	for _, tc := range cases {
		got, missing := interpolate(tc.in, env)
		if got != tc.out {
			t.Errorf("interpolate(%q) = %q, want %q", tc.in, got, tc.out)
		}
		if len(missing) != len(tc.missing) {
			t.Fatalf("missing = %v, want %v", missing, tc.missing)
		}
		for i := range missing {
			if missing[i].Name != tc.missing[i] {
				t.Errorf("missing[%d] = %v, want %s", i, missing[i], tc.missing[i])
			}
		}
	}
}
