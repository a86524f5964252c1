package hubtest

import (
	"bytes"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// Repo is one model repository at one commit.
type Repo struct {
	// Commit is the 40-hex commit id every revision of the repo resolves to.
	Commit string
	// Revisions are the branch and tag names served (main is always served).
	Revisions []string
	// Files by repository path.
	Files map[string][]byte
	// LFS paths are served as Git LFS files (302 to the CDN path).
	LFS map[string]bool
	// Private repos answer 401 unless the request has the Bearer token.
	Private bool
}

// Server is the stand-in Hub.
type Server struct {
	*httptest.Server
	// Token is the Bearer token private repositories accept.
	Token string

	mu    sync.Mutex
	repos map[string]*Repo
	// cut: how many more GET bodies under cutPrefix to cut after half
	// their bytes.
	cut       int
	cutPrefix string
	// corrupt: serve these SHA-256 blobs with their last byte flipped.
	corrupt map[string]bool
	log     []Request
	blobs   map[string][]byte // by sha256, the CDN's store
}

// Request is one request the server saw (for assertions).
type Request struct {
	Method, Path, Range string
	Auth                bool // an Authorization header was present
}

// New starts a server with the given repositories (by "org/name").
func New(repos map[string]*Repo) *Server {
	s := &Server{repos: repos, corrupt: map[string]bool{}, blobs: map[string][]byte{}}
	for _, r := range repos {
		for p, data := range r.Files {
			if r.LFS[p] {
				s.blobs[SHA256(data)] = data
			}
		}
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{org}/{name}/resolve/{rev}/{path...}", s.resolve)
	mux.HandleFunc("GET /cdn/{sha}", s.cdn)
	s.Server = httptest.NewServer(s.logged(mux))
	return s
}

// ModelDir reads a model directory (model.onnx, config.json,
// tokenizer.json, optional tokenizer_config.json and thresholds.json) into repository files in
// the Optimum layout: the model at onnx/model.onnx, stored with LFS.
func ModelDir(dir string) (*Repo, error) {
	r := &Repo{Commit: strings.Repeat("ab12", 10), Files: map[string][]byte{}, LFS: map[string]bool{"onnx/model.onnx": true}}
	for name, repoPath := range map[string]string{"model.onnx": "onnx/model.onnx", "config.json": "config.json", "tokenizer.json": "tokenizer.json", "tokenizer_config.json": "tokenizer_config.json", "thresholds.json": "thresholds.json"} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if os.IsNotExist(err) && (name == "tokenizer_config.json" || name == "thresholds.json") {
			continue
		}
		if err != nil {
			return nil, err
		}
		r.Files[repoPath] = data
	}
	return r, nil
}

// CutNext makes the next n file bodies whose URL path starts with prefix
// ("/" for all, "/cdn/" for LFS files) stop after half their bytes: the
// connection is closed mid-file.
func (s *Server) CutNext(n int, prefix string) {
	s.mu.Lock()
	s.cut, s.cutPrefix = n, prefix
	s.mu.Unlock()
}

// Corrupt makes the CDN serve the LFS blob of data with a flipped byte
// (same size, wrong checksum).
func (s *Server) Corrupt(data []byte) {
	s.mu.Lock()
	s.corrupt[SHA256(data)] = true
	s.mu.Unlock()
}

// Requests returns the requests seen so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.log...)
}

func (s *Server) logged(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.log = append(s.log, Request{Method: r.Method, Path: r.URL.Path, Range: r.Header.Get("Range"), Auth: r.Header.Get("Authorization") != ""})
		s.mu.Unlock()
		h.ServeHTTP(w, r)
	})
}

// SHA256 is the hex SHA-256 of data (an LFS file's ETag).
func SHA256(data []byte) string {
	h := sha256.Sum256(data)
	return hex.EncodeToString(h[:])
}

// GitBlobID is the git blob id of data (a git-stored file's ETag).
func GitBlobID(data []byte) string {
	h := sha1.New()
	fmt.Fprintf(h, "blob %d\x00", len(data))
	h.Write(data)
	return hex.EncodeToString(h.Sum(nil))
}

