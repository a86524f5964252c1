// Package deploy holds the tests of the container image (Dockerfile) and the
// Kubernetes manifests under deploy/kubernetes.
package deploy

import (
	"bytes"
	"debug/elf"
	"encoding/json"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// instr is one Dockerfile instruction.
type instr struct {
	line int
	op   string // upper case: FROM, RUN, COPY, …
	args string
}

// parseDockerfile splits a Dockerfile into instructions: comments dropped,
// backslash continuations joined.
func parseDockerfile(t *testing.T, file string) []instr {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var out []instr
	var cur strings.Builder
	start := 0
	for i, raw := range strings.Split(string(data), "\n") {
		line := strings.TrimSpace(raw)
		if cur.Len() == 0 && (line == "" || strings.HasPrefix(line, "#")) {
			continue
		}
		if cur.Len() == 0 {
			start = i + 1
		}
		if s, ok := strings.CutSuffix(line, "\\"); ok {
			cur.WriteString(s + " ")
			continue
		}
		cur.WriteString(line)
		op, args, _ := strings.Cut(cur.String(), " ")
		out = append(out, instr{line: start, op: strings.ToUpper(op), args: strings.TrimSpace(args)})
		cur.Reset()
	}
	return out
}

// stage is one FROM section, emulated in its own directory standing for /.
type stage struct {
	name, base string
	root       string
	workdir    string
	env        map[string]string
}

// abs maps an absolute in-image path into the stage's directory.
func (s *stage) abs(p string) string {
	if !path.IsAbs(p) {
		p = path.Join(s.workdir, p)
	}
	return filepath.Join(s.root, filepath.FromSlash(p))
}

// TestDockerfileBuildSteps runs the Dockerfile's build on this machine, which
// has no container engine (nor registry access to pull base images): every
// stage's WORKDIR, ENV, ARG, COPY and RUN is carried out in a directory of its
// own standing for the stage's /, COPY reading the build context filtered by
// .dockerignore, then the final stage's COPY --from lines assemble the image's
// file system. The test then checks the image's contract — multi-stage, a
// distroless (shell-less) glibc base, a numeric non-root USER, an exec-form
// ENTRYPOINT, a binary and libonnxruntime needing only libraries that base
// has — and runs the image's ENTRYPOINT and CMD (the quickstart) from the
// assembled file system, with PIIMASK_ORT_LIB at the path the image sets.
func TestDockerfileBuildSteps(t *testing.T) {
	if testing.Short() {
		t.Skip("builds piimask and fetches ONNX Runtime from npm")
	}
	for _, tool := range []string{"go", "npm", "tar"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s missing (scripts/setup.sh)", tool)
			}
			t.Skipf("%s missing", tool)
		}
	}
	repo, _ := filepath.Abs("..")
	ins := parseDockerfile(t, filepath.Join(repo, "Dockerfile"))
	ctxDir := buildContext(t, repo)
	tmp := t.TempDir()
	var stages []*stage
	byName := map[string]*stage{}
	var cur *stage
	var entrypoint, cmd []string
	user := ""
	for _, in := range ins {
		if in.op != "FROM" && in.op != "ARG" && cur == nil {
			t.Fatalf("Dockerfile:%d: %s before FROM", in.line, in.op)
		}
		switch in.op {
		case "FROM":
			f := strings.Fields(in.args)
			s := &stage{base: f[0], root: filepath.Join(tmp, "stage"+string(rune('0'+len(stages)))), workdir: "/", env: map[string]string{}}
			if len(f) == 3 && strings.EqualFold(f[1], "AS") {
				s.name = f[2]
				byName[s.name] = s
			}
			if err := os.MkdirAll(s.root, 0o755); err != nil {
				t.Fatal(err)
			}
			stages = append(stages, s)
			cur = s
		case "WORKDIR":
			cur.workdir = path.Join(cur.workdir, in.args)
			if err := os.MkdirAll(cur.abs("."), 0o755); err != nil {
				t.Fatal(err)
			}
		case "ENV", "ARG":
			k, v, _ := strings.Cut(in.args, "=")
			if in.op == "ARG" && os.Getenv(k) != "" {
				v = os.Getenv(k)
			}
			if path.IsAbs(v) {
				v = cur.abs(v) // an in-image path
			}
			cur.env[k] = v
		case "COPY":
			f := strings.Fields(in.args)
			from := ""
			if v, ok := strings.CutPrefix(f[0], "--from="); ok {
				from, f = v, f[1:]
			}
			srcs, dst := f[:len(f)-1], f[len(f)-1]
			for _, src := range srcs {
				var s string
				if from != "" {
					fs, ok := byName[from]
					if !ok {
						t.Fatalf("Dockerfile:%d: no stage %s", in.line, from)
					}
					s = fs.abs(src)
				} else {
					s = filepath.Join(ctxDir, filepath.FromSlash(src))
				}
				d := cur.abs(dst)
				if st, err := os.Stat(s); err == nil && !st.IsDir() && (strings.HasSuffix(dst, "/") || len(srcs) > 1) {
					d = filepath.Join(d, filepath.Base(s))
				}
				copyTree(t, s, d)
			}
		case "RUN":
			c := exec.Command("/bin/sh", "-c", in.args)
			c.Dir = cur.abs(".")
			c.Env = os.Environ()
			for k, v := range cur.env {
				c.Env = append(c.Env, k+"="+v)
			}
			if out, err := c.CombinedOutput(); err != nil {
				t.Fatalf("Dockerfile:%d: RUN %s: %v\n%s", in.line, in.args, err, out)
			}
		case "USER":
			user = in.args
		case "ENTRYPOINT", "CMD":
			var v []string
			if err := json.Unmarshal([]byte(in.args), &v); err != nil {
				t.Fatalf("Dockerfile:%d: %s must be the exec (JSON) form, no shell in the image: %v", in.line, in.op, err)
			}
			if in.op == "ENTRYPOINT" {
				entrypoint = v
			} else {
				cmd = v
			}
		case "EXPOSE", "LABEL":
		default:
			t.Fatalf("Dockerfile:%d: instruction %s not emulated by this test", in.line, in.op)
		}
	}
	final := stages[len(stages)-1]
	if len(stages) < 3 || final.name != "" {
		t.Fatalf("want build stages and an unnamed final stage, got %d stages", len(stages))
	}
	if !strings.Contains(final.base, "distroless/cc-debian12") || !strings.HasSuffix(final.base, ":nonroot") {
		t.Errorf("final base %s: want gcr.io/distroless/cc-debian12:nonroot (glibc + libstdc++, no shell)", final.base)
	}
	for _, s := range stages[:len(stages)-1] {
		if !strings.Contains(s.base, "bookworm") {
			t.Errorf("build stage %s on %s: want a Debian 12 (bookworm) image, the glibc the runtime has", s.name, s.base)
		}
	}
	if u, _, _ := strings.Cut(user, ":"); u == "" || u == "0" || strings.Trim(u, "0123456789") != "" {
		t.Errorf("USER %q: want a numeric non-root uid (Kubernetes runAsNonRoot checks it)", user)
	}
	for _, sh := range []string{"bin/sh", "bin/bash", "usr/bin/sh"} {
		if _, err := os.Stat(filepath.Join(final.root, sh)); err == nil {
			t.Errorf("the image's own files include a shell: /%s", sh)
		}
	}
	if len(entrypoint) != 1 {
		t.Fatalf("ENTRYPOINT %q: want the piimask binary alone", entrypoint)
	}
	bin := final.abs(entrypoint[0])
	lib, ok := final.env["PIIMASK_ORT_LIB"]
	if !ok {
		t.Fatal("the image sets no PIIMASK_ORT_LIB")
	}
	// distroless/cc-debian12 ships glibc, libgcc_s and libstdc++.
	allowed := []string{"libc.so.6", "libm.so.6", "libdl.so.2", "libpthread.so.0", "librt.so.1", "libresolv.so.2",
		"libgcc_s.so.1", "libstdc++.so.6", "ld-linux-x86-64.so.2"}
	for _, f := range []string{bin, lib} {
		needed := elfNeeded(t, f)
		for _, n := range needed {
			if !slices.Contains(allowed, n) {
				t.Errorf("%s needs %s, which distroless/cc lacks", filepath.Base(f), n)
			}
		}
	}
	// Run the image's ENTRYPOINT + CMD, paths inside the image mapped to the
	// assembled file system, from its WORKDIR, with only the image's env.
	args := make([]string, 0, len(cmd))
	for _, a := range cmd {
		if path.IsAbs(a) {
			a = final.abs(a)
		}
		args = append(args, a)
	}
	work := final.abs(".")
	if err := os.MkdirAll(work, 0o755); err != nil {
		t.Fatal(err)
	}
	run := exec.Command(bin, args...)
	run.Dir = work
	run.Env = []string{"HOME=" + work}
	for k, v := range final.env {
		run.Env = append(run.Env, k+"="+v)
	}
	var stdout, stderr bytes.Buffer
	run.Stdout, run.Stderr = &stdout, &stderr
	if err := run.Run(); err != nil {
		t.Fatalf("image entrypoint %v %v: %v\n%s", entrypoint, cmd, err, stderr.String())
	}
	if !strings.Contains(stdout.String(), "onnx-baseline  0.") || !strings.Contains(stdout.String(), "1000 documents") {
		t.Fatalf("the quickstart's method table is missing:\n%s", stdout.String())
	}
	if _, err := os.Stat(filepath.Join(work, "out", "quickstart", "report.html")); err != nil {
		t.Fatalf("no report: %v", err)
	}
	t.Logf("image file system: %s; quickstart ran with PIIMASK_ORT_LIB=%s", final.root, strings.TrimPrefix(lib, final.root))
}

