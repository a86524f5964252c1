package config

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// testOptions is a method's declared options for the test.
type testOptions struct {
	Level int    `yaml:"level"`
	Mode  string `yaml:"mode"`
}

func (o testOptions) Check() error {
	if o.Mode != "" && o.Mode != "fast" {
		return errors.New("mode: want fast")
	}
	return nil
}

// Declared method options are checked at load, every problem at its line:
// unknown keys, wrong types (in methods and ensemble-style members), then
// values through Check; a method skipped for an unset variable is not.
func TestDeclaredMethodOptions(t *testing.T) {
	shapes := func(typ string) reflect.Type {
		if typ == "x" {
			return reflect.TypeOf(testOptions{})
		}
		return nil
	}
	rules := Rules{MethodOptions: shapes}
	const head = "kind: evaluate\ninput: {paths: [a.jsonl]}\noutput: {dir: out}\nmethods:\n"
	for _, tc := range []struct {
		name, methods string
		want          []string
	}{
		{"fine", "  - {name: a, type: x, options: {level: 2, mode: fast}}\n", nil},
		{"typo and type", "  - name: a\n    type: x\n    options:\n      levl: 2\n  - name: b\n    type: x\n    options: {level: high}\n",
			[]string{`job.yaml:8: methods[0].options.levl: unknown key "levl" (known: level, mode)`, `job.yaml:11: methods[1].options.level: want a whole number`}},
		{"value", "  - name: a\n    type: x\n    options:\n      mode: slow\n", []string{"job.yaml:8: methods[0].options: mode: want fast"}},
		{"undeclared type is free-form", "  - {name: a, type: y, options: {anything: 1}}\n", nil},
		{"skipped method", "  - {name: a, type: x, requires_env: [UNSET_FOR_TEST], options: {mode: slow}}\n", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load("job.yaml", []byte(head+tc.methods), envOf(nil), rules)
			if len(tc.want) == 0 {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			ps, ok := err.(Problems)
			if !ok || len(ps) != len(tc.want) {
				t.Fatalf("got %v, want %d problems", err, len(tc.want))
			}
			for i, w := range tc.want {
				if !strings.HasPrefix(ps[i].String(), w) {
					t.Errorf("problem %d: %s, want %s", i, ps[i], w)
				}
			}
		})
	}
}

// validate turns an unset secret into a note; run (the default) refuses it.
func TestUnsetSecretIsANoteForValidate(t *testing.T) {
	const job = "kind: finetune\ninput: {paths: [t.jsonl]}\noutput: {dir: out}\nfinetune:\n  model: m\n  api_key: ${SECRET_FOR_TEST}\n"
	if _, err := Load("job.yaml", []byte(job), envOf(nil), Rules{}); err == nil || !strings.Contains(err.Error(), "job.yaml:6: environment variable SECRET_FOR_TEST is not set") {
		t.Fatalf("run: %v", err)
	}
	l, err := Load("job.yaml", []byte(job), envOf(nil), Rules{AllowUnsetSecrets: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Notes) != 1 || l.Notes[0] != "job.yaml:6: secret SECRET_FOR_TEST referenced but unset (run needs it)" {
		t.Fatalf("notes %q", l.Notes)
	}
}
