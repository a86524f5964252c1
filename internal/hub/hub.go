package hub

import (
	"context"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Scheme prefixes a Hub model reference in a job config.
const Scheme = "hf://"

// DefaultEndpoint is the Hub's address unless HF_ENDPOINT says otherwise.
const DefaultEndpoint = "https://huggingface.co"

// DefaultRevision is the revision of a reference that names none.
const DefaultRevision = "main"

// Environment variables read by FromEnv.
const (
	EnvToken    = "HF_TOKEN"
	EnvOffline  = "HF_HUB_OFFLINE"
	EnvEndpoint = "HF_ENDPOINT"
)

// ErrOffline marks a file that is not in the cache when the cache is all
// there is (HF_HUB_OFFLINE=1, or a server that cannot be reached).
var ErrOffline = errors.New("not in the cache")

// ErrNotFound marks a repository, revision or file the server does not have
// (HTTP 404, or the Hub's X-Error-Code).
var ErrNotFound = errors.New("not found")

var (
	commitRE = regexp.MustCompile(`^[0-9a-f]{40}$`)
	sha256RE = regexp.MustCompile(`^[0-9a-f]{64}$`)
	// repoRE is an org/name id as the Hub accepts it.
	repoRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*$`)
)

// Ref is a model on the Hub.
type Ref struct {
	// Repo is "org/name".
	Repo string
	// Revision is a branch, tag or commit (default main).
	Revision string
}

// String is the reference as written in a config: hf://org/name@revision.
func (r Ref) String() string { return Scheme + r.Repo + "@" + r.Revision }

// IsRef reports whether s is a Hub reference (starts with hf://).
func IsRef(s string) bool { return strings.HasPrefix(s, Scheme) }

// ParseRef parses hf://org/name[@revision].
func ParseRef(s string) (Ref, error) {
	if !IsRef(s) {
		return Ref{}, fmt.Errorf("%q is not a Hub reference (want hf://org/name[@revision])", s)
	}
	rest := strings.TrimPrefix(s, Scheme)
	r := Ref{Repo: rest, Revision: DefaultRevision}
	if i := strings.LastIndex(rest, "@"); i >= 0 {
		r.Repo, r.Revision = rest[:i], rest[i+1:]
		if r.Revision == "" {
			return Ref{}, fmt.Errorf("%q: empty revision after @", s)
		}
	}
	if !repoRE.MatchString(r.Repo) || strings.Contains(r.Repo, "..") {
		return Ref{}, fmt.Errorf("%q: repository %q is not org/name", s, r.Repo)
	}
	if strings.ContainsAny(r.Revision, "\x00\\") || strings.Contains(r.Revision, "..") {
		return Ref{}, fmt.Errorf("%q: bad revision %q", s, r.Revision)
	}
	return r, nil
}

// Client downloads files from a Hub into a cache directory.
type Client struct {
	// Endpoint is the server (default DefaultEndpoint).
	Endpoint string
	// Token is sent as "Authorization: Bearer <token>" when set.
	Token string
	// Offline uses the cache only.
	Offline bool
	// CacheDir holds the hf/ cache tree.
	CacheDir string
	// HTTP is the client to use (default: one with header timeouts and no
	// overall timeout, so large files are not cut).
	HTTP *http.Client
	// Retries is how many times a download cut mid-file is resumed within one
	// call (default 3; -1 for none).
	Retries int
	// Logger, when set, gets one line per file downloaded (repository, file,
	// size: never the token).
	Logger *slog.Logger
}

// FromEnv returns a client configured from HF_TOKEN, HF_HUB_OFFLINE and
// HF_ENDPOINT, caching under cacheDir.
func FromEnv(lookup func(string) (string, bool), cacheDir string) *Client {
	c := &Client{CacheDir: cacheDir, Endpoint: DefaultEndpoint}
	if v, ok := lookup(EnvEndpoint); ok && strings.TrimSpace(v) != "" {
		c.Endpoint = strings.TrimSpace(v)
	}
	if v, ok := lookup(EnvToken); ok {
		c.Token = strings.TrimSpace(v)
	}
	if v, ok := lookup(EnvOffline); ok {
		switch strings.ToLower(strings.TrimSpace(v)) {
		case "1", "true", "yes", "on":
			c.Offline = true
		}
	}
	return c
}

// File is one file of a model to fetch.
type File struct {
	// Paths are the repository paths tried in order (the first that exists
	// is used).
	Paths []string
	// As is the file's name in the model directory.
	As string
	// Optional files may be missing from the repository.
	Optional bool
}

// ModelFiles are the files of an ONNX token-classification model in the
// Hugging Face Optimum layout, as the onnx method reads them.
var ModelFiles = []File{
	{Paths: []string{"config.json"}, As: "config.json"},
	{Paths: []string{"tokenizer.json"}, As: "tokenizer.json"},
	{Paths: []string{"tokenizer_config.json"}, As: "tokenizer_config.json", Optional: true},
	{Paths: []string{"onnx/model.onnx", "model.onnx"}, As: "model.onnx"},
	// piimask's calibration table (kind: calibrate), when the model has one.
	{Paths: []string{"thresholds.json"}, As: "thresholds.json", Optional: true},
}

// Model fetches ref's ModelFiles (from the cache when they are there) and
// returns a directory holding them under the names the onnx method expects
// (model.onnx at its root, whichever layout the repository uses).
func (c *Client) Model(ctx context.Context, ref Ref) (string, error) {
	return c.Fetch(ctx, ref, ModelFiles)
}

// Fetch fetches files of ref at one commit and returns a directory with each
// present file under its As name (symbolic links into the blob store).
func (c *Client) Fetch(ctx context.Context, ref Ref, files []File) (string, error) {
	if c.CacheDir == "" {
		return "", fmt.Errorf("%s: no cache directory", ref)
	}
	repoDir, err := filepath.Abs(filepath.Join(c.CacheDir, "hf", "models--"+strings.ReplaceAll(ref.Repo, "/", "--")))
	if err != nil {
		return "", fmt.Errorf("%s: cache: %w", ref, err)
	}
	rev := ref.Revision
	commit := ""
	if commitRE.MatchString(rev) {
		commit = rev
	}
	type got struct{ as, blob string }
	var have []got
	for _, f := range files {
		var blob string
		var tried []string
		offline := false
		for _, p := range f.Paths {
			b, cm, err := c.file(ctx, ref, repoDir, rev, commit, p)
			if cm != "" && commit == "" {
				commit = cm // pin every later file to the first file's commit
			}
			if err == nil {
				blob = b
				break
			}
			switch {
			case errors.Is(err, ErrOffline):
				offline = true
			case !errors.Is(err, ErrNotFound):
				return "", err
			}
			tried = append(tried, err.Error())
		}
		if blob == "" {
			switch {
			case f.Optional:
				continue // offline: an optional file never fetched is absent
			case offline:
				return "", fmt.Errorf("%s: %s %w (%s)", ref, strings.Join(f.Paths, " or "), ErrOffline, strings.Join(tried, "; "))
			}
			return "", fmt.Errorf("%s: no %s in the repository (%s)", ref, strings.Join(f.Paths, " or "), strings.Join(tried, "; "))
		}
		have = append(have, got{f.As, blob})
	}
	if commit == "" {
		return "", fmt.Errorf("%s: the server gave no X-Repo-Commit", ref)
	}
	// The model directory: one symbolic link per file, under the name the
	// onnx method reads, built under a temporary name and renamed.
	dir := filepath.Join(repoDir, "piimask-model", commit)
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return "", fmt.Errorf("%s: model cache: %w", ref, err)
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dir), ".tmp-")
	if err != nil {
		return "", fmt.Errorf("%s: model cache: %w", ref, err)
	}
	defer os.RemoveAll(tmp)
	for _, g := range have {
		if err := os.Symlink(g.blob, filepath.Join(tmp, g.as)); err != nil {
			return "", fmt.Errorf("%s: model cache: %w", ref, err)
		}
	}
	if sameLinks(tmp, dir) {
		return dir, nil
	}
	old := dir + ".old-" + strconv.FormatInt(time.Now().UnixNano(), 36)
	if _, err := os.Lstat(dir); err == nil {
		if err := os.Rename(dir, old); err != nil {
			return "", fmt.Errorf("%s: model cache: %w", ref, err)
		}
		defer os.RemoveAll(old)
	}
	if err := os.Rename(tmp, dir); err != nil {
		if sameLinks(dir, dir) { // another process made it meanwhile
			return dir, nil
		}
		return "", fmt.Errorf("%s: model cache: %w", ref, err)
	}
	return dir, nil
}

// sameLinks reports whether directory b exists and holds the same links as a.
func sameLinks(a, b string) bool {
	ea, err1 := os.ReadDir(a)
	eb, err2 := os.ReadDir(b)
	if err1 != nil || err2 != nil || len(ea) != len(eb) {
		return false
	}
	for i := range ea {
		if ea[i].Name() != eb[i].Name() {
			return false
		}
		la, e1 := os.Readlink(filepath.Join(a, ea[i].Name()))
		lb, e2 := os.Readlink(filepath.Join(b, eb[i].Name()))
		if e1 != nil || e2 != nil || la != lb {
			return false
		}
	}
	return true
}

// file returns the blob path of repository file p at revision rev (commit,
// when known, pins it) and the commit it resolved to. A file the repository
// does not have gives an error wrapping ErrNotFound.
func (c *Client) file(ctx context.Context, ref Ref, repoDir, rev, commit, p string) (blob, resolved string, err error) {
	at := commit
	if at == "" {
		at = rev
	}
	// A commit's files never change: the cache answers without the network.
	if commitRE.MatchString(at) {
		if b, ok := cachedPointer(repoDir, at, p); ok {
			return b, at, nil
		}
		if _, err := os.Stat(filepath.Join(repoDir, ".no_exist", at, filepath.FromSlash(p))); err == nil {
			return "", at, fmt.Errorf("%s: %w (cached)", p, ErrNotFound)
		}
	}
	if c.Offline {
		b, cm, err := c.cached(ref, repoDir, rev, at, p)
		if errors.Is(err, ErrOffline) {
			err = fmt.Errorf("%w (HF_HUB_OFFLINE=1: the cache only)", err)
		}
		return b, cm, err
	}

	meta, err := c.head(ctx, ref.Repo, at, p)
	if errors.Is(err, errNetwork) && ctx.Err() == nil {
		// The server cannot be reached: what the cache holds for this
		// revision will do (as huggingface_hub does).
		if b, cm, cerr := c.cached(ref, repoDir, rev, at, p); cerr == nil {
			if c.Logger != nil {
				c.Logger.Warn("model server unreachable, using the cached file", "repo", ref.Repo, "file", p, "commit", cm)
			}
			return b, cm, nil
		} else if errors.Is(cerr, ErrNotFound) || errors.Is(cerr, ErrOffline) {
			return "", cm, fmt.Errorf("%w; %w", err, cerr)
		}
		return "", "", err
	}
	if err != nil {
		if errors.Is(err, ErrNotFound) && meta.commit != "" {
			// Remember that this commit has no such file (as huggingface_hub).
			ne := filepath.Join(repoDir, ".no_exist", meta.commit, filepath.FromSlash(p))
			if os.MkdirAll(filepath.Dir(ne), 0o755) == nil {
				_ = os.WriteFile(ne, nil, 0o644)
			}
			c.saveRef(repoDir, rev, meta.commit)
		}
		return "", meta.commit, fmt.Errorf("%s@%s: %w", ref.Repo, at, err)
	}
	c.saveRef(repoDir, rev, meta.commit)
	blob = filepath.Join(repoDir, "blobs", meta.etag)
	pointer := filepath.Join(repoDir, "snapshots", meta.commit, filepath.FromSlash(p))
	if _, err := os.Stat(blob); err != nil {
		if err := c.download(ctx, ref, p, meta, blob); err != nil {
			return "", meta.commit, err
		}
	}
	if err := linkPointer(blob, pointer); err != nil {
		return "", meta.commit, fmt.Errorf("%s: cache: %w", ref, err)
	}
	return blob, meta.commit, nil
}

// cached answers from the cache alone: the commit revision rev (or the
// pinned commit at) last resolved to, and file p of its snapshot. A file
// not there wraps ErrOffline; one the repository lacks, ErrNotFound.
func (c *Client) cached(ref Ref, repoDir, rev, at, p string) (string, string, error) {
	cm := at
	if !commitRE.MatchString(cm) {
		raw, err := os.ReadFile(filepath.Join(repoDir, "refs", filepath.FromSlash(rev)))
		if err != nil {
			return "", "", fmt.Errorf("%s: revision %q %w (%s)", ref, rev, ErrOffline, filepath.Join(repoDir, "refs"))
		}
		cm = strings.TrimSpace(string(raw))
	}
	if b, ok := cachedPointer(repoDir, cm, p); ok {
		return b, cm, nil
	}
	if _, err := os.Stat(filepath.Join(repoDir, ".no_exist", cm, filepath.FromSlash(p))); err == nil {
		return "", cm, fmt.Errorf("%s: %w (cached)", p, ErrNotFound)
	}
	return "", cm, fmt.Errorf("%s: file %s at commit %s %w (%s)", ref, p, cm, ErrOffline, repoDir)
}

// cachedPointer returns the blob a snapshot pointer links to, when both exist.
func cachedPointer(repoDir, commit, p string) (string, bool) {
	ptr := filepath.Join(repoDir, "snapshots", commit, filepath.FromSlash(p))
	target, err := filepath.EvalSymlinks(ptr)
	if err != nil {
		return "", false
	}
	if _, err := os.Stat(target); err != nil {
		return "", false
	}
	abs, err := filepath.Abs(target)
	if err != nil {
		return "", false
	}
	return abs, true
}

// linkPointer makes pointer a relative symbolic link to blob.
func linkPointer(blob, pointer string) error {
	if err := os.MkdirAll(filepath.Dir(pointer), 0o755); err != nil {
		return err
	}
	rel, err := filepath.Rel(filepath.Dir(pointer), blob)
	if err != nil {
		return err
	}
	if cur, err := os.Readlink(pointer); err == nil && cur == rel {
		return nil
	}
	tmp := pointer + ".tmp-" + strconv.FormatInt(time.Now().UnixNano(), 36)
	if err := os.Symlink(rel, tmp); err != nil {
		return err
	}
	if err := os.Rename(tmp, pointer); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

// saveRef records that revision rev (a branch or tag) resolved to commit.
func (c *Client) saveRef(repoDir, rev, commit string) {
	if commit == "" || rev == commit || commitRE.MatchString(rev) {
		return
	}
	p := filepath.Join(repoDir, "refs", filepath.FromSlash(rev))
	if cur, err := os.ReadFile(p); err == nil && string(cur) == commit {
		return
	}
	if os.MkdirAll(filepath.Dir(p), 0o755) != nil {
		return
	}
	tmp := p + ".tmp-" + strconv.FormatInt(time.Now().UnixNano(), 36)
	if os.WriteFile(tmp, []byte(commit), 0o644) == nil {
		if os.Rename(tmp, p) != nil {
			os.Remove(tmp)
		}
	}
}

// fileMeta is what a HEAD on the resolve endpoint says about a file.
type fileMeta struct {
	commit   string
	etag     string
	size     int64 // -1 when unknown
	location string
}

func (c *Client) endpoint() string {
	e := c.Endpoint
	if e == "" {
		e = DefaultEndpoint
	}
	return strings.TrimRight(e, "/")
}

func (c *Client) httpClient() *http.Client {
	if c.HTTP != nil {
		return c.HTTP
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.ResponseHeaderTimeout = 60 * time.Second
	return &http.Client{Transport: tr}
}

// resolveURL is {endpoint}/{repo}/resolve/{revision}/{path}.
func (c *Client) resolveURL(repo, rev, p string) string {
	return c.endpoint() + "/" + repo + "/resolve/" + url.PathEscape(rev) + "/" + (&url.URL{Path: p}).EscapedPath()
}

// head asks the resolve endpoint about file p. On a 404 the returned meta
// may still carry the commit (X-Repo-Commit).
func (c *Client) head(ctx context.Context, repo, rev, p string) (fileMeta, error) {
	u := c.resolveURL(repo, rev, p)
	hc := *c.httpClient()
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	for hops := 0; ; hops++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodHead, u, nil)
		if err != nil {
			return fileMeta{}, err
		}
		req.Header.Set("Accept-Encoding", "identity")
		req.Header.Set("User-Agent", "piimask")
		if c.Token != "" {
			req.Header.Set("Authorization", "Bearer "+c.Token)
		}
		resp, err := hc.Do(req)
		if err != nil {
			return fileMeta{}, fmt.Errorf("%s: HEAD %s: %w: %w", p, redact(u), errNetwork, err)
		}
		resp.Body.Close()
		meta := fileMeta{commit: resp.Header.Get("X-Repo-Commit"), size: -1, location: u}
		if resp.StatusCode >= 300 && resp.StatusCode < 400 {
			loc := resp.Header.Get("Location")
			target, perr := url.Parse(loc)
			if loc == "" || perr != nil {
				return meta, fmt.Errorf("%s: HTTP %d without a usable Location", p, resp.StatusCode)
			}
			if target.Host == "" && hops < 5 {
				// A relative redirect (renamed repository): follow it.
				base, _ := url.Parse(u)
				u = base.ResolveReference(target).String()
				continue
			}
			base, _ := url.Parse(u)
			meta.location = base.ResolveReference(target).String()
		} else if resp.StatusCode != http.StatusOK {
			return meta, statusError(p, resp, c.Token != "")
		}
		meta.etag = normalizeETag(resp.Header.Get("X-Linked-Etag"))
		if meta.etag == "" {
			meta.etag = normalizeETag(resp.Header.Get("ETag"))
		}
		sz := resp.Header.Get("X-Linked-Size")
		if sz == "" {
			sz = resp.Header.Get("Content-Length")
		}
		if n, err := strconv.ParseInt(sz, 10, 64); err == nil && n >= 0 {
			meta.size = n
		}
		if meta.location == u && commitRE.MatchString(meta.commit) {
			// Served directly: fetch the bytes at the commit, not the branch.
			meta.location = c.resolveURL(repo, meta.commit, p)
		}
		switch {
		case meta.commit == "":
			return meta, fmt.Errorf("%s: the server sent no X-Repo-Commit header (is %s a Hugging Face Hub?)", p, c.endpoint())
		case !commitRE.MatchString(meta.commit):
			return meta, fmt.Errorf("%s: X-Repo-Commit %q is not a commit id", p, meta.commit)
		case meta.etag == "":
			return meta, fmt.Errorf("%s: the server sent no ETag: the file cannot be checked", p)
		case !commitRE.MatchString(meta.etag) && !sha256RE.MatchString(meta.etag):
			return meta, fmt.Errorf("%s: ETag %q is neither a git blob id nor a SHA-256: the file cannot be checked", p, meta.etag)
		}
		return meta, nil
	}
}

// normalizeETag drops a weak prefix and the quotes.
func normalizeETag(e string) string {
	e = strings.TrimSpace(e)
	e = strings.TrimPrefix(e, "W/")
	return strings.Trim(e, `"`)
}

// statusError describes a failed response: HTTP status, the Hub's error code
// and message, and what to do about a 401/403.
func statusError(p string, resp *http.Response, haveToken bool) error {
	msg := fmt.Sprintf("%s: HTTP %d", p, resp.StatusCode)
	code := resp.Header.Get("X-Error-Code")
	if code != "" {
		msg += " " + code
	}
	if m := resp.Header.Get("X-Error-Message"); m != "" {
		msg += ": " + m
	}
	switch {
	case resp.StatusCode == http.StatusUnauthorized && !haveToken:
		msg += " (private or gated repository, or no such repository: set HF_TOKEN)"
	case resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden:
		msg += " (HF_TOKEN was refused or has no access to this repository)"
	}
	if resp.StatusCode == http.StatusNotFound || code == "EntryNotFound" || code == "RevisionNotFound" || code == "RepoNotFound" {
		return fmt.Errorf("%s: %w", msg, ErrNotFound)
	}
	return errors.New(msg)
}

// redact leaves a URL's query out of messages (signed CDN URLs carry
// credentials there).
func redact(u string) string {
	if i := strings.IndexByte(u, '?'); i >= 0 {
		return u[:i] + "?…"
	}
	return u
}

// download fetches meta's file into blob, resuming blob.incomplete with a
// Range request, and checks its size and checksum before renaming it.
func (c *Client) download(ctx context.Context, ref Ref, p string, meta fileMeta, blob string) error {
	if err := os.MkdirAll(filepath.Dir(blob), 0o755); err != nil {
		return fmt.Errorf("%s: cache: %w", ref, err)
	}
	// One download of a blob at a time, across processes (shards sharing a
	// cache): the others wait, then find the blob there.
	unlock, err := lockFile(ctx, blob+".lock")
	if err != nil {
		return fmt.Errorf("%s: cache lock: %w", ref, err)
	}
	defer unlock()
	if _, err := os.Stat(blob); err == nil {
		return nil
	}
	inc := blob + ".incomplete"
	retries := c.Retries
	if retries == 0 {
		retries = 3
	}
	if retries < 0 {
		retries = 0
	}
	if c.Logger != nil {
		c.Logger.Info("downloading model file", "repo", ref.Repo, "commit", meta.commit, "file", p, "bytes", meta.size)
	}
	for attempt := 0; ; attempt++ {
		err = c.get(ctx, meta, inc)
		if err == nil || ctx.Err() != nil || attempt >= retries || !errors.Is(err, errCut) {
			break
		}
		select {
		case <-ctx.Done():
		case <-time.After(time.Duration(200*(attempt+1)) * time.Millisecond):
		}
	}
	if err != nil {
		return fmt.Errorf("%s: %s at commit %s: %w", ref, p, meta.commit, err)
	}
	if err := verify(inc, meta); err != nil {
		os.Remove(inc)
		return fmt.Errorf("%s: %s at commit %s: %w (download deleted)", ref, p, meta.commit, err)
	}
	if err := os.Rename(inc, blob); err != nil {
		return fmt.Errorf("%s: cache: %w", ref, err)
	}
	return nil
}

// lockFile takes an exclusive flock on path, polling so ctx can cancel the
// wait, and returns its release.
func lockFile(ctx context.Context, path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return func() {
				_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
				f.Close()
			}, nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			f.Close()
			return nil, err
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// errNetwork marks a server that could not be reached (no HTTP answer).
var errNetwork = errors.New("server unreachable")

// errCut marks a transfer that stopped before the end (resumable).
var errCut = errors.New("transfer cut")

// get appends the rest of the file to inc (a Range request from its size).
func (c *Client) get(ctx context.Context, meta fileMeta, inc string) error {
	f, err := os.OpenFile(inc, os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	have, err := f.Seek(0, io.SeekEnd)
	if err != nil {
		return err
	}
	if meta.size >= 0 && have > meta.size { // not this file: start again
		if err := f.Truncate(0); err != nil {
			return err
		}
		have, _ = f.Seek(0, io.SeekStart)
	}
	if meta.size >= 0 && have == meta.size {
		return nil
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, meta.location, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept-Encoding", "identity")
	req.Header.Set("User-Agent", "piimask")
	if c.Token != "" && sameHost(meta.location, c.endpoint()) {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	if have > 0 {
		req.Header.Set("Range", "bytes="+strconv.FormatInt(have, 10)+"-")
	}
	resp, err := c.httpClient().Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("GET %s: %w: %w", redact(meta.location), errCut, err)
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusPartialContent && have > 0:
		if !strings.HasPrefix(resp.Header.Get("Content-Range"), "bytes "+strconv.FormatInt(have, 10)+"-") {
			return fmt.Errorf("GET %s: Content-Range %q does not start at byte %d", redact(meta.location), resp.Header.Get("Content-Range"), have)
		}
	case resp.StatusCode == http.StatusOK:
		if have > 0 { // the server ignored the Range: start again
			if err := f.Truncate(0); err != nil {
				return err
			}
			if _, err := f.Seek(0, io.SeekStart); err != nil {
				return err
			}
		}
	default:
		return fmt.Errorf("GET %s: %w", redact(meta.location), statusError(path.Base(meta.location), resp, c.Token != ""))
	}
	if _, err := io.Copy(f, resp.Body); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("GET %s: %w: %w", redact(meta.location), errCut, err)
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if meta.size >= 0 {
		if st, err := f.Stat(); err == nil && st.Size() < meta.size {
			return fmt.Errorf("GET %s: %w: %d of %d bytes", redact(meta.location), errCut, st.Size(), meta.size)
		}
	}
	return nil
}

func sameHost(a, b string) bool {
	ua, e1 := url.Parse(a)
	ub, e2 := url.Parse(b)
	return e1 == nil && e2 == nil && strings.EqualFold(ua.Host, ub.Host)
}

// verify checks the downloaded file's size and its checksum against the
// etag: SHA-256 for LFS files, the git blob id (SHA-1) otherwise.
func verify(file string, meta fileMeta) error {
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if meta.size >= 0 && st.Size() != meta.size {
		return fmt.Errorf("size %d bytes, the server announced %d", st.Size(), meta.size)
	}
	var h hash.Hash
	kind := "SHA-256"
	if sha256RE.MatchString(meta.etag) {
		h = sha256.New()
	} else {
		kind = "git blob id"
		h = sha1.New()
		fmt.Fprintf(h, "blob %d\x00", st.Size())
	}
	if _, err := io.Copy(h, f); err != nil {
		return err
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != meta.etag {
		return fmt.Errorf("checksum mismatch: %s %s, the server's ETag is %s", kind, got, meta.etag)
	}
	return nil
}