// elfNeeded lists an ELF file's DT_NEEDED libraries.
func elfNeeded(t *testing.T, file string) []string {
	t.Helper()
	f, err := elf.Open(file)
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	defer f.Close()
	libs, err := f.ImportedLibraries()
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return libs
}

// buildContext copies the repository into a directory as a container engine
// sends it: everything but what .dockerignore excludes.
func buildContext(t *testing.T, repo string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repo, ".dockerignore"))
	if err != nil {
		t.Fatal(err)
	}
	var pats []string
	for _, l := range strings.Split(string(data), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			pats = append(pats, strings.TrimPrefix(l, "/"))
		}
	}
	dst := filepath.Join(t.TempDir(), "context")
	err = filepath.WalkDir(repo, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(repo, p)
		if rel == "." {
			return os.MkdirAll(dst, 0o755)
		}
		if dockerignored(filepath.ToSlash(rel), pats) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		target := filepath.Join(dst, rel)
		switch {
		case d.IsDir():
			return os.MkdirAll(target, 0o755)
		case d.Type().IsRegular():
			return copyFile(p, target)
		}
		return nil // sockets, links: not in the context
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, gone := range []string{".git", "third_party/onnxruntime", "out"} {
		if _, err := os.Stat(filepath.Join(dst, gone)); err == nil {
			t.Fatalf(".dockerignore lets %s into the build context", gone)
		}
	}
	return dst
}

