package server

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

const chromiumPath = "/usr/bin/chromium"

// browser starts headless Chromium for a test, skipping when it is absent
// outside CI (scripts/setup-chromium.sh installs it) and failing under CI.
// Console errors and uncaught exceptions (a CSP violation, say) are
// collected in the returned function's result.
func browser(t *testing.T) (context.Context, func() []string) {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s missing: run scripts/setup-chromium.sh", chromiumPath)
		}
		t.Skipf("%s missing: run scripts/setup-chromium.sh", chromiumPath)
	}
	// Chromium may still write its profile while it exits, so the profile
	// directory is removed by hand (with retries), not by t.TempDir.
	profile, err := os.MkdirTemp("", "piimask-serve-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(1280, 1000),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() {
		cancelTimeout()
		_ = chromedp.Cancel(ctx) // closes the browser and waits for it
		cancelCtx()
		cancelAlloc()
		for range 20 {
			if os.RemoveAll(profile) == nil {
				return
			}
			time.Sleep(50 * time.Millisecond)
		}
		t.Logf("could not remove the Chromium profile %s", profile)
	})
	var mu sync.Mutex
	var problems []string
	chromedp.ListenTarget(ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch e := ev.(type) {
		case *runtime.EventExceptionThrown:
			problems = append(problems, "exception: "+e.ExceptionDetails.Error())
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.APITypeError {
				var parts []string
				for _, a := range e.Args {
					parts = append(parts, string(a.Value))
				}
				problems = append(problems, "console.error: "+strings.Join(parts, " "))
			}
		}
	})
	if err := chromedp.Run(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx, func() []string { mu.Lock(); defer mu.Unlock(); return slices.Clone(problems) }
}

// mark is a highlighted entity as the page shows it.
type mark struct {
	Label string `json:"label"`
	Text  string `json:"text"`
}

const marksJS = `(m) => Array.from(document.querySelectorAll('#results article[data-method="' + m + '"] mark.ent')).map(e => ({label: e.dataset.label, text: e.querySelector('.val').textContent}))`

// clearResultsJS empties the results so that a wait sees only the next answer.
const clearResultsJS = `document.getElementById('results').replaceChildren(), true`

func marksOf(method string) string {
	return fmt.Sprintf("(%s)(%q)", marksJS, method)
}

