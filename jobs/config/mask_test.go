package config

import (
	"strings"
	"testing"
)

func TestMaskPolicyCheck(t *testing.T) {
	const job = "kind: mask\ninput:\n  paths: [x.jsonl]\noutput:\n  dir: out\nmask:\n  ensemble: union\n  operator: {type: placeholder}\n  operators:\n    IBAN: {type: mask, keep_last: 4}\n  min_score: {EMAIL: 0.5}\n  deny:\n    - term: Falcon\n      label: CODENAME\n"
	rules := Rules{Kinds: []string{"mask"}}
	l, err := Load("job.yaml", []byte(job), envOf(nil), rules)
	if err != nil {
		t.Fatal(err)
	}
	m := l.Job.Mask
	if ps := m.Check(l); len(ps) > 0 || m.Operators["IBAN"].KeepLast != 4 || m.Deny[0].Label != "CODENAME" || m.MinScore["EMAIL"] != 0.5 {
		t.Fatalf("decoded %+v, problems %v", m, ps)
	}
	for _, tc := range []struct{ old, new, want string }{
		{"IBAN: {type: mask", "IBAN: {type: shred", "job.yaml:10: mask.operators.IBAN.type: unknown operator"},
		{"{EMAIL: 0.5}", "{EMAIL: 5}", "job.yaml:11: mask.min_score.EMAIL: must be in [0, 1]"},
		{"ensemble: union", "ensemble: vote", "job.yaml:7: mask.ensemble: unknown ensemble"},
		{"term: Falcon", "term: ''", "job.yaml:13: mask.deny[0].term: empty term"},
	} {
		// Load itself checks the mask section (validate and run share it).
		_, err := Load("job.yaml", []byte(strings.Replace(job, tc.old, tc.new, 1)), envOf(nil), rules)
		if ps, ok := err.(Problems); !ok || len(ps) != 1 || !strings.Contains(ps.Error(), tc.want) {
			t.Errorf("got %v, want %s", err, tc.want)
		}
	}
}
