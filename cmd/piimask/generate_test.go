package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// TestGenerateModes runs generate in both modes and train-tokenizer on
// documents, and checks the flag errors.
func TestGenerateModes(t *testing.T) {
	dir := t.TempDir()
	prose := filepath.Join(dir, "prose.txt")
	if err := os.WriteFile(prose, []byte("en\tThe river was quiet and the boats stayed in the harbour.\nfr\tLa rivière était calme ce matin-là.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) (string, error) {
		var out bytes.Buffer
		g := &globalFlags{logLevel: "info", logFormat: "text"}
		root := &cobra.Command{Use: "piimask", SilenceUsage: true, SilenceErrors: true}
		root.SetOut(&out)
		root.SetErr(&out)
		root.AddCommand(newGenerateCmd(g), newTrainTokenizerCmd(g))
		root.SetArgs(args)
		err := root.Execute()
		return out.String(), err
	}
	docs := filepath.Join(dir, "d.jsonl")
	if _, err := run("generate", "--mode", "documents", "-n", "30", "--seed", "5", "--prose", prose, "--out", docs); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(docs)
	if err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(data, []byte("\n")); n != 30 || !bytes.Contains(data, []byte(`"id":"doc-5-`)) {
		t.Fatalf("%d lines, ids: %s", n, data[:min(len(data), 200)])
	}
	if _, err := run("generate", "--mode", "documents", "-n", "10", "--out", filepath.Join(dir, "d.parquet")); err != nil {
		t.Fatal(err)
	}
	if _, err := run("generate", "-n", "10", "--out", filepath.Join(dir, "t.jsonl")); err != nil {
		t.Fatal(err)
	}
	out, err := run("train-tokenizer", "--mode", "documents", "-n", "50", "--vocab", "500", "--out", filepath.Join(dir, "tok.json"))
	if err != nil || !strings.Contains(out, "50 texts") {
		t.Fatalf("train-tokenizer: %v %s", err, out)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"generate", "--mode", "docs", "--out", filepath.Join(dir, "x.jsonl")}, `unknown mode "docs"`},
		{[]string{"generate", "--prose", prose, "--out", filepath.Join(dir, "x.jsonl")}, "need mode"},
		{[]string{"generate", "--mode", "documents", "--kinds", "poem", "--out", filepath.Join(dir, "x.jsonl")}, `unknown kind "poem"`},
		{[]string{"train-tokenizer", "--mode", "documents", "--prose", filepath.Join(dir, "none.txt"), "--out", filepath.Join(dir, "t.json")}, "none.txt"},
	} {
		if _, err := run(tc.args...); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: got %v, want %q", tc.args, err, tc.want)
		}
	}
}