// dockerignored reports whether rel (slash-separated) is excluded by one of
// the .dockerignore patterns: a pattern matches the path or a parent
// directory; a leading **/ matches at any depth.
func dockerignored(rel string, pats []string) bool {
	comps := strings.Split(rel, "/")
	for _, p := range pats {
		rest, any := strings.CutPrefix(p, "**/")
		for i := range comps {
			if i > 0 && !any {
				break
			}
			for j := i + 1; j <= len(comps); j++ {
				if ok, _ := path.Match(rest, strings.Join(comps[i:j], "/")); ok {
					return true
				}
			}
		}
	}
	return false
}

func TestDockerignored(t *testing.T) {
	pats := []string{".git", "out", "third_party/onnxruntime", "**/node_modules", "*.test", "piimask"}
	for _, tt := range []struct {
		rel  string
		want bool
	}{
		{".git/config", true}, {"out/quickstart/report.html", true}, {"third_party/onnxruntime/lib/x", true},
		{"scripts/check-parquet/node_modules/a/b.js", true}, {"jobs.test", true}, {"piimask", true},
		{"cmd/piimask/main.go", false}, {"stages/out.go", false}, {"cmd/x.test", false}, {"scripts/setup.sh", false},
	} {
		if got := dockerignored(tt.rel, pats); got != tt.want {
			t.Errorf("dockerignored(%q) = %v, want %v", tt.rel, got, tt.want)
		}
	}
}

// copyTree copies a file or a directory tree (COPY semantics: a directory's
// contents go into dst).
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		return copyFile(p, target)
	})
	if err != nil {
		t.Fatalf("COPY %s: %v", src, err)
	}
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	st, err := in.Stat()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, st.Mode().Perm())
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
