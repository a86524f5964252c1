package hub_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/piimask/piimask/internal/hub"
	"github.com/piimask/piimask/internal/hub/hubtest"
)

// baselineRepo serves the project's own model (models/baseline) in the
// Optimum layout.
func baselineRepo(t *testing.T) *hubtest.Repo {
	t.Helper()
	r, err := hubtest.ModelDir(filepath.Join("..", "..", "models", "baseline"))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func newServer(t *testing.T, repos map[string]*hubtest.Repo) *hubtest.Server {
	t.Helper()
	s := hubtest.New(repos)
	t.Cleanup(s.Close)
	return s
}

func client(s *hubtest.Server, cache string) *hub.Client {
	return &hub.Client{Endpoint: s.URL, CacheDir: cache}
}

func mustRef(t *testing.T, s string) hub.Ref {
	t.Helper()
	r, err := hub.ParseRef(s)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// checkModelDir checks that dir holds the repository's files under the names
// the onnx method reads.
func checkModelDir(t *testing.T, dir string, repo *hubtest.Repo) {
	t.Helper()
	want := map[string]string{"model.onnx": "onnx/model.onnx", "config.json": "config.json", "tokenizer.json": "tokenizer.json"}
	if _, ok := repo.Files["model.onnx"]; ok {
		want["model.onnx"] = "model.onnx"
	}
	for name, repoPath := range want {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !bytes.Equal(got, repo.Files[repoPath]) {
			t.Fatalf("%s: %d bytes differ from the served %s (%d bytes)", name, len(got), repoPath, len(repo.Files[repoPath]))
		}
	}
}

func count(reqs []hubtest.Request, method, prefix string) int {
	n := 0
	for _, r := range reqs {
		if r.Method == method && strings.HasPrefix(r.Path, prefix) {
			n++
		}
	}
	return n
}

func TestParseRef(t *testing.T) {
	for _, tc := range []struct {
		in, repo, rev, err string
	}{
		{in: "hf://piimask/baseline", repo: "piimask/baseline", rev: "main"},
		{in: "hf://org/name@v1.2", repo: "org/name", rev: "v1.2"},
		{in: "hf://org/name@0123456789abcdef0123456789abcdef01234567", repo: "org/name", rev: "0123456789abcdef0123456789abcdef01234567"},
		{in: "hf://org/name@", err: "empty revision"},
		{in: "hf://name", err: "not org/name"},
		{in: "hf://a/b/c", err: "not org/name"},
		{in: "hf://../x", err: "not org/name"},
		{in: "hf://org/name@../x", err: "bad revision"},
		{in: "builtin:baseline", err: "not a Hub reference"},
	} {
		r, err := hub.ParseRef(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%s: error %v, want %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || r.Repo != tc.repo || r.Revision != tc.rev {
			t.Errorf("%s: got %+v, %v", tc.in, r, err)
		}
	}
}

func TestFromEnv(t *testing.T) {
	env := map[string]string{"HF_TOKEN": "hf_secret", "HF_HUB_OFFLINE": "1", "HF_ENDPOINT": "http://mirror.local/"}
	c := hub.FromEnv(func(k string) (string, bool) { v, ok := env[k]; return v, ok }, "/cache")
	if c.Token != "hf_secret" || !c.Offline || c.Endpoint != "http://mirror.local/" || c.CacheDir != "/cache" {
		t.Fatalf("from env: %+v", c)
	}
	c = hub.FromEnv(func(string) (string, bool) { return "", false }, "/cache")
	if c.Token != "" || c.Offline || c.Endpoint != hub.DefaultEndpoint {
		t.Fatalf("empty env: %+v", c)
	}
}

func TestDownloadCachesAndPinsTheCommit(t *testing.T) {
	repo := baselineRepo(t)
	repo.Revisions = []string{"v1"}
	s := newServer(t, map[string]*hubtest.Repo{"piimask/baseline": repo})
	cache := t.TempDir()
	c := client(s, cache)
	dir, err := c.Model(context.Background(), mustRef(t, "hf://piimask/baseline@v1"))
	if err != nil {
		t.Fatal(err)
	}
	checkModelDir(t, dir, repo)
	if filepath.Base(dir) != repo.Commit {
		t.Errorf("model dir %s is not named after the commit %s", dir, repo.Commit)
	}
	reqs := s.Requests()
	// The first file is asked for at v1; every other one at the commit it gave.
	if !strings.Contains(reqs[0].Path, "/resolve/v1/config.json") {
		t.Errorf("first request %s", reqs[0].Path)
	}
	for _, r := range reqs[1:] {
		if strings.Contains(r.Path, "/resolve/") && !strings.Contains(r.Path, "/resolve/"+repo.Commit+"/") {
			t.Errorf("request %s not pinned to commit %s", r.Path, repo.Commit)
		}
	}
	if n := count(reqs, "GET", "/cdn/"); n != 1 {
		t.Errorf("%d GETs of the LFS model on the CDN path, want 1", n)
	}
	// The ref is recorded as huggingface_hub does.
	ref, err := os.ReadFile(filepath.Join(cache, "hf", "models--piimask--baseline", "refs", "v1"))
	if err != nil || string(ref) != repo.Commit {
		t.Errorf("refs/v1 = %q, %v", ref, err)
	}
	// The tokenizer_config.json the repo lacks is remembered.
	if _, err := os.Stat(filepath.Join(cache, "hf", "models--piimask--baseline", ".no_exist", repo.Commit, "tokenizer_config.json")); err != nil {
		t.Errorf("no .no_exist marker: %v", err)
	}

	// Again at the branch: metadata only, nothing downloaded.
	n0 := len(s.Requests())
	if _, err := c.Model(context.Background(), mustRef(t, "hf://piimask/baseline@v1")); err != nil {
		t.Fatal(err)
	}
	again := s.Requests()[n0:]
	if count(again, "GET", "/") != 0 {
		t.Errorf("second fetch downloaded again: %+v", again)
	}
	// At the commit: the cache answers, no request at all.
	n0 = len(s.Requests())
	dir2, err := c.Model(context.Background(), mustRef(t, "hf://piimask/baseline@"+repo.Commit))
	if err != nil {
		t.Fatal(err)
	}
	if dir2 != dir || len(s.Requests()) != n0 {
		t.Errorf("fetch at the commit: dir %s (want %s), %d requests", dir2, dir, len(s.Requests())-n0)
	}
}

func TestRootLayoutModel(t *testing.T) {
	repo := baselineRepo(t)
	repo.Files["model.onnx"] = repo.Files["onnx/model.onnx"]
	delete(repo.Files, "onnx/model.onnx")
	repo.LFS = map[string]bool{"model.onnx": true}
	s := newServer(t, map[string]*hubtest.Repo{"org/root": repo})
	dir, err := client(s, t.TempDir()).Model(context.Background(), mustRef(t, "hf://org/root"))
	if err != nil {
		t.Fatal(err)
	}
	checkModelDir(t, dir, repo)
}

func TestTruncatedDownloadResumesInTheSameCall(t *testing.T) {
	repo := baselineRepo(t)
	s := newServer(t, map[string]*hubtest.Repo{"piimask/baseline": repo})
	s.CutNext(1, "/cdn/")
	dir, err := client(s, t.TempDir()).Model(context.Background(), mustRef(t, "hf://piimask/baseline"))
	if err != nil {
		t.Fatal(err)
	}
	checkModelDir(t, dir, repo)
	ranged := 0
	for _, r := range s.Requests() {
		if r.Range != "" {
			ranged++
		}
	}
	if ranged != 1 {
		t.Errorf("%d Range requests after one cut, want 1: %+v", ranged, s.Requests())
	}
}

func TestTruncatedDownloadResumesInALaterCall(t *testing.T) {
	repo := baselineRepo(t)
	s := newServer(t, map[string]*hubtest.Repo{"piimask/baseline": repo})
	cache := t.TempDir()
	c := client(s, cache)
	c.Retries = -1
	s.CutNext(1, "/cdn/") // the LFS model is cut half way
	_, err := c.Model(context.Background(), mustRef(t, "hf://piimask/baseline"))
	if err == nil || !strings.Contains(err.Error(), "onnx/model.onnx") {
		t.Fatalf("cut download: error %v, want one naming onnx/model.onnx", err)
	}
	blobs := filepath.Join(cache, "hf", "models--piimask--baseline", "blobs")
	inc, _ := filepath.Glob(filepath.Join(blobs, "*.incomplete"))
	if len(inc) != 1 {
		t.Fatalf("want one .incomplete file, have %v", inc)
	}
	st, _ := os.Stat(inc[0])
	half := int64(len(repo.Files["onnx/model.onnx"]) / 2)
	if st.Size() != half {
		t.Fatalf(".incomplete has %d bytes, want %d", st.Size(), half)
	}
	n0 := len(s.Requests())
	c.Retries = 0
	dir, err := c.Model(context.Background(), mustRef(t, "hf://piimask/baseline"))
	if err != nil {
		t.Fatal(err)
	}
	checkModelDir(t, dir, repo)
	// The files not yet fetched when the cut happened (small ones, such as
	// thresholds.json, come after the model) are fetched whole; the model,
	// the only LFS file, is resumed by one ranged GET from the CDN.
	var ranges []string
	for _, r := range s.Requests()[n0:] {
		if r.Method == "GET" && (strings.HasPrefix(r.Path, "/cdn/") || r.Range != "") {
			ranges = append(ranges, r.Path+" "+r.Range)
		}
	}
	if len(ranges) != 1 || !strings.HasPrefix(ranges[0], "/cdn/") || !strings.HasSuffix(ranges[0], fmt.Sprintf(" bytes=%d-", half)) {
		t.Errorf("resume GETs %v, want one ranged GET of the model", ranges)
	}
	if inc, _ := filepath.Glob(filepath.Join(blobs, "*.incomplete")); len(inc) != 0 {
		t.Errorf(".incomplete files left: %v", inc)
	}
}

func TestChecksumMismatchLeavesNothing(t *testing.T) {
	repo := baselineRepo(t)
	s := newServer(t, map[string]*hubtest.Repo{"piimask/baseline": repo})
	s.Corrupt(repo.Files["onnx/model.onnx"])
	cache := t.TempDir()
	_, err := client(s, cache).Model(context.Background(), mustRef(t, "hf://piimask/baseline"))
	if err == nil || !strings.Contains(err.Error(), "checksum mismatch") || !strings.Contains(err.Error(), "onnx/model.onnx") {
		t.Fatalf("error %v, want a checksum mismatch naming onnx/model.onnx", err)
	}
	blobs := filepath.Join(cache, "hf", "models--piimask--baseline", "blobs")
	sum := hubtest.SHA256(repo.Files["onnx/model.onnx"])
	for _, p := range []string{filepath.Join(blobs, sum), filepath.Join(blobs, sum+".incomplete")} {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("%s left in the cache", p)
		}
	}
	if _, err := os.Stat(filepath.Join(cache, "hf", "models--piimask--baseline", "piimask-model")); err == nil {
		t.Error("a model directory was made")
	}
}

func TestTokenAndErrors(t *testing.T) {
	repo := baselineRepo(t)
	repo.Private = true
	noTok := baselineRepo(t)
	delete(noTok.Files, "tokenizer.json")
	s := newServer(t, map[string]*hubtest.Repo{"org/private": repo, "org/notok": noTok})
	s.Token = "hf_test_secret_token"
	ctx := context.Background()

	_, err := client(s, t.TempDir()).Model(ctx, mustRef(t, "hf://org/private"))
	if err == nil || !strings.Contains(err.Error(), "HTTP 401") || !strings.Contains(err.Error(), "HF_TOKEN") {
		t.Fatalf("no token: %v, want HTTP 401 and a hint to set HF_TOKEN", err)
	}
	c := client(s, t.TempDir())
	c.Token = "hf_wrong_token"
	_, err = c.Model(ctx, mustRef(t, "hf://org/private"))
	if err == nil || strings.Contains(err.Error(), "hf_wrong_token") || !strings.Contains(err.Error(), "refused") {
		t.Fatalf("wrong token: %v", err)
	}
	c.Token = s.Token
	dir, err := c.Model(ctx, mustRef(t, "hf://org/private"))
	if err != nil {
		t.Fatal(err)
	}
	checkModelDir(t, dir, repo)

	for _, tc := range []struct{ ref, want string }{
		{"hf://org/notok", "tokenizer.json: HTTP 404 EntryNotFound"},
		{"hf://org/notok@nosuchbranch", "HTTP 404 RevisionNotFound"},
		{"hf://org/nosuchrepo", "HTTP 401 RepoNotFound"},
	} {
		_, err := client(s, t.TempDir()).Model(ctx, mustRef(t, tc.ref))
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), strings.TrimPrefix(strings.Split(tc.ref, "@")[0], "hf://")) {
			t.Errorf("%s: error %v, want %q and the repository", tc.ref, err, tc.want)
		}
	}
}

