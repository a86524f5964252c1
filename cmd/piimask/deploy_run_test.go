package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"

	"github.com/piimask/piimask/internal/metrics/promtest"
)

// podProcess turns a container of the built manifests into a process of the
// real piimask (this test binary running main), as the pod would run it:
// $(VAR) expanded from the container's env, the pod's paths (/data, the
// configs volume) mapped into root, env from the manifest plus extra. The
// metrics endpoint binds a free port and pushes go to pushgateway.
func podProcess(t *testing.T, c corev1.Container, cms map[string]*corev1.ConfigMap, root, pushgateway string, extra ...string) *exec.Cmd {
	t.Helper()
	env := map[string]string{}
	var envList []string
	for _, e := range c.Env {
		v := e.Value
		if r := e.ValueFrom; r != nil && r.ConfigMapKeyRef != nil {
			n := r.ConfigMapKeyRef.Name
			v = cms[n[:strings.LastIndexByte(n, '-')]].Data[r.ConfigMapKeyRef.Key]
		}
		if e.Name == "HOME" {
			v = filepath.Join(root, "tmp")
		}
		env[e.Name] = v
		envList = append(envList, e.Name+"="+v)
	}
	mapPath := func(a string) string {
		for _, p := range []string{"/etc/piimask/configs", "/data"} {
			if strings.HasPrefix(a, p) {
				return filepath.Join(root, a)
			}
			if k, v, ok := strings.Cut(a, "="); ok && strings.HasPrefix(v, p) {
				return k + "=" + filepath.Join(root, v)
			}
		}
		return a
	}
	var args []string
	for _, a := range expand(c.Args, env) {
		switch {
		case strings.HasPrefix(a, "--metrics-addr="):
			a = "--metrics-addr=127.0.0.1:0"
		case strings.HasPrefix(a, "--pushgateway-url="):
			a = "--pushgateway-url=" + pushgateway
		}
		args = append(args, mapPath(a))
	}
	cmd := piimaskCmd(t, args...)
	cmd.Dir = mapPath(c.WorkingDir)
	ort, _ := filepath.Abs("../../third_party/onnxruntime/lib/libonnxruntime.so.1")
	cmd.Env = append(append([]string{"PATH=" + os.Getenv("PATH"), "PIIMASK_ORT_LIB=" + ort, "PIIMASK_TEST_MAIN=" + envOf(cmd, "PIIMASK_TEST_MAIN")}, envList...), extra...)
	return cmd
}

func envOf(c *exec.Cmd, k string) string {
	for _, e := range c.Env {
		if v, ok := strings.CutPrefix(e, k+"="); ok {
			return v
		}
	}
	return ""
}

// TestKubernetesShardedRunLocally runs the sharded-evaluate overlay as the
// cluster would, from the objects kustomize builds: the merge Job's process
// starts first and waits; then the Indexed Job's 3 pods run at once as
// processes of the real binary with JOB_COMPLETION_INDEX 0..2 and the
// manifest's PIIMASK_SHARD_COUNT, writing to a directory standing for the
// data volume and pushing to a real Pushgateway; the merge then completes.
// The merged metrics equal one unsharded run's, the Pushgateway holds one
// group per shard, and every process exits 0.
func TestKubernetesShardedRunLocally(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the quickstart four times")
	}
	ort, _ := filepath.Abs("../../third_party/onnxruntime/lib/libonnxruntime.so.1")
	if _, err := os.Stat(ort); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("libonnxruntime missing: run scripts/setup.sh")
		}
		t.Skip("libonnxruntime missing: run scripts/setup.sh")
	}
	b := buildOverlay(t, "sharded-evaluate")
	root := t.TempDir()
	for _, d := range []string{"data", "tmp", "etc/piimask/configs"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for k, v := range b.configMaps["piimask-configs"].Data {
		if err := os.WriteFile(filepath.Join(root, "etc/piimask/configs", k), []byte(v), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	pg := promtest.Pushgateway(t)
	var shardJob, mergeJob corev1.Container
	completions := 0
	for _, j := range b.jobs {
		if j.Spec.CompletionMode != nil {
			shardJob, completions = j.Spec.Template.Spec.Containers[0], int(*j.Spec.Completions)
		} else {
			mergeJob = j.Spec.Template.Spec.Containers[0]
		}
	}
	if completions != 3 {
		t.Fatalf("want 3 shards, got %d", completions)
	}
	type proc struct {
		name   string
		cmd    *exec.Cmd
		stderr bytes.Buffer
	}
	start := func(name string, c *exec.Cmd) *proc {
		p := &proc{name: name, cmd: c}
		c.Stdout, c.Stderr = io.Discard, &p.stderr
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
		return p
	}
	merge := start("merge", podProcess(t, mergeJob, b.configMaps, root, pg))
	var shards []*proc
	for i := range completions {
		shards = append(shards, start(fmt.Sprintf("shard %d", i), podProcess(t, shardJob, b.configMaps, root, pg, fmt.Sprintf("JOB_COMPLETION_INDEX=%d", i))))
	}
	for _, p := range append(shards, merge) {
		if err := p.cmd.Wait(); err != nil {
			t.Fatalf("%s: %v\n%s", p.name, err, p.stderr.String())
		}
	}
	// One unsharded run of the same container, for comparison.
	runID := b.configMaps["piimask-run"].Data["run-id"]
	single := shardJob
	single.Env = slices.DeleteFunc(slices.Clone(single.Env), func(e corev1.EnvVar) bool { return e.Name == "PIIMASK_SHARD_COUNT" })
	for i, a := range single.Args {
		if strings.HasPrefix(a, "--output-dir=") {
			single.Args[i] = "--output-dir=/data/single"
		}
	}
	s := start("single", podProcess(t, single, b.configMaps, root, pg))
	if err := s.cmd.Wait(); err != nil {
		t.Fatalf("single run: %v\n%s", err, s.stderr.String())
	}
	merged := filepath.Join(root, "data/runs", runID, "evaluate/merged")
	for _, m := range []string{"rules", "onnx-baseline"} {
		want := metricsWithoutOrder(t, filepath.Join(root, "data/single", m, "metrics.json"))
		got := metricsWithoutOrder(t, filepath.Join(merged, m, "metrics.json"))
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: merged metrics differ from the single run's", m)
		}
		if w, g := sortedLines(t, filepath.Join(root, "data/single", m, "doc_counts.jsonl")), sortedLines(t, filepath.Join(merged, m, "doc_counts.jsonl")); !slices.Equal(w, g) || len(w) != 1000 {
			t.Errorf("%s: merged doc_counts.jsonl (%d lines) differ from the single run's (%d)", m, len(g), len(w))
		}
	}
	resp, err := http.Get(pg + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for i := range completions {
		line := fmt.Sprintf(`piimask_last_success_timestamp_seconds{instance="",job="piimask-quickstart",shard="%d-of-3"} `, i)
		if !strings.Contains(string(body), line) {
			t.Errorf("Pushgateway lacks shard %d's group (%s)", i, line)
		}
	}
}

// metricsWithoutOrder reads metrics.json without what depends on the order
// of the documents or on the run: the experiment name and the bootstrap
// intervals (they resample documents in file order, and hash shards give
// another order than the dataset's; every count and score is order-free).
func metricsWithoutOrder(t *testing.T, path string) map[string]any {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if _, ok := m["confidence_intervals"]; !ok {
		t.Fatalf("%s: no confidence intervals", path)
	}
	delete(m, "experiment_name")
	delete(m, "confidence_intervals")
	return m
}

func sortedLines(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	slices.Sort(lines)
	return lines
}
