package config

import (
	"errors"
	"fmt"
	"testing"
)

// An input key a job kind ignores is a problem at the key's own line; the
// kinds that read their input accept the same keys.
func TestUnreadInputKeys(t *testing.T) {
	rules := Rules{Kinds: []string{"evaluate", "train", "finetune", "bench", "report"}, MethodTypes: []string{"rules"}, NoInput: []string{"train"}}
	train := "train: {dataset: d, tokenizer: t.json}\n"
	finetune := "finetune: {model: m, api_key: \"${K:-k}\"}\n"
	for _, tc := range []struct {
		name, cfg string
		want      []string // "line path" of every problem, in order
	}{
		{"train filters", "kind: train\noutput: {dir: o}\n" + train + "filters:\n  languages: [fr]\n  limit: 3\n",
			[]string{"5 filters.languages", "6 filters.limit"}},
		{"train input paths", "kind: train\noutput: {dir: o}\n" + train + "input: {paths: [x.jsonl]}\n",
			[]string{"4 input.paths"}},
		{"train empty filters", "kind: train\noutput: {dir: o}\n" + train + "filters: {}\n", []string{"4 filters"}},
		{"train shard and reject ratio", "kind: train\noutput: {dir: o}\n" + train + "max_reject_ratio: 0.5\nshard: {count: 2}\n",
			[]string{"4 max_reject_ratio", "5 shard.count"}},
		{"finetune format and sample", "kind: finetune\noutput: {dir: o}\n" + finetune + "input:\n  paths: [t.jsonl]\n  format: jsonl\nfilters:\n  sample: {rate: 0.5}\n",
			[]string{"6 input.format", "8 filters.sample"}},
		{"report reject ratio", "kind: report\noutput: {dir: o}\ninput: {paths: [x.jsonl]}\nfilters: {limit: 3}\nmax_reject_ratio: 0.1\n",
			[]string{"5 max_reject_ratio"}},
		{"finetune paths alone", "kind: finetune\noutput: {dir: o}\n" + finetune + "input: {paths: [t.jsonl]}\n", nil},
		{"train without input", "kind: train\noutput: {dir: o}\n" + train, nil},
		{"evaluate filters", "kind: evaluate\noutput: {dir: o}\nmethods: [{name: r, type: rules}]\ninput: {paths: [x.jsonl], format: jsonl}\nfilters: {limit: 3}\nshard: {count: 2}\nmax_reject_ratio: 0.1\n", nil},
		{"bench files and filters", "kind: bench\noutput: {dir: o}\nmethods: [{name: r, type: rules}]\ninput: {paths: [x.jsonl]}\nfilters: {languages: [en]}\n", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load("c.yaml", []byte(tc.cfg), envOf(nil), rules)
			var ps Problems
			if err != nil && !errors.As(err, &ps) {
				t.Fatalf("not Problems: %v", err)
			}
			var got []string
			for _, p := range ps {
				got = append(got, fmt.Sprintf("%d %s", p.Line, p.Path))
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Fatalf("problems %q, want %q\n%v", got, tc.want, err)
			}
		})
	}
}
