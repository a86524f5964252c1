package main

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/piimask/piimask/jobs/config"
	"github.com/piimask/piimask/stages/pdf"
	"github.com/piimask/piimask/stages/pdf/pdftest"
)

// lockedBuffer is an io.Writer safe to read while the command writes.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func writeConfig(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "serve.yaml")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestServeCommand starts `piimask serve` on a loopback port, calls it, and
// stops it the way SIGTERM does (the command's context ends).
func TestServeCommand(t *testing.T) {
	cfg := writeConfig(t, "methods:\n  - name: rules\n    type: rules\nserve:\n  limits:\n    max_batch: 8\n")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out lockedBuffer
	cmd := newServeCmd(&globalFlags{logLevel: "warn", logFormat: "text"})
	cmd.SetArgs([]string{"--config", cfg, "--addr", "127.0.0.1:0"})
	cmd.SetOut(&out)
	cmd.SetErr(io.Discard)
	done := make(chan error, 1)
	go func() { done <- cmd.ExecuteContext(ctx) }()
	re := regexp.MustCompile(`http://(127\.0\.0\.1:\d+)/`)
	var addr string
	for deadline := time.Now().Add(10 * time.Second); addr == ""; {
		if m := re.FindStringSubmatch(out.String()); m != nil {
			addr = m[1]
			break
		}
		select {
		case err := <-done:
			t.Fatalf("serve exited early: %v", err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("no listening line in %q", out.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	resp, err := http.Post("http://"+addr+"/v1/mask", "application/json", strings.NewReader(`{"text":"mail a.b@example.com"}`))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !bytes.Contains(body, []byte(`"masked":"mail [EMAIL_1]"`)) {
		t.Errorf("mask: %d %s", resp.StatusCode, body)
	}
	// By default a scanned PDF is OCR'd with Tesseract, in memory.
	if pdf.Available() && pdf.TesseractAvailable() {
		scan, err := pdftest.ScannedPDF([]string{"Email: marie.curie@example.org"})
		if err != nil {
			t.Fatal(err)
		}
		var form bytes.Buffer
		mw := multipart.NewWriter(&form)
		fw, err := mw.CreateFormFile("file", "scan.pdf")
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(scan)
		mw.Close()
		resp, err := http.Post("http://"+addr+"/v1/mask", mw.FormDataContentType(), &form)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !bytes.Contains(body, []byte(`"text":"marie.curie@example.org"`)) || !bytes.Contains(body, []byte("[EMAIL_1]")) {
			t.Errorf("scanned PDF: %d %s", resp.StatusCode, body)
		}
	} else if os.Getenv("CI") != "" {
		t.Error("poppler-utils/tesseract missing under CI: run scripts/setup-pdf.sh")
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve after shutdown: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop")
	}
}

func TestServeCommandConfigErrors(t *testing.T) {
	tests := []struct {
		name, config string
		want         []string
	}{
		{"unknown key with line", "methods:\n  - name: rules\n    type: rules\nserve:\n  adress: x\n", []string{"serve.yaml:5", `unknown key "adress"`}},
		{"unknown method type", "methods:\n  - name: m\n    type: bert\n", []string{"serve.yaml:3", `unknown method type "bert"`}},
		{"no methods", "serve:\n  addr: 127.0.0.1:0\n", []string{`required key "methods"`}},
		{"bad duration", "methods:\n  - name: rules\n    type: rules\nserve:\n  request_timeout: soon\n", []string{"serve.yaml:5", "duration"}},
		{"limits for unknown method", "methods:\n  - name: rules\n    type: rules\nserve:\n  method_limits:\n    llm: {workers: 4}\n", []string{`no method named "llm"`}},
		{"api key env unset", "methods:\n  - name: rules\n    type: rules\nserve:\n  api_key_env: PIIMASK_TEST_UNSET_KEY_9\n", []string{"PIIMASK_TEST_UNSET_KEY_9", "not set"}},
		{"unknown ocr engine", "methods:\n  - name: rules\n    type: rules\nserve:\n  ocr: abbyy\n", []string{"serve.yaml:5", `unknown OCR engine "abbyy"`}},
		{"mistral ocr without key", "methods:\n  - name: rules\n    type: rules\nserve:\n  ocr: mistral\n", []string{"serve.yaml:5", "MISTRAL_API_KEY"}},
	}
	t.Setenv("MISTRAL_API_KEY", "")
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cmd := newServeCmd(&globalFlags{logLevel: "warn", logFormat: "text"})
			cmd.SetArgs([]string{"--config", writeConfig(t, tc.config), "--addr", "127.0.0.1:0"})
			cmd.SetOut(io.Discard)
			cmd.SetErr(io.Discard)
			err := cmd.ExecuteContext(context.Background())
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

// TestShippedServeConfig validates configs/serve.yaml against the method
// types the binary registers.
func TestShippedServeConfig(t *testing.T) {
	g := &globalFlags{logLevel: "warn", logFormat: "text"}
	cmd := newServeCmd(g)
	env, err := g.env(cmd)
	if err != nil {
		t.Fatal(err)
	}
	l, err := config.LoadServeFile(filepath.Join("..", "..", "configs", "serve.yaml"), func(string) (string, bool) { return "", false }, env.Registry.Types())
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Config.Methods) != 2 || l.Config.Serve.Addr != "127.0.0.1:8080" || l.Config.Serve.Limits.BatchWait != 2*time.Millisecond {
		t.Errorf("unexpected config: %+v", l.Config)
	}
}
