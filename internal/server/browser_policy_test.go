package server

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/piimask/piimask/stages/mask"
)

// TestBrowserPolicy drives the UI's policy controls: a per-class operator,
// excluded classes, the mask operator's visible characters, and a server
// that lets requests override only the operator.
func TestBrowserPolicy(t *testing.T) {
	ctx, problems := browser(t)
	_, ts := newTestServer(t, Options{}, rulesMethod(t))
	text := "Write to jane.doe@example.com from 192.168.1.20, IBAN GB82WEST12345698765432."
	var masked, opList string
	var keepHidden bool
	err := chromedp.Run(ctx,
		chromedp.Navigate(ts.URL+"/"),
		chromedp.WaitVisible(`#class-list input[value="EMAIL"]`, chromedp.ByQuery),
		chromedp.SetValue("#text", text, chromedp.ByID),
		chromedp.SetValue("#method-a", "rules", chromedp.ByID),
		chromedp.SetValue("#op-class", "EMAIL", chromedp.ByID),
		chromedp.SetValue("#op-type", "redact", chromedp.ByID),
		chromedp.Click("#op-add", chromedp.ByID),
		chromedp.SetValue("#op-class", "IBAN", chromedp.ByID),
		chromedp.SetValue("#op-type", "mask", chromedp.ByID),
		chromedp.Click("#op-add", chromedp.ByID),
		chromedp.Text("#op-list", &opList, chromedp.ByID),
		chromedp.Evaluate(`document.getElementById('keep-last-row').hidden`, &keepHidden),
		chromedp.SetValue("#keep-last", "4", chromedp.ByID),
		chromedp.Evaluate(`(() => { for (const o of document.getElementById('exclude').options) o.selected = o.value === 'IPV4'; return true })()`, nil),
		chromedp.Click("#mask-btn", chromedp.ByID),
		chromedp.WaitVisible(`#results article[data-method="rules"] .masked`, chromedp.ByQuery),
		chromedp.Text(`#results article[data-method="rules"] .masked`, &masked, chromedp.ByQuery),
	)
	if err != nil {
		t.Fatalf("policy controls: %v", err)
	}
	if !strings.Contains(opList, "EMAIL → redact") || !strings.Contains(opList, "IBAN → mask") {
		t.Errorf("per-class list %q", opList)
	}
	if keepHidden {
		t.Error("the visible-characters field is hidden though a class uses the mask operator")
	}
	if want := "Write to  from 192.168.1.20, IBAN ******************5432."; masked != want {
		t.Errorf("masked %q, want %q", masked, want)
	}
	// Removing the EMAIL override brings the default operator back.
	err = chromedp.Run(ctx,
		chromedp.Click(`#op-list li[data-cls="EMAIL"] button`, chromedp.ByQuery),
		chromedp.Evaluate(clearResultsJS, nil),
		chromedp.Click("#mask-btn", chromedp.ByID),
		chromedp.WaitVisible(`#results article[data-method="rules"] .masked`, chromedp.ByQuery),
		chromedp.Text(`#results article[data-method="rules"] .masked`, &masked, chromedp.ByQuery),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(masked, "Write to [EMAIL_1] from") {
		t.Errorf("after removing the override: %q", masked)
	}

	// A server that pins all but the operator: the per-class and exclude
	// controls are hidden, and masking still works.
	pinned := PolicyOptions{Default: mask.Policy{Exclude: []string{"IPV4"}}, Overridable: []string{mask.FieldOperator}}
	_, ts2 := newTestServer(t, Options{Policy: pinned}, rulesMethod(t))
	var perClassHidden, excludeHidden bool
	err = chromedp.Run(ctx,
		chromedp.Navigate(ts2.URL+"/"),
		chromedp.WaitVisible(`#class-list input[value="EMAIL"]`, chromedp.ByQuery),
		chromedp.Evaluate(`document.getElementById('per-class').hidden`, &perClassHidden),
		chromedp.Evaluate(`document.getElementById('exclude-row').hidden`, &excludeHidden),
		chromedp.SetValue("#text", text, chromedp.ByID),
		chromedp.SetValue("#operator", "redact", chromedp.ByID),
		chromedp.Click("#mask-btn", chromedp.ByID),
		chromedp.WaitVisible(`#results article[data-method="rules"] .masked`, chromedp.ByQuery),
		chromedp.Text(`#results article[data-method="rules"] .masked`, &masked, chromedp.ByQuery),
	)
	if err != nil {
		t.Fatalf("pinned server: %v", err)
	}
	if !perClassHidden || !excludeHidden {
		t.Errorf("pinned server: per-class hidden %v, exclude hidden %v", perClassHidden, excludeHidden)
	}
	if want := "Write to  from 192.168.1.20, IBAN ."; masked != want {
		t.Errorf("pinned server: masked %q, want %q", masked, want)
	}
	if p := problems(); len(p) > 0 {
		t.Errorf("browser console errors: %v", p)
	}
}
