package jobs

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/piimask/piimask/internal/hub/hubtest"
	"github.com/piimask/piimask/internal/ortlib/ortlibtest"
	"github.com/piimask/piimask/record"
	"github.com/piimask/piimask/stages/detect"
)

// TestHubModelEndToEnd serves the project's own model (models/baseline) from
// a local stand-in for the Hugging Face Hub and loads it as
// `model: hf://piimask/baseline` through the registry the jobs use
// (HF_ENDPOINT, PIIMASK_CACHE_DIR): it detects the same spans as
// builtin:baseline, a mask job with it masks the letter exactly as the
// builtin model does, and HF_HUB_OFFLINE=1 then loads it from the cache with
// the server gone.
func TestHubModelEndToEnd(t *testing.T) {
	ortlibtest.Require(t)
	repo, err := hubtest.ModelDir(filepath.Join("..", "models", "baseline"))
	if err != nil {
		t.Fatal(err)
	}
	srv := hubtest.New(map[string]*hubtest.Repo{"piimask/baseline": repo})
	defer srv.Close()
	cache := t.TempDir()
	vars := map[string]string{"HF_ENDPOINT": srv.URL, "PIIMASK_CACHE_DIR": cache}
	lookup := func(k string) (string, bool) { v, ok := vars[k]; return v, ok }

	ctx := context.Background()
	reg := NewRegistry(lookup)
	detectWith := func(model string) []record.Span {
		t.Helper()
		m, err := reg.New(ctx, detect.Spec{Name: "m", Type: "onnx", Options: detect.Options{"model": model, "aggregation": "first", "max_length": 128}})
		if err != nil {
			t.Fatalf("%s: %v", model, err)
		}
		defer m.Close()
		preds, err := m.Detect(ctx, []record.Record{{ID: "letter", Text: businessLetter}})
		if err != nil {
			t.Fatalf("%s: %v", model, err)
		}
		return preds[0].Spans
	}
	fromHub := detectWith("hf://piimask/baseline")
	builtin := detectWith("builtin:baseline")
	if fmt.Sprint(fromHub) != fmt.Sprint(builtin) {
		t.Fatalf("hf://piimask/baseline spans %v differ from builtin:baseline %v", fromHub, builtin)
	}
	// The small baseline cuts this e-mail into pieces (see
	// TestMaskLetterEvidence), but it does mark it as EMAIL.
	at := len([]rune(businessLetter[:strings.Index(businessLetter, "sarah.mitchell@")]))
	var email bool
	for _, s := range fromHub {
		if s.Label == "EMAIL" && s.Start < at+39 && s.End > at {
			email = true
		}
	}
	if !email {
		t.Fatalf("no EMAIL span on the e-mail address at %d: %v", at, fromHub)
	}
	if n := len(srv.Requests()); n == 0 {
		t.Fatal("the model was not fetched from the test server")
	}

	// A mask job naming the Hub model, with the server gone and
	// HF_HUB_OFFLINE=1: the cache alone serves it.
	srv.Close()
	vars["HF_HUB_OFFLINE"] = "1"
	out := maskLetterWith(t, lookup, "hf://piimask/baseline", "builtin:baseline")
	if out["hf://piimask/baseline"] != out["builtin:baseline"] {
		t.Fatalf("masked with the Hub model:\n%s\nwith the builtin one:\n%s", out["hf://piimask/baseline"], out["builtin:baseline"])
	}
	if strings.Contains(out["hf://piimask/baseline"], "sarah.mitchell@northwind-consulting.com") {
		t.Fatalf("e-mail left in:\n%s", out["hf://piimask/baseline"])
	}

	// Offline with an empty cache: a clear error naming the model.
	vars["PIIMASK_CACHE_DIR"] = t.TempDir()
	_, err = NewRegistry(lookup).New(ctx, detect.Spec{Name: "m", Type: "onnx", Options: detect.Options{"model": "hf://piimask/baseline"}})
	if err == nil || !strings.Contains(err.Error(), "HF_HUB_OFFLINE=1") || !strings.Contains(err.Error(), "hf://piimask/baseline") {
		t.Fatalf("offline, empty cache: %v", err)
	}
}

// maskLetterWith runs a mask job over the business letter with each onnx
// model in turn and returns the masked letters by model.
func maskLetterWith(t *testing.T, lookup func(string) (string, bool), refs ...string) map[string]string {
	t.Helper()
	dir := t.TempDir()
	in := filepath.Join(dir, "letter.txt")
	if err := os.WriteFile(in, []byte(businessLetter), 0o644); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, model := range refs {
		name := strings.SplitN(model, ":", 2)[0]
		cfg := fmt.Sprintf("kind: mask\ninput: {paths: [%s]}\nmethods:\n  - {name: baseline, type: onnx, options: {model: %q, aggregation: first, max_length: 128}}\noutput: {dir: %s}\n",
			in, model, filepath.Join(dir, name))
		path := filepath.Join(dir, name+".yaml")
		if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
			t.Fatal(err)
		}
		var log bytes.Buffer
		env := &Env{Stdout: &log, Stderr: &log, LookupEnv: lookup}
		l, err := Load(path, env)
		if err != nil {
			t.Fatalf("%s: load: %v", model, err)
		}
		if err := Run(context.Background(), l, env); err != nil {
			t.Fatalf("%s: run: %v\n%s", model, err, log.String())
		}
		b, err := os.ReadFile(filepath.Join(dir, name, "masked", "letter.txt"))
		if err != nil {
			t.Fatal(err)
		}
		out[model] = string(b)
	}
	return out
}
