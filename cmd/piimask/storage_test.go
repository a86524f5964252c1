package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/piimask/piimask/internal/storage"
	"github.com/piimask/piimask/internal/storage/s3test"
)

// TestObjectStorageShardedMaskKillResume runs a mask job reading and writing
// s3:// on a real S3 server (versitygw on loopback) as 3 shards (processes
// of the real binary with JOB_COMPLETION_INDEX and PIIMASK_SHARD_COUNT),
// kills shard 1 with SIGKILL once the bucket holds part of its resume
// state, resumes it from the bucket alone (its local staging wiped, as on
// another node), and checks: shard 1's published objects are byte-identical
// to an uninterrupted run of shard 1, no resume state is left and each
// shard's manifest lists its files with their SHA-256; the three shards'
// masked rows are exactly the masked rows of one unsharded run.
func TestObjectStorageShardedMaskKillResume(t *testing.T) {
	if testing.Short() {
		t.Skip("masks 30,000 documents five times")
	}
	srv := s3test.Start(t)
	srv.Bucket(t, "corpus")
	q := srv.Query()
	dir := t.TempDir()
	input := filepath.Join(dir, "docs.jsonl")
	if out, err := piimaskCmd(t, "generate", "-n", "30000", "--seed", "9", "--out", input).CombinedOutput(); err != nil {
		t.Fatalf("generate: %v\n%s", err, out)
	}
	f, err := os.Open(input)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Client().PutObject(context.Background(), &s3.PutObjectInput{Bucket: aws.String("corpus"), Key: aws.String("in/docs.jsonl"), Body: f}); err != nil {
		t.Fatal(err)
	}
	f.Close()
	cfg := filepath.Join(dir, "mask.yaml")
	yaml := fmt.Sprintf(`kind: mask
name: s3mask
input: {paths: [%q]}
methods: [{name: g, type: gold}, {name: r, type: rules}]
mask:
  ensemble: priority
  operator: {type: placeholder}
  part_docs: 250
output: {dir: "${PIIMASK_TEST_OUT}"}
concurrency: {workers: 2, batch_size: 64}
`, "s3://corpus/in/docs.jsonl"+q)
	if err := os.WriteFile(cfg, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	// Every run is on a "fresh node": the same staging path (as the pods'
	// HOME=/tmp gives), emptied first, so nothing local survives between
	// runs. (audit.jsonl names the staged input path, so the path must be
	// the same for byte-identical audits.)
	staging := filepath.Join(dir, "node")
	run := func(out string, shard int) *exec.Cmd {
		if err := os.RemoveAll(staging); err != nil {
			t.Fatal(err)
		}
		c := piimaskCmd(t, "run", "--no-progress", "--storage-sync-interval=50ms", cfg)
		c.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir, "PIIMASK_TEST_MAIN=" + envOf(c, "PIIMASK_TEST_MAIN"),
			"PIIMASK_STAGING_DIR=" + staging, "PIIMASK_TEST_OUT=s3://corpus/" + out + q}, srv.Env()...)
		if shard >= 0 {
			c.Env = append(c.Env, fmt.Sprintf("JOB_COMPLETION_INDEX=%d", shard), "PIIMASK_SHARD_COUNT=3")
		}
		return c
	}
	mustRun := func(name string, c *exec.Cmd) string {
		t.Helper()
		out, err := c.CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", name, err, out)
		}
		return string(out)
	}
	mustRun("single run", run("single", -1))
	mustRun("reference shard 1", run("ref", 1))
	for _, i := range []int{0, 2} {
		mustRun(fmt.Sprintf("shard %d", i), run("sharded", i))
	}
	// Shard 1: killed once the bucket holds two checkpointed parts.
	c := run("sharded", 1)
	var log1 bytes.Buffer
	c.Stdout, c.Stderr = &log1, &log1
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	remote := filepath.Join(srv.Dir, "corpus", "sharded", "shard-1-of-3")
	deadline := time.Now().Add(120 * time.Second)
	for {
		b, _ := os.ReadFile(filepath.Join(remote, ".work", "checkpoint.json"))
		if bytes.Count(b, []byte(`"index"`)) >= 2 {
			break
		}
		if time.Now().After(deadline) {
			c.Process.Kill()
			t.Fatalf("no checkpoint in the bucket after 120 s\n%s", log1.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := c.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	c.Wait()
	if _, err := os.Stat(filepath.Join(remote, storage.ManifestName)); err == nil {
		t.Fatal("shard 1 finished before it was killed: make the input bigger")
	}
	out := mustRun("resumed shard 1", run("sharded", 1)) // on another node: staging emptied
	if !strings.Contains(out, "resume state pulled from object storage") || !strings.Contains(out, "resuming mask job") {
		t.Fatalf("shard 1 did not resume from the bucket:\n%s", out)
	}
	ref := filepath.Join(srv.Dir, "corpus", "ref", "shard-1-of-3")
	refFiles := objectFiles(t, ref)
	gotFiles := objectFiles(t, remote)
	if !slices.Equal(refFiles, gotFiles) {
		t.Fatalf("published objects differ:\nuninterrupted %v\nresumed       %v", refFiles, gotFiles)
	}
	for _, rel := range refFiles {
		if strings.HasPrefix(rel, ".work") {
			t.Errorf("resume state %s left in the bucket", rel)
		}
		if rel == storage.ManifestName || rel == "summary.json" {
			continue // times differ
		}
		a, _ := os.ReadFile(filepath.Join(ref, rel))
		b, _ := os.ReadFile(filepath.Join(remote, rel))
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs after kill -9 and resume (%d vs %d bytes)", rel, len(a), len(b))
		}
	}
	masked := ""
	for _, rel := range refFiles {
		if strings.HasPrefix(rel, "masked/") && strings.HasSuffix(rel, ".jsonl") {
			masked = rel
		}
	}
	if masked == "" {
		t.Fatalf("no masked JSONL among %v", refFiles)
	}
	var union []string
	for i := range 3 {
		sdir := filepath.Join(srv.Dir, "corpus", "sharded", fmt.Sprintf("shard-%d-of-3", i))
		checkManifest(t, sdir)
		union = append(union, lines(t, filepath.Join(sdir, masked))...)
	}
	single := lines(t, filepath.Join(srv.Dir, "corpus", "single", masked))
	slices.Sort(union)
	slices.Sort(single)
	if len(single) != 30000 || !slices.Equal(union, single) {
		t.Fatalf("the shards' masked rows (%d) are not the single run's (%d)", len(union), len(single))
	}
}

// objectFiles lists the objects under a prefix of the server's posix store.
func objectFiles(t *testing.T, root string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			rel, _ := filepath.Rel(root, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

// checkManifest checks a published prefix's manifest against its objects.
func checkManifest(t *testing.T, root string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, storage.ManifestName))
	if err != nil {
		t.Fatalf("%s: not published: %v", root, err)
	}
	var m struct {
		Files []struct {
			Key  string `json:"key"`
			Size int64  `json:"size"`
		} `json:"files"`
	}
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, f := range m.Files {
		keys = append(keys, f.Key)
		if st, err := os.Stat(filepath.Join(root, f.Key)); err != nil || st.Size() != f.Size {
			t.Errorf("%s: manifest lists %s (%d bytes), the bucket has %v", root, f.Key, f.Size, err)
		}
	}
	objs := slices.DeleteFunc(objectFiles(t, root), func(s string) bool { return s == storage.ManifestName })
	if !slices.Equal(keys, objs) {
		t.Errorf("%s: manifest lists %v, the bucket holds %v", root, keys, objs)
	}
}

func lines(t *testing.T, p string) []string {
	t.Helper()
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
}