func TestOffline(t *testing.T) {
	repo := baselineRepo(t)
	s := newServer(t, map[string]*hubtest.Repo{"piimask/baseline": repo})
	cache := t.TempDir()
	ctx := context.Background()
	off := &hub.Client{Endpoint: s.URL, CacheDir: cache, Offline: true}

	_, err := off.Model(ctx, mustRef(t, "hf://piimask/baseline"))
	if !errors.Is(err, hub.ErrOffline) || !strings.Contains(err.Error(), "HF_HUB_OFFLINE=1") || !strings.Contains(err.Error(), "piimask/baseline") {
		t.Fatalf("offline, empty cache: %v", err)
	}
	if len(s.Requests()) != 0 {
		t.Fatalf("offline client made %d requests", len(s.Requests()))
	}
	if _, err := client(s, cache).Model(ctx, mustRef(t, "hf://piimask/baseline")); err != nil {
		t.Fatal(err)
	}
	n0 := len(s.Requests())
	dir, err := off.Model(ctx, mustRef(t, "hf://piimask/baseline"))
	if err != nil {
		t.Fatalf("offline after an online fetch: %v", err)
	}
	checkModelDir(t, dir, repo)
	if len(s.Requests()) != n0 {
		t.Fatalf("offline client made %d requests", len(s.Requests())-n0)
	}
	// A file of the snapshot gone from the cache: named in the error.
	os.Remove(filepath.Join(cache, "hf", "models--piimask--baseline", "snapshots", repo.Commit, "tokenizer.json"))
	_, err = off.Model(ctx, mustRef(t, "hf://piimask/baseline"))
	if !errors.Is(err, hub.ErrOffline) || !strings.Contains(err.Error(), "tokenizer.json") {
		t.Fatalf("offline, file missing: %v", err)
	}
	_, err = off.Model(ctx, mustRef(t, "hf://piimask/baseline@v9"))
	if !errors.Is(err, hub.ErrOffline) || !strings.Contains(err.Error(), `revision "v9"`) {
		t.Fatalf("offline, unknown revision: %v", err)
	}
}

