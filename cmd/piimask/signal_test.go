package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMain runs main() itself when the test binary is re-executed with
// PIIMASK_TEST_MAIN (a JSON list of arguments), so tests can run the real
// command — signal handling and exit status included — without a build.
func TestMain(m *testing.M) {
	if a := os.Getenv("PIIMASK_TEST_MAIN"); a != "" {
		var args []string
		if err := json.Unmarshal([]byte(a), &args); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		os.Args = append([]string{"piimask"}, args...)
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// piimaskCmd is the real piimask command line (this test binary running main).
func piimaskCmd(t *testing.T, args ...string) *exec.Cmd {
	t.Helper()
	a, _ := json.Marshal(args)
	c := exec.Command(os.Args[0])
	c.Env = append(os.Environ(), "PIIMASK_TEST_MAIN="+string(a))
	return c
}

// TestSignalExitStatus stops a running job with SIGINT and SIGTERM: each
// exits with 128 + the signal's number (130, 143), says it was interrupted
// and leaves no output file.
func TestSignalExitStatus(t *testing.T) {
	for _, tt := range []struct {
		sig  syscall.Signal
		want int
	}{{syscall.SIGINT, 130}, {syscall.SIGTERM, 143}} {
		t.Run(tt.sig.String(), func(t *testing.T) {
			dir := t.TempDir()
			cfg := filepath.Join(dir, "job.yaml")
			out := filepath.Join(dir, "out")
			yaml := fmt.Sprintf("kind: evaluate\nname: long\ninput: {generate: {n: 5000000, seed: 1}}\nmethods:\n  - {name: rules, type: rules}\noutput: {dir: %q, formats: [jsonl]}\n", out)
			if err := os.WriteFile(cfg, []byte(yaml), 0o644); err != nil {
				t.Fatal(err)
			}
			c := piimaskCmd(t, "run", "--no-progress", cfg)
			var stderr bytes.Buffer
			c.Stderr = &stderr
			if err := c.Start(); err != nil {
				t.Fatal(err)
			}
			// The output directory appears once the job runs (the
			// signal handler is installed before anything else).
			for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(20 * time.Millisecond) {
				if _, err := os.Stat(out); err == nil {
					break
				}
				if time.Now().After(deadline) {
					c.Process.Kill()
					t.Fatalf("the job never started:\n%s", stderr.String())
				}
			}
			time.Sleep(200 * time.Millisecond)
			if err := c.Process.Signal(tt.sig); err != nil {
				t.Fatal(err)
			}
			err := c.Wait()
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != tt.want {
				t.Fatalf("exit %v, want status %d\n%s", err, tt.want, stderr.String())
			}
			if !strings.Contains(stderr.String(), "interrupted") {
				t.Fatalf("stderr does not say interrupted:\n%s", stderr.String())
			}
			if _, err := os.Stat(filepath.Join(out, "summary.json")); err == nil {
				t.Fatal("an interrupted run wrote summary.json")
			}
		})
	}
}
