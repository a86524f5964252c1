package main

import (
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// manifest is the little of a Job or CronJob the test reads.
type manifest struct {
	Kind string `yaml:"kind"`
	Spec struct {
		CompletionMode string   `yaml:"completionMode"`
		Completions    int      `yaml:"completions"`
		Template       podTmpl  `yaml:"template"`
		JobTemplate    *jobTmpl `yaml:"jobTemplate"`
	} `yaml:"spec"`
}

type jobTmpl struct {
	Spec struct {
		Template podTmpl `yaml:"template"`
	} `yaml:"spec"`
}

type podTmpl struct {
	Spec struct {
		Containers []struct {
			Command []string `yaml:"command"`
			Args    []string `yaml:"args"`
			Env     []struct {
				Name  string `yaml:"name"`
				Value string `yaml:"value"`
			} `yaml:"env"`
		} `yaml:"containers"`
	} `yaml:"spec"`
}

// shellWords splits a /bin/sh -c script into words (quotes removed).
func shellWords(s string) []string {
	var out []string
	var cur strings.Builder
	in, quote := false, rune(0)
	for _, r := range s {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			cur.WriteRune(r)
		case r == '"' || r == '\'':
			quote, in = r, true
		case r == ' ' || r == '\n' || r == '\t':
			if in {
				out = append(out, cur.String())
				cur.Reset()
				in = false
			}
		default:
			cur.WriteRune(r)
			in = true
		}
	}
	if in {
		out = append(out, cur.String())
	}
	return out
}

// piimaskArgs returns the piimask argument list of a container.
func piimaskArgs(t *testing.T, command, args []string) []string {
	t.Helper()
	if len(command) >= 2 && command[0] == "/bin/sh" && command[1] == "-c" {
		words := shellWords(strings.Join(args, " "))
		for i, w := range words {
			if w == "piimask" {
				return words[i+1:]
			}
		}
		t.Fatalf("shell script runs no piimask: %q", args)
	}
	return args // the image's entrypoint is piimask
}

// TestKubernetesManifests parses every manifest under deploy/kubernetes and
// checks that each piimask flag it passes exists on the real command tree,
// and that the config files it names exist in the repository.
func TestKubernetesManifests(t *testing.T) {
	files, err := filepath.Glob("../../deploy/kubernetes/*.yaml")
	if err != nil || len(files) < 2 {
		t.Fatalf("want the CronJob and the Indexed Job manifests, found %v (%v)", files, err)
	}
	kinds := map[string]bool{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var m manifest
		if err := yaml.Unmarshal(data, &m); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		pod := m.Spec.Template
		switch m.Kind {
		case "CronJob":
			if m.Spec.JobTemplate == nil {
				t.Fatalf("%s: CronJob without jobTemplate", f)
			}
			pod = m.Spec.JobTemplate.Spec.Template
			kinds["CronJob"] = true
		case "Job":
			if m.Spec.CompletionMode == "Indexed" {
				kinds["IndexedJob"] = true
			}
		default:
			t.Fatalf("%s: unexpected kind %q", f, m.Kind)
		}
		if len(pod.Spec.Containers) == 0 {
			t.Fatalf("%s: no container", f)
		}
		for _, c := range pod.Spec.Containers {
			args := piimaskArgs(t, c.Command, c.Args)
			checkArgs(t, f, args)
			if m.Spec.CompletionMode == "Indexed" {
				count := ""
				for _, e := range c.Env {
					if e.Name == "PIIMASK_SHARD_COUNT" {
						count = e.Value
					}
				}
				if count == "" || count != strconv.Itoa(m.Spec.Completions) {
					t.Errorf("%s: PIIMASK_SHARD_COUNT %q must equal completions %d", f, count, m.Spec.Completions)
				}
			}
		}
	}
	if !kinds["CronJob"] || !kinds["IndexedJob"] {
		t.Errorf("want a CronJob and an Indexed Job, got %v", kinds)
	}
}

// checkArgs finds the subcommand and checks every --flag on it.
func checkArgs(t *testing.T, file string, args []string) {
	t.Helper()
	root := newRootCmd(io.Discard, io.Discard)
	cmd, rest, err := root.Find(args)
	if err != nil || cmd == root {
		t.Fatalf("%s: no piimask subcommand in %q: %v", file, args, err)
	}
	for i := 0; i < len(args); i++ {
		a := args[i]
		if !strings.HasPrefix(a, "--") {
			continue
		}
		name, _, hasValue := strings.Cut(strings.TrimPrefix(a, "--"), "=")
		fl := lookupFlag(cmd, name)
		if fl == nil {
			t.Errorf("%s: piimask %s has no flag --%s", file, cmd.Name(), name)
			continue
		}
		if !hasValue && fl.Value.Type() != "bool" {
			i++ // the value is the next word
		}
	}
	for _, a := range rest {
		if strings.HasSuffix(a, ".yaml") && !strings.HasPrefix(a, "/") {
			if _, err := os.Stat(filepath.Join("../..", a)); err != nil {
				t.Errorf("%s: config %s not in the repository", file, a)
			}
		}
	}
}

// lookupFlag finds a flag of cmd, its own or inherited from the root.
func lookupFlag(cmd *cobra.Command, name string) *pflag.Flag {
	if f := cmd.Flags().Lookup(name); f != nil {
		return f
	}
	return cmd.InheritedFlags().Lookup(name)
}
