package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

func TestScoreAndMergeCommands(t *testing.T) {
	dir := t.TempDir()
	gold := filepath.Join(dir, "gold.jsonl")
	if err := os.WriteFile(gold, []byte(`{"source_text":"Call Anna now","privacy_mask":[{"value":"Anna","start":5,"end":9,"label":"FIRSTNAME"}],"id":"a","language":"en"}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	pred := filepath.Join(dir, "pred.jsonl")
	if err := os.WriteFile(pred, []byte(`{"id":"a","spans":[{"start":5,"end":9,"label":"FIRSTNAME"}]}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		args    []string
		wantOut string
		wantErr string
	}{
		{"score", []string{"score", "--gold", gold, "--pred", pred, "--out", filepath.Join(dir, "s")}, "ent_type", ""},
		{"score needs --pred", []string{"score", "--gold", gold}, "", `"pred" not set`},
		{"merge needs --out", []string{"merge", filepath.Join(dir, "s")}, "", `"out" not set`},
		{"merge one result", []string{"merge", "--out", filepath.Join(dir, "m"), filepath.Join(dir, "s")}, "merged 1 result", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			g := &globalFlags{logLevel: "info", logFormat: "text"}
			root := &cobra.Command{Use: "piimask", SilenceUsage: true, SilenceErrors: true}
			root.SetOut(&out)
			root.SetErr(&out)
			root.AddCommand(newScoreCmd(g), newMergeCmd(g))
			root.SetArgs(tc.args)
			err := root.Execute()
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("got error %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(out.String(), tc.wantOut) {
				t.Errorf("output lacks %q:\n%s", tc.wantOut, out.String())
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "m", "score.jsonl")); err == nil {
		t.Error("unexpected file")
	}
	if _, err := os.Stat(filepath.Join(dir, "m", "pred.jsonl", "metrics.json")); err != nil {
		t.Errorf("merge wrote no metrics for the scored model: %v", err)
	}
}
