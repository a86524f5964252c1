package jobs

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/piimask/piimask/jobs/config"
	"github.com/piimask/piimask/record"
	"github.com/piimask/piimask/stages/taxonomy"
)

// row400k is a 400k-style row: gold GIVENNAME, SURNAME, TELEPHONENUM.
const row400k = `{"uid":"u1","language":"en","source_text":"Call Aurelio Brandt on +44 20 7946 0958 today","privacy_mask":[` +
	`{"value":"Aurelio","start":5,"end":12,"label":"GIVENNAME"},` +
	`{"value":"Brandt","start":13,"end":19,"label":"SURNAME"},` +
	`{"value":"+44 20 7946 0958","start":23,"end":39,"label":"TELEPHONENUM"}]}`

// evalRules writes a job config with extra lines, runs it and returns the
// console output and the rules method's metrics.json.
func evalRules(t *testing.T, data string, extra ...string) (string, metricsFile) {
	t.Helper()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "job.yaml")
	writeLines(t, cfg, append([]string{
		"kind: evaluate",
		"input: {paths: [" + data + "]}",
		"methods: [{name: rules, type: rules}]",
		"output: {dir: " + filepath.Join(dir, "out") + ", formats: [jsonl]}",
	}, extra...)...)
	var out bytes.Buffer
	env := testEnv(&out)
	l, err := Load(cfg, env)
	if err != nil {
		t.Fatal(err)
	}
	if err := Run(context.Background(), l, env); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	var mf metricsFile
	b, err := os.ReadFile(filepath.Join(dir, "out", "rules", "metrics.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &mf); err != nil {
		t.Fatal(err)
	}
	return out.String(), mf
}

func TestEvaluate400kLabelMap(t *testing.T) {
	data := filepath.Join(t.TempDir(), "400k.jsonl")
	writeLines(t, data, row400k)

	// With the shipped map the phone number is found: recall 1.0, no warning.
	out, mf := evalRules(t, data, "label_map: ai4privacy-400k")
	if pc := mf.PerClass["PHONENUMBER"]; pc.Support != 1 || pc.Recall != 1 || pc.Precision != 1 {
		t.Errorf("with the map: PHONENUMBER %+v, want support 1, recall 1, precision 1\n%s", pc, out)
	}
	if mf.PerClass["FIRSTNAME"].Support != 1 || mf.PerClass["LASTNAME"].Support != 1 {
		t.Errorf("with the map: names not mapped: %+v", mf.PerClass)
	}
	if strings.Contains(out, "WARNING") {
		t.Errorf("with the map: unexpected warning\n%s", out)
	}

	// Without it the labels are unmapped: the phone is a miss and a false
	// positive, and the console says so, with counts and names.
	out, mf = evalRules(t, data)
	if pc := mf.PerClass["PHONENUMBER"]; pc.Recall != 0 || pc.Precision != 0 {
		t.Errorf("without the map: PHONENUMBER %+v", pc)
	}
	if !strings.Contains(out, "WARNING: 3 gold spans have a label outside the scored label set") ||
		!strings.Contains(out, "GIVENNAME (1), SURNAME (1), TELEPHONENUM (1)") {
		t.Errorf("without the map: no loud warning\n%s", out)
	}

	// taxonomy: groups scores the phone as CONTACT and the names as PERSON.
	out, mf = evalRules(t, data, "label_map: ai4privacy-400k", "taxonomy: groups")
	if pc := mf.PerClass[taxonomy.GroupContact]; pc.Support != 1 || pc.Recall != 1 {
		t.Errorf("groups: CONTACT %+v\n%s", pc, out)
	}
	if mf.PerClass[taxonomy.GroupPerson].Support != 2 {
		t.Errorf("groups: PERSON %+v", mf.PerClass[taxonomy.GroupPerson])
	}
}

func TestEvaluateIgnoreLabels(t *testing.T) {
	// A CoNLL sentence whose LOC span holds an e-mail address the rules
	// find: ignored, neither the LOC nor the EMAIL counts.
	data := filepath.Join(t.TempDir(), "ner.conll")
	writeLines(t, data, "Write\tO", "to\tO", "accueil@quimper-mairie.fr\tB-LOC", "or\tO", "ring\tO", "", "Nothing\tO", "here\tO")
	out, mf := evalRules(t, data, "ignore_labels: [LOC]")
	if mf.Metrics.Precision != 0 || mf.Metrics.Recall != 0 || mf.PerClass["LOC"].Support != 0 {
		t.Errorf("ignored: metrics %+v, per class %+v\n%s", mf.Metrics, mf.PerClass, out)
	}
	if strings.Contains(out, "WARNING") {
		t.Errorf("ignored label reported as unmapped\n%s", out)
	}
	// Not ignored: LOC is an unmapped miss and EMAIL a false positive.
	out, mf = evalRules(t, data)
	if mf.PerClass["LOC"].Support != 1 || !strings.Contains(out, "LOC (1)") {
		t.Errorf("not ignored: per class %+v\n%s", mf.PerClass, out)
	}
}

func TestLabelSetSpans(t *testing.T) {
	job := &config.Job{LabelMap: config.LabelMap{Name: "presidio"}, IgnoreLabels: []string{"ORGANIZATION"}}
	ls, err := newLabels(job)
	if err != nil {
		t.Fatal(err)
	}
	gold := []record.Span{{Start: 0, End: 4, Label: "PERSON"}, {Start: 5, End: 9, Label: "ORGANIZATION"}, {Start: 10, End: 20, Label: "EMAIL_ADDRESS"}}
	kept, ignored := ls.goldSpans(gold)
	if len(kept) != 2 || kept[0].Label != "PERSON" || kept[1].Label != "EMAIL" || len(ignored) != 1 {
		t.Fatalf("kept %v ignored %v", kept, ignored)
	}
	if u := ls.unmappedGold.Sorted(); len(u) != 1 || u[0] != (taxonomy.LabelCount{Label: "PERSON", Count: 1}) {
		t.Errorf("unmapped %v", u)
	}
	rec := record.Record{Gold: kept, Ignored: ignored}
	preds := ls.predSpans(rec, []record.Span{{Start: 6, End: 8, Label: "COMPANYNAME"}, {Start: 10, End: 20, Label: "EMAIL"}})
	if len(preds) != 1 || preds[0].Label != "EMAIL" {
		t.Errorf("preds %v", preds)
	}
	// A mapping label_map still applies to both sides.
	ls, _ = newLabels(&config.Job{LabelMap: config.LabelMap{Map: map[string]string{"PER": "FIRSTNAME"}}})
	if p := ls.predSpans(record.Record{}, []record.Span{{Start: 0, End: 1, Label: "PER"}}); p[0].Label != "FIRSTNAME" {
		t.Errorf("user map not applied to predictions: %v", p)
	}
}
