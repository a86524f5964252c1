package jobs

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/piimask/piimask/internal/ortlib/ortlibtest"
)

const businessLetter = "Dear Mr. Thompson,\n\nThank you for meeting with us last Tuesday in Chicago. " +
	"We were glad to hear that the pilot went well. You can reach me at " +
	"sarah.mitchell@northwind-consulting.com or +1 312 555 0147. Please send the " +
	"deposit to IBAN GB82 WEST 1234 5698 7654 32 before the end of the month. " +
	"The weather was lovely and the coffee at the conference was excellent.\n\n" +
	"Best regards,\nSarah Mitchell\n"

// TestMaskLetterEvidence masks the business letter with the rules
// method and the REAL embedded model, as a mask-job union and as one
// `type: ensemble` method: the e-mail and the IBAN come out whole, each as
// one placeholder, and both configurations give the same text. (The
// baseline happens not to cut this e-mail into pieces; the rule itself is
// pinned with an overeager fake model in stages/detect/ensemble and
// stages/mask.)
func TestMaskLetterEvidence(t *testing.T) {
	ortlibtest.Require(t)
	dir := t.TempDir()
	in := filepath.Join(dir, "letter.txt")
	if err := os.WriteFile(in, []byte(businessLetter), 0o644); err != nil {
		t.Fatal(err)
	}
	onnxOpts := `{model: "builtin:baseline", aggregation: first, max_length: 128, stride: 16}`
	configs := map[string]string{
		"union": fmt.Sprintf(`kind: mask
input: {paths: [%s]}
methods:
  - {name: rules, type: rules}
  - {name: baseline, type: onnx, options: %s}
mask: {ensemble: union}
output: {dir: %s}
`, in, onnxOpts, filepath.Join(dir, "union")),
		"ensemble": fmt.Sprintf(`kind: mask
input: {paths: [%s]}
methods:
  - name: policy
    type: ensemble
    options:
      mode: union
      methods:
        - {name: rules, type: rules}
        - {name: baseline, type: onnx, options: %s}
output: {dir: %s}
`, in, onnxOpts, filepath.Join(dir, "ensemble")),
	}
	got := map[string]string{}
	for name, cfg := range configs {
		sub := filepath.Join(dir, name+"-cfg")
		os.MkdirAll(sub, 0o755)
		runMaskConfig(t, sub, cfg)
		b, err := os.ReadFile(filepath.Join(dir, name, "masked", "letter.txt"))
		if err != nil {
			t.Fatal(err)
		}
		masked := string(b)
		got[name] = masked
		for _, frag := range []string{"mitchell", "northwind", "consulting.com", "GB82", "WEST", "7654"} {
			if strings.Contains(masked, frag) {
				t.Errorf("%s: %q left in the masked letter:\n%s", name, frag, masked)
			}
		}
		if !regexp.MustCompile(` at \[EMAIL_\d+\] or \[PHONENUMBER_\d+\]\.`).MatchString(masked) {
			t.Errorf("%s: the e-mail is not one EMAIL placeholder:\n%s", name, masked)
		}
		if !strings.Contains(masked, "deposit to IBAN [IBAN_1] before") {
			t.Errorf("%s: the IBAN is not one IBAN placeholder:\n%s", name, masked)
		}
		// The audit has the e-mail and the IBAN at their exact offsets.
		ab, err := os.ReadFile(filepath.Join(dir, name, "audit.jsonl"))
		if err != nil {
			t.Fatal(err)
		}
		var audit auditLine
		if err := json.Unmarshal(bytes.TrimSpace(ab), &audit); err != nil {
			t.Fatal(err)
		}
		for label, value := range map[string]string{"EMAIL": "sarah.mitchell@northwind-consulting.com", "IBAN": "GB82 WEST 1234 5698 7654 32"} {
			start := strings.Index(businessLetter, value) // ASCII: bytes are code points
			found := false
			for _, r := range audit.Spans {
				if r.Label == label && r.Start == start && r.End == start+len(value) {
					found = true
				}
			}
			if !found {
				t.Errorf("%s: no %s replacement at %d-%d in the audit: %+v", name, label, start, start+len(value), audit.Spans)
			}
		}
	}
	if got["union"] != got["ensemble"] {
		t.Errorf("mask union and the ensemble method differ:\n%s\n---\n%s", got["union"], got["ensemble"])
	}
	t.Logf("masked letter:\n%s", got["union"])
}

// TestMaskPolicyScoredByEvaluate runs an ensemble method in an evaluate
// job: its predictions file has the same columns as any method's (the
// Validated mark is never written), and an ensemble of the rules method
// alone predicts exactly the rules method's spans.
func TestMaskPolicyScoredByEvaluate(t *testing.T) {
	dir := t.TempDir()
	cfg := fmt.Sprintf(`kind: evaluate
input: {generate: {n: 40, seed: 5}}
methods:
  - {name: rules, type: rules}
  - name: policy
    type: ensemble
    options: {mode: priority, methods: [{name: rules, type: rules}]}
output: {dir: %s, formats: [jsonl]}
`, filepath.Join(dir, "out"))
	path := filepath.Join(dir, "job.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	env := testEnv(&out)
	l, err := Load(path, env)
	if err != nil {
		t.Fatal(err)
	}
	if err := Run(t.Context(), l, env); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	read := func(method string) []map[string]any {
		b, err := os.ReadFile(filepath.Join(dir, "out", method, "predictions.jsonl"))
		if err != nil {
			t.Fatal(err)
		}
		var rows []map[string]any
		for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
			var row map[string]any
			if err := json.Unmarshal([]byte(line), &row); err != nil {
				t.Fatal(err)
			}
			rows = append(rows, row)
		}
		return rows
	}
	rules, policy := read("rules"), read("policy")
	if len(rules) != 40 || len(policy) != 40 {
		t.Fatalf("%d and %d rows, want 40", len(rules), len(policy))
	}
	spans := 0
	for i := range rules {
		rs, _ := json.Marshal(rules[i]["spans"])
		ps, _ := json.Marshal(policy[i]["spans"])
		if string(rs) != string(ps) {
			t.Errorf("row %d: rules %s, ensemble %s", i, rs, ps)
		}
		if len(rules[i]) != len(policy[i]) {
			t.Errorf("row %d: columns differ: %v vs %v", i, rules[i], policy[i])
		}
		for _, s := range policy[i]["spans"].([]any) {
			spans++
			if len(s.(map[string]any)) != 4 {
				t.Errorf("span %v: want exactly start, end, label, score", s)
			}
		}
	}
	if spans == 0 {
		t.Fatal("no span predicted: nothing compared")
	}
}