func hubError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("X-Error-Code", code)
	w.Header().Set("X-Error-Message", msg)
	http.Error(w, msg, status)
}

func (s *Server) resolve(w http.ResponseWriter, r *http.Request) {
	repoID := r.PathValue("org") + "/" + r.PathValue("name")
	s.mu.Lock()
	repo := s.repos[repoID]
	s.mu.Unlock()
	authed := s.Token != "" && r.Header.Get("Authorization") == "Bearer "+s.Token
	if repo == nil || (repo.Private && !authed) {
		// The Hub does not tell a private repository from a missing one.
		hubError(w, http.StatusUnauthorized, "RepoNotFound", "Repository Not Found for url: "+r.URL.Path+".")
		return
	}
	rev := r.PathValue("rev")
	known := rev == "main" || rev == repo.Commit
	for _, x := range repo.Revisions {
		known = known || rev == x
	}
	if !known {
		hubError(w, http.StatusNotFound, "RevisionNotFound", "Invalid rev id: "+rev)
		return
	}
	w.Header().Set("X-Repo-Commit", repo.Commit)
	p := r.PathValue("path")
	data, ok := repo.Files[p]
	if !ok {
		hubError(w, http.StatusNotFound, "EntryNotFound", p+" does not exist on \""+rev+"\"")
		return
	}
	if repo.LFS[p] {
		sum := SHA256(data)
		pointer := fmt.Sprintf("version https://git-lfs.github.com/spec/v1\noid sha256:%s\nsize %d\n", sum, len(data))
		w.Header().Set("ETag", `"`+GitBlobID([]byte(pointer))+`"`)
		w.Header().Set("X-Linked-Etag", `"`+sum+`"`)
		w.Header().Set("X-Linked-Size", fmt.Sprint(len(data)))
		w.Header().Set("Location", s.URL+"/cdn/"+sum+"?X-Amz-Signature=test")
		w.WriteHeader(http.StatusFound)
		return
	}
	w.Header().Set("ETag", `"`+GitBlobID(data)+`"`)
	s.serve(w, r, p, data)
}

func (s *Server) cdn(w http.ResponseWriter, r *http.Request) {
	sum := r.PathValue("sha")
	s.mu.Lock()
	data, ok := s.blobs[sum]
	if ok && s.corrupt[sum] {
		data = append([]byte(nil), data...)
		data[len(data)-1] ^= 0xff
	}
	s.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	s.serve(w, r, sum, data)
}

// serve sends data with Range support, or, while cuts are pending, half of
// it and then closes the connection.
func (s *Server) serve(w http.ResponseWriter, r *http.Request, name string, data []byte) {
	s.mu.Lock()
	cut := s.cut > 0 && r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, s.cutPrefix)
	if cut {
		s.cut--
	}
	s.mu.Unlock()
	if !cut {
		http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(data))
		return
	}
	start := 0
	if rg := r.Header.Get("Range"); strings.HasPrefix(rg, "bytes=") {
		if _, err := fmt.Sscanf(strings.TrimPrefix(rg, "bytes="), "%d-", &start); err != nil || start < 0 || start > len(data) {
			http.Error(w, fmt.Sprintf("bad Range %q", rg), http.StatusRequestedRangeNotSatisfiable)
			return
		}
	}
	rest := data[start:]
	w.Header().Set("Content-Length", fmt.Sprint(len(rest)))
	if start > 0 {
		w.Header().Set("Content-Range", fmt.Sprintf("bytes %d-%d/%d", start, len(data)-1, len(data)))
		w.WriteHeader(http.StatusPartialContent)
	} else {
		w.WriteHeader(http.StatusOK)
	}
	if _, err := w.Write(rest[:len(rest)/2]); err != nil {
		return // the client went away; the cut is what it tests anyway
	}
	if f, ok := w.(http.Flusher); ok {
		f.Flush()
	}
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			conn.Close()
		}
	}
}