// Two fetches of one model into one cache at the same time (two shards):
// both succeed and the model is downloaded once.
func TestConcurrentFetchesDownloadOnce(t *testing.T) {
	repo := baselineRepo(t)
	s := newServer(t, map[string]*hubtest.Repo{"piimask/baseline": repo})
	cache := t.TempDir()
	errs := make(chan error, 2)
	dirs := make(chan string, 2)
	for i := 0; i < 2; i++ {
		go func() {
			d, err := client(s, cache).Model(context.Background(), mustRef(t, "hf://piimask/baseline"))
			dirs <- d
			errs <- err
		}()
	}
	for i := 0; i < 2; i++ {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
		checkModelDir(t, <-dirs, repo)
	}
	if n := count(s.Requests(), "GET", "/cdn/"); n != 1 {
		t.Errorf("model downloaded %d times, want once", n)
	}
}

// Offline, an optional file never asked for (a cache filled by another
// tool has no .no_exist marker) is simply absent.
func TestOfflineOptionalFileNeverFetched(t *testing.T) {
	repo := baselineRepo(t)
	s := newServer(t, map[string]*hubtest.Repo{"piimask/baseline": repo})
	cache := t.TempDir()
	if _, err := client(s, cache).Model(context.Background(), mustRef(t, "hf://piimask/baseline")); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(filepath.Join(cache, "hf", "models--piimask--baseline", ".no_exist")); err != nil {
		t.Fatal(err)
	}
	dir, err := (&hub.Client{CacheDir: cache, Offline: true}).Model(context.Background(), mustRef(t, "hf://piimask/baseline"))
	if err != nil {
		t.Fatal(err)
	}
	checkModelDir(t, dir, repo)
	if _, err := os.Lstat(filepath.Join(dir, "tokenizer_config.json")); err == nil {
		t.Error("tokenizer_config.json in the model directory")
	}
}

// A server that cannot be reached: the cache serves a model fetched before
// (as huggingface_hub does); with an empty cache the error says so.
func TestUnreachableServerFallsBackToTheCache(t *testing.T) {
	repo := baselineRepo(t)
	s := hubtest.New(map[string]*hubtest.Repo{"piimask/baseline": repo})
	cache := t.TempDir()
	if _, err := client(s, cache).Model(context.Background(), mustRef(t, "hf://piimask/baseline")); err != nil {
		t.Fatal(err)
	}
	url := s.URL
	s.Close()
	dir, err := (&hub.Client{Endpoint: url, CacheDir: cache}).Model(context.Background(), mustRef(t, "hf://piimask/baseline"))
	if err != nil {
		t.Fatalf("unreachable server, warm cache: %v", err)
	}
	checkModelDir(t, dir, repo)
	_, err = (&hub.Client{Endpoint: url, CacheDir: t.TempDir()}).Model(context.Background(), mustRef(t, "hf://piimask/baseline"))
	if err == nil || !strings.Contains(err.Error(), "server unreachable") || !strings.Contains(err.Error(), "config.json") {
		t.Fatalf("unreachable server, empty cache: %v", err)
	}
}