// TestBrowserUI drives the embedded UI in headless Chromium on a loopback
// server: paste text, pick classes, compare two methods, mask; then upload a
// text file and a PDF. It keeps a screenshot in testdata/artefacts.
func TestBrowserUI(t *testing.T) {
	ctx, problems := browser(t)
	methods := []Method{rulesMethod(t)}
	if os.Getenv("PIIMASK_SERVE_BROWSER_ONNX") != "0" {
		methods = append(methods, onnxOrSkip(t))
	}
	opts := withPDF(Options{})
	pdfx := opts.PDF
	_, ts := newTestServer(t, opts, methods...)

	text := "Dear support, I am Jane Doe. Write to jane.doe@example.com or call +44 20 7946 0958.\n" +
		"My IBAN is GB82WEST12345698765432 and my server is 192.168.1.20."
	var marks []mark
	var masked, status string
	var nResults int
	err := chromedp.Run(ctx,
		chromedp.Navigate(ts.URL+"/"),
		chromedp.WaitVisible(`#class-list input[value="EMAIL"]`, chromedp.ByQuery),
		chromedp.SetValue("#text", text, chromedp.ByID),
		// Pick classes: none, then EMAIL and IBAN.
		chromedp.Click("#classes-none", chromedp.ByID),
		chromedp.Click(`#class-list input[value="EMAIL"]`, chromedp.ByQuery),
		chromedp.Click(`#class-list input[value="IBAN"]`, chromedp.ByQuery),
		chromedp.SetValue("#method-a", "rules", chromedp.ByID),
	)
	if err != nil {
		t.Fatalf("load and fill the page: %v", err)
	}
	if len(methods) > 1 {
		if err := chromedp.Run(ctx, chromedp.SetValue("#method-b", methods[1].Name, chromedp.ByID)); err != nil {
			t.Fatal(err)
		}
	}
	err = chromedp.Run(ctx,
		chromedp.SetValue("#operator", "placeholder", chromedp.ByID),
		chromedp.Click("#mask-btn", chromedp.ByID),
		chromedp.WaitVisible(`#results article[data-method="rules"] .masked`, chromedp.ByQuery),
		chromedp.Evaluate(marksOf("rules"), &marks),
		chromedp.Text(`#results article[data-method="rules"] .masked`, &masked, chromedp.ByQuery),
		chromedp.Text("#status", &status, chromedp.ByID),
		chromedp.Evaluate(`document.querySelectorAll('#results article').length`, &nResults),
	)
	if err != nil {
		t.Fatalf("mask: %v", err)
	}
	wantMarks := []mark{{"EMAIL", "jane.doe@example.com"}, {"IBAN", "GB82WEST12345698765432"}}
	if !slices.Equal(marks, wantMarks) {
		t.Errorf("highlighted %v, want %v", marks, wantMarks)
	}
	for _, s := range []string{"Write to [EMAIL_1] or call +44 20 7946 0958", "My IBAN is [IBAN_1]", "192.168.1.20"} {
		if !strings.Contains(masked, s) {
			t.Errorf("masked text %q lacks %q", masked, s)
		}
	}
	if nResults != len(methods) {
		t.Errorf("%d result columns, want %d (side by side)", nResults, len(methods))
	}
	if !strings.HasPrefix(status, "Done.") {
		t.Errorf("status %q", status)
	}
	shot := filepath.Join("testdata", "artefacts", "serve-ui.png")
	var png []byte
	if err := chromedp.Run(ctx, chromedp.FullScreenshot(&png, 100)); err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if err := os.WriteFile(shot, png, 0o644); err != nil {
		t.Fatal(err)
	}
	abs, _ := filepath.Abs(shot)
	t.Logf("screenshot: %s (%d bytes)", abs, len(png))

	// Responsive: on a phone-sized viewport the form and results stack in one column.
	var formCols, resultCols string
	var overflow []string
	err = chromedp.Run(ctx,
		chromedp.EmulateViewport(390, 844),
		chromedp.Evaluate(`Array.from(document.querySelectorAll('body *')).filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1).map(e => e.tagName + '#' + e.id + '.' + e.className)`, &overflow),
		chromedp.Evaluate(`getComputedStyle(document.getElementById('form')).gridTemplateColumns`, &formCols),
		chromedp.Evaluate(`getComputedStyle(document.getElementById('results')).gridTemplateColumns`, &resultCols),
		chromedp.FullScreenshot(&png, 100),
	)
	if err != nil {
		t.Fatalf("narrow viewport: %v", err)
	}
	if len(overflow) > 0 {
		t.Errorf("narrow viewport: elements wider than the page: %v", overflow)
	}
	if len(strings.Fields(formCols)) != 1 || len(strings.Fields(resultCols)) != 1 {
		t.Errorf("narrow viewport: form columns %q, result columns %q; want one each", formCols, resultCols)
	}
	if err := os.WriteFile(filepath.Join("testdata", "artefacts", "serve-ui-narrow.png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Run(ctx, chromedp.EmulateViewport(1280, 1000)); err != nil {
		t.Fatal(err)
	}

	// Detect only: entities, no masked block. (Ctrl+Enter is tested in TestBrowserErrorShown.)
	err = chromedp.Run(ctx,
		chromedp.Click("#classes-all", chromedp.ByID),
		chromedp.SetValue("#text", "server 10.0.0.7 only", chromedp.ByID),
		chromedp.Evaluate(clearResultsJS, nil),
		chromedp.Click("#detect-btn", chromedp.ByID),
		chromedp.WaitVisible(`#results article[data-method="rules"] mark.ent`, chromedp.ByQuery),
		chromedp.Evaluate(marksOf("rules"), &marks),
	)
	if err != nil {
		t.Fatalf("detect: %v", err)
	}
	if !slices.Equal(marks, []mark{{"IPV4", "10.0.0.7"}}) {
		t.Errorf("detect-only marks %v", marks)
	}
	var hasMasked bool
	if err := chromedp.Run(ctx, chromedp.Evaluate(`!!document.querySelector('#results .masked')`, &hasMasked)); err != nil || hasMasked {
		t.Errorf("detect-only result shows a masked block (err %v)", err)
	}

	// Uploads: a text file and, when poppler is installed, a PDF.
	dir := t.TempDir()
	txt := filepath.Join(dir, "note.txt")
	if err := os.WriteFile(txt, []byte("From the file: mail bob.martin@example.net today."), 0o600); err != nil {
		t.Fatal(err)
	}
	uploads := []struct {
		name, path string
		want       mark
	}{{"text", txt, mark{"EMAIL", "bob.martin@example.net"}}}
	if pdfx != nil {
		p := filepath.Join(dir, "letter.pdf")
		if err := os.WriteFile(p, makePDF(t, "Scanned letter from", "carla.rossi@example.it"), 0o600); err != nil {
			t.Fatal(err)
		}
		uploads = append(uploads, struct {
			name, path string
			want       mark
		}{"pdf", p, mark{"EMAIL", "carla.rossi@example.it"}})
	} else if os.Getenv("CI") != "" {
		t.Error("pdftotext missing under CI: the PDF upload was not tested")
	}
	for _, up := range uploads {
		var area, masked string
		err := chromedp.Run(ctx,
			chromedp.Click("#classes-all", chromedp.ByID),
			chromedp.Evaluate(clearResultsJS, nil),
			chromedp.SetUploadFiles("#file", []string{up.path}, chromedp.ByID),
			chromedp.WaitVisible("#file-clear", chromedp.ByID),
			chromedp.Click("#mask-btn", chromedp.ByID),
			chromedp.WaitNotVisible("#file-clear", chromedp.ByID), // cleared once the answer arrived
			chromedp.WaitVisible(`#results article[data-method="rules"] .masked`, chromedp.ByQuery),
			chromedp.Evaluate(marksOf("rules"), &marks),
			chromedp.Value("#text", &area, chromedp.ByID),
			chromedp.Text(`#results article[data-method="rules"] .masked`, &masked, chromedp.ByQuery),
		)
		if err != nil {
			t.Fatalf("%s upload: %v", up.name, err)
		}
		if !slices.Contains(marks, up.want) {
			t.Errorf("%s upload: marks %v lack %v", up.name, marks, up.want)
		}
		if !strings.Contains(area, up.want.Text) {
			t.Errorf("%s upload: the text area does not show the file's text: %q", up.name, area)
		}
		if strings.Contains(masked, up.want.Text) || !strings.Contains(masked, "[EMAIL_1]") {
			t.Errorf("%s upload: masked %q", up.name, masked)
		}
	}
	if p := problems(); len(p) > 0 {
		t.Errorf("browser console errors: %v", p)
	}
}

// TestBrowserErrorShown checks that an API error reaches the page's status
// line (empty text is refused before sending; an unknown key answer 401).
func TestBrowserErrorShown(t *testing.T) {
	ctx, _ := browser(t)
	_, ts := newTestServer(t, Options{APIKey: "browser-key-123"}, rulesMethod(t))
	var status string
	err := chromedp.Run(ctx,
		chromedp.Navigate(ts.URL+"/"),
		chromedp.WaitVisible("#status", chromedp.ByID),
		chromedp.Poll(`document.getElementById('status').textContent.includes('API key')`, nil, chromedp.WithPollingTimeout(10*time.Second)),
		chromedp.Text("#status", &status, chromedp.ByID),
	)
	if err != nil {
		t.Fatalf("page: %v (status %q)", err, status)
	}
	var marks []mark
	err = chromedp.Run(ctx,
		chromedp.SendKeys("#apikey", "browser-key-123", chromedp.ByID),
		chromedp.Blur("#apikey", chromedp.ByID), // change event reloads the methods
		chromedp.WaitVisible(`#class-list input[value="EMAIL"]`, chromedp.ByQuery),
		chromedp.SetValue("#text", "reach me at x.y@example.com", chromedp.ByID),
		chromedp.Focus("#text", chromedp.ByID),
		chromedp.KeyEvent("\r", chromedp.KeyModifiers(input.ModifierCtrl)), // Ctrl+Enter
		chromedp.WaitVisible(`#results article[data-method="rules"] mark.ent`, chromedp.ByQuery),
		chromedp.Evaluate(marksOf("rules"), &marks),
	)
	if err != nil {
		t.Fatalf("with key: %v", err)
	}
	if !slices.Equal(marks, []mark{{"EMAIL", "x.y@example.com"}}) {
		t.Errorf("marks %v", marks)
	}
}

// onnxOrSkip loads the baseline ONNX method for the side-by-side column.
func onnxOrSkip(t *testing.T) Method {
	t.Helper()
	return onnxBaseline(t, DefaultLimits())
}
