package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"github.com/piimask/piimask/record"
	"github.com/piimask/piimask/stages/detect"
	"github.com/piimask/piimask/stages/detect/rules"
	"github.com/piimask/piimask/stages/mask"
	"github.com/piimask/piimask/stages/pdf"
)

const sample = "Contact Jane Doe at jane.doe@example.com or +44 20 7946 0958, from 192.168.1.20. IBAN GB82WEST12345698765432."

// echoMethod labels each whole text ECHO, optionally waiting on gate or
// sleeping, and records the size of every batch it receives.
type echoMethod struct {
	mu      sync.Mutex
	batches []int
	delay   time.Duration
	gate    chan struct{}
	started chan struct{}
	fail    error
}

func (m *echoMethod) Name() string     { return "echo" }
func (m *echoMethod) Close() error     { return nil }
func (m *echoMethod) Labels() []string { return []string{"O", "B-ECHO", "I-ECHO"} }
func (m *echoMethod) Detect(ctx context.Context, batch []record.Record) ([]detect.Prediction, error) {
	m.mu.Lock()
	m.batches = append(m.batches, len(batch))
	m.mu.Unlock()
	if m.started != nil {
		select {
		case m.started <- struct{}{}:
		default:
		}
	}
	if m.gate != nil {
		select {
		case <-m.gate:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	if m.delay > 0 {
		time.Sleep(m.delay)
	}
	if m.fail != nil {
		return nil, m.fail
	}
	out := make([]detect.Prediction, len(batch))
	for i, r := range batch {
		out[i] = detect.Prediction{Spans: []record.Span{{Start: 0, End: record.CodePointLen(r.Text), Label: "ECHO"}}}
	}
	return out, nil
}

func (m *echoMethod) sizes() []int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.batches)
}

func rulesMethod(t *testing.T) Method {
	t.Helper()
	r, err := rules.New(rules.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return Method{Name: "rules", Type: "rules", Detector: r, Limits: DefaultLimits()}
}

// newTestServer serves methods through httptest; the server is closed at
// the end of the test.
func newTestServer(t *testing.T, opts Options, methods ...Method) (*Server, *httptest.Server) {
	t.Helper()
	srv, err := New(methods, opts)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(func() {
		ts.Close()
		if err := srv.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return srv, ts
}

type apiResp struct {
	status int
	header http.Header
	body   []byte
}

func (r apiResp) errCode(t *testing.T) string {
	t.Helper()
	var e struct{ Code, Message string }
	if err := json.Unmarshal(r.body, &e); err != nil {
		t.Fatalf("error body is not JSON {code, message}: %v: %s", err, r.body)
	}
	if e.Message == "" {
		t.Errorf("error %s has no message", e.Code)
	}
	return e.Code
}

func do(t *testing.T, method, url, contentType string, body io.Reader, hdr map[string]string) apiResp {
	t.Helper()
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return apiResp{status: resp.StatusCode, header: resp.Header, body: b}
}

func jsonBody(t *testing.T, v any) io.Reader {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.NewReader(b)
}

// multipartBody builds a form with fields and an optional file part.
func multipartBody(t *testing.T, fields map[string]string, fileName, fileType string, file []byte) (string, io.Reader) {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for k, v := range fields {
		if err := w.WriteField(k, v); err != nil {
			t.Fatal(err)
		}
	}
	if file != nil {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename=%q`, fileName))
		h.Set("Content-Type", fileType)
		p, err := w.CreatePart(h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.Write(file); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return w.FormDataContentType(), &b
}

// makePDF writes a one-page PDF with a text layer and returns its bytes.
func makePDF(t *testing.T, lines ...string) []byte {
	t.Helper()
	p := fpdf.New("P", "mm", "A4", "")
	p.AddPage()
	p.SetFont("Helvetica", "", 12)
	for _, l := range lines {
		p.Cell(0, 10, l)
		p.Ln(10)
	}
	var b bytes.Buffer
	if err := p.Output(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// withPDF sets the PDF extraction `piimask serve` sets by default: stages/pdf
// in memory, with Tesseract OCR for scanned pages when it is installed.
func withPDF(o Options) Options {
	o.PDF, o.PDFOCR = PDFText(nil, 0), ""
	if o.PDF != nil && pdf.TesseractAvailable() {
		o.PDF, o.PDFOCR = PDFText(pdf.Tesseract{}, 0), pdf.OCRTesseract
	}
	return o
}

// requirePDF skips outside CI when pdftotext is missing, and fails under CI
// (scripts/setup-pdf.sh installs it).
func requirePDF(t *testing.T) PDFExtractor {
	t.Helper()
	x := PDFText(nil, 0)
	if x == nil {
		if os.Getenv("CI") != "" {
			t.Fatal("pdftotext missing: run scripts/setup-pdf.sh")
		}
		t.Skip("pdftotext missing: run scripts/setup-pdf.sh")
	}
	return x
}

func decode[T any](t *testing.T, r apiResp) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
	return v
}

func entityTexts(res MethodResult) map[string]string {
	out := map[string]string{}
	for _, e := range res.Entities {
		out[e.Label] = e.Text
	}
	return out
}

func TestDetectAndMask(t *testing.T) {
	_, ts := newTestServer(t, withPDF(Options{}), rulesMethod(t), Method{Name: "echo", Type: "fake", Detector: &echoMethod{}, Limits: DefaultLimits()})
	type want struct {
		source   string
		entities map[string]string // label -> text
		absent   []string          // labels that must not be found
		masked   []string          // substrings of the masked text
		unmasked []string          // substrings that must not be in the masked text
	}
	ctJSON := "application/json"
	form := func(fields map[string]string, name, typ string, file []byte) func(*testing.T) (string, io.Reader) {
		return func(t *testing.T) (string, io.Reader) { return multipartBody(t, fields, name, typ, file) }
	}
	tests := []struct {
		name    string
		path    string
		query   string
		body    func(*testing.T) (string, io.Reader)
		needPDF bool
		want    want
	}{
		{name: "json detect", path: "/v1/detect",
			body: func(t *testing.T) (string, io.Reader) { return ctJSON, jsonBody(t, map[string]any{"text": sample}) },
			want: want{source: "json", entities: map[string]string{"EMAIL": "jane.doe@example.com", "IPV4": "192.168.1.20", "IBAN": "GB82WEST12345698765432"}}},
		{name: "json mask placeholder", path: "/v1/mask",
			body: func(t *testing.T) (string, io.Reader) {
				return ctJSON, jsonBody(t, map[string]any{"text": sample, "methods": []string{"rules"}, "operator": "placeholder"})
			},
			want: want{source: "json", entities: map[string]string{"EMAIL": "jane.doe@example.com"}, masked: []string{"[EMAIL_1]", "[IBAN_1]", "Contact Jane Doe at "}, unmasked: []string{"jane.doe@example.com", "GB82WEST"}}},
		{name: "json mask classes filter", path: "/v1/mask",
			body: func(t *testing.T) (string, io.Reader) {
				return ctJSON, jsonBody(t, map[string]any{"text": sample, "classes": []string{"EMAIL"}, "operator": "redact"})
			},
			want: want{source: "json", entities: map[string]string{"EMAIL": "jane.doe@example.com"}, absent: []string{"IBAN", "IPV4"},
				masked: []string{"Contact Jane Doe at  or", "GB82WEST12345698765432"}, unmasked: []string{"jane.doe@example.com"}}},
		{name: "json mask operator mask", path: "/v1/mask",
			body: func(t *testing.T) (string, io.Reader) {
				return ctJSON, jsonBody(t, map[string]any{"text": "mail a@b.co now", "classes": []string{"EMAIL"}, "operator": "mask"})
			},
			want: want{source: "json", entities: map[string]string{"EMAIL": "a@b.co"}, masked: []string{"mail ****** now"}}},
		{name: "text/plain with query options", path: "/v1/mask", query: "?methods=rules&classes=IBAN,IPV4&operator=placeholder",
			body: func(t *testing.T) (string, io.Reader) { return "text/plain; charset=utf-8", strings.NewReader(sample) },
			want: want{source: "text", entities: map[string]string{"IBAN": "GB82WEST12345698765432", "IPV4": "192.168.1.20"}, absent: []string{"EMAIL"},
				masked: []string{"[IBAN_1]", "[IPV4_1]", "jane.doe@example.com"}}},
		{name: "multipart text file", path: "/v1/mask",
			body: form(map[string]string{"methods": "rules", "classes": "EMAIL"}, "note.txt", "text/plain", []byte(sample)),
			want: want{source: "file:text", entities: map[string]string{"EMAIL": "jane.doe@example.com"}, masked: []string{"[EMAIL_1]"}, unmasked: []string{"jane.doe@example.com"}}},
		{name: "multipart text field", path: "/v1/detect",
			body: form(map[string]string{"text": sample, "methods": "rules"}, "", "", nil),
			want: want{source: "text", entities: map[string]string{"EMAIL": "jane.doe@example.com"}}},
		{name: "multipart pdf", path: "/v1/mask", needPDF: true,
			body: func(t *testing.T) (string, io.Reader) {
				return multipartBody(t, map[string]string{"methods": "rules"}, "letter.pdf", "application/pdf",
					makePDF(t, "Dear customer,", "write to jane.doe@example.com", "IBAN GB82WEST12345698765432"))
			},
			want: want{source: "file:pdf", entities: map[string]string{"EMAIL": "jane.doe@example.com", "IBAN": "GB82WEST12345698765432"}, masked: []string{"Dear customer", "[EMAIL_1]"}, unmasked: []string{"jane.doe@example.com"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.needPDF {
				requirePDF(t)
			}
			ct, body := tc.body(t)
			r := do(t, http.MethodPost, ts.URL+tc.path+tc.query, ct, body, nil)
			if r.status != http.StatusOK {
				t.Fatalf("status %d: %s", r.status, r.body)
			}
			resp := decode[AnalyseResponse](t, r)
			if resp.Source != tc.want.source {
				t.Errorf("source %q, want %q", resp.Source, tc.want.source)
			}
			if len(resp.Results) != 1 || resp.Results[0].Method != "rules" {
				t.Fatalf("results %+v, want one from rules", resp.Results)
			}
			res := resp.Results[0]
			got := entityTexts(res)
			for label, text := range tc.want.entities {
				if got[label] != text {
					t.Errorf("entity %s = %q, want %q (all: %v)", label, got[label], text, got)
				}
			}
			for _, label := range tc.want.absent {
				if _, ok := got[label]; ok {
					t.Errorf("class %s found though not asked for", label)
				}
			}
			// Entity offsets are code points into the returned text.
			for _, e := range res.Entities {
				if s := string([]rune(resp.Text)[e.Start:e.End]); s != e.Text {
					t.Errorf("entity %+v: text at offsets is %q", e, s)
				}
			}
			for _, s := range tc.want.masked {
				if !strings.Contains(res.Masked, s) {
					t.Errorf("masked text %q lacks %q", res.Masked, s)
				}
			}
			for _, s := range tc.want.unmasked {
				if strings.Contains(res.Masked, s) {
					t.Errorf("masked text %q still holds %q", res.Masked, s)
				}
			}
			if tc.path == "/v1/detect" && res.Masked != "" {
				t.Errorf("detect returned a masked text")
			}
		})
	}
}

func TestSideBySide(t *testing.T) {
	_, ts := newTestServer(t, Options{}, rulesMethod(t), Method{Name: "echo", Type: "fake", Detector: &echoMethod{}, Limits: DefaultLimits()})
	r := do(t, http.MethodPost, ts.URL+"/v1/mask", "application/json", jsonBody(t, map[string]any{"text": "x a@b.co", "methods": []string{"echo", "rules"}}), nil)
	if r.status != 200 {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	resp := decode[AnalyseResponse](t, r)
	if len(resp.Results) != 2 || resp.Results[0].Method != "echo" || resp.Results[1].Method != "rules" {
		t.Fatalf("results not in request order: %+v", resp.Results)
	}
	if resp.Results[0].Masked != "[ECHO_1]" || resp.Results[1].Masked != "x [EMAIL_1]" {
		t.Errorf("masked %q / %q", resp.Results[0].Masked, resp.Results[1].Masked)
	}
}

func TestBadInput(t *testing.T) {
	opts := withPDF(Options{MaxBodyBytes: 4096, MaxTextChars: 200})
	_, ts := newTestServer(t, opts, rulesMethod(t))
	_, noPDF := newTestServer(t, Options{}, rulesMethod(t))
	ctJSON := "application/json"
	js := func(v any) func(*testing.T) (string, io.Reader) {
		return func(t *testing.T) (string, io.Reader) { return ctJSON, jsonBody(t, v) }
	}
	raw := func(ct, s string) func(*testing.T) (string, io.Reader) {
		return func(*testing.T) (string, io.Reader) { return ct, strings.NewReader(s) }
	}
	file := func(name, typ string, data []byte) func(*testing.T) (string, io.Reader) {
		return func(t *testing.T) (string, io.Reader) { return multipartBody(t, nil, name, typ, data) }
	}
	tests := []struct {
		name    string
		server  string // "" = ts, "nopdf" = server without PDF support
		method  string
		path    string
		body    func(*testing.T) (string, io.Reader)
		needPDF bool
		status  int
		code    string
	}{
		{name: "wrong content type", path: "/v1/detect", body: raw("application/xml", "<text>hi</text>"), status: 415, code: "unsupported_media_type"},
		{name: "missing content type", path: "/v1/detect", body: raw("", "hello"), status: 415, code: "unsupported_media_type"},
		{name: "empty text", path: "/v1/detect", body: js(map[string]any{"text": ""}), status: 400, code: "empty_text"},
		{name: "blank text", path: "/v1/mask", body: js(map[string]any{"text": " \n\t "}), status: 400, code: "empty_text"},
		{name: "empty text/plain body", path: "/v1/mask", body: raw("text/plain", ""), status: 400, code: "empty_text"},
		{name: "oversize body", path: "/v1/detect", body: js(map[string]any{"text": strings.Repeat("a", 5000)}), status: 413, code: "body_too_large"},
		{name: "oversize upload", path: "/v1/mask", body: file("big.txt", "text/plain", bytes.Repeat([]byte("b"), 5000)), status: 413, code: "body_too_large"},
		{name: "text too long", path: "/v1/detect", body: js(map[string]any{"text": strings.Repeat("é", 201)}), status: 413, code: "text_too_large"},
		{name: "invalid json", path: "/v1/detect", body: raw(ctJSON, `{"text": "a`), status: 400, code: "invalid_json"},
		{name: "json wrong type", path: "/v1/detect", body: raw(ctJSON, `{"text": 3}`), status: 400, code: "invalid_json"},
		{name: "json unknown field", path: "/v1/detect", body: js(map[string]any{"text": "a", "txt": "b"}), status: 400, code: "invalid_json"},
		{name: "json two values", path: "/v1/detect", body: raw(ctJSON, `{"text":"a"}{"text":"b"}`), status: 400, code: "invalid_json"},
		{name: "text not utf-8", path: "/v1/detect", body: raw("text/plain", "\xff\xfe\x00a"), status: 400, code: "invalid_text"},
		{name: "unknown method", path: "/v1/detect", body: js(map[string]any{"text": "a", "methods": []string{"bert"}}), status: 400, code: "unknown_method"},
		{name: "duplicate method", path: "/v1/detect", body: js(map[string]any{"text": "a", "methods": []string{"rules", "rules"}}), status: 400, code: "duplicate_method"},
		{name: "unknown class", path: "/v1/mask", body: js(map[string]any{"text": "a", "classes": []string{"EMAIL", "SHOESIZE"}}), status: 400, code: "unknown_class"},
		{name: "unknown operator", path: "/v1/mask", body: js(map[string]any{"text": "a", "operator": "shred"}), status: 400, code: "unknown_operator"},
		{name: "keyed operator without key", path: "/v1/mask", body: js(map[string]any{"text": "a", "operator": "hash"}), status: 400, code: "operator_unavailable"},
		{name: "operator on detect", path: "/v1/detect", body: js(map[string]any{"text": "a", "operator": "redact"}), status: 400, code: "operator_not_allowed"},
		{name: "broken pdf", path: "/v1/mask", needPDF: true, body: file("x.pdf", "application/pdf", []byte("%PDF-1.4\nthis is not a pdf\n%%EOF")), status: 422, code: "invalid_pdf"},
		{name: "declared pdf without magic", path: "/v1/mask", needPDF: true, body: file("x.pdf", "application/pdf", []byte("hello")), status: 422, code: "invalid_pdf"},
		{name: "pdf without text layer", path: "/v1/mask", needPDF: true, body: func(t *testing.T) (string, io.Reader) {
			return multipartBody(t, nil, "blank.pdf", "application/pdf", makePDF(t))
		}, status: 422, code: "pdf_no_text"},
		{name: "pdf unsupported here", server: "nopdf", path: "/v1/mask", body: file("x.pdf", "application/pdf", []byte("%PDF-1.4\n")), status: 415, code: "pdf_unavailable"},
		{name: "binary file", path: "/v1/mask", body: file("x.bin", "application/zip", []byte{0x50, 0x4b, 3, 4, 0, 0, 0xff}), status: 415, code: "unsupported_file"},
		{name: "unknown form field", path: "/v1/mask", body: func(t *testing.T) (string, io.Reader) {
			return multipartBody(t, map[string]string{"txet": "a"}, "", "", nil)
		}, status: 400, code: "bad_multipart"},
		{name: "file and text", path: "/v1/mask", body: func(t *testing.T) (string, io.Reader) {
			return multipartBody(t, map[string]string{"text": "a"}, "a.txt", "text/plain", []byte("b"))
		}, status: 400, code: "bad_multipart"},
		{name: "multipart without boundary", path: "/v1/mask", body: raw("multipart/form-data", "x"), status: 400, code: "bad_multipart"},
		{name: "GET on detect", method: http.MethodGet, path: "/v1/detect", body: raw("", ""), status: 405, code: "method_not_allowed"},
		{name: "POST on methods", path: "/v1/methods", body: js(map[string]any{}), status: 405, code: "method_not_allowed"},
		{name: "unknown route", method: http.MethodGet, path: "/v2/detect", body: raw("", ""), status: 404, code: "not_found"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.needPDF {
				requirePDF(t)
			}
			base := ts.URL
			if tc.server == "nopdf" {
				base = noPDF.URL
			}
			m := tc.method
			if m == "" {
				m = http.MethodPost
			}
			ct, body := tc.body(t)
			r := do(t, m, base+tc.path, ct, body, nil)
			if r.status != tc.status {
				t.Fatalf("status %d, want %d: %s", r.status, tc.status, r.body)
			}
			if got := r.errCode(t); got != tc.code {
				t.Errorf("code %q, want %q", got, tc.code)
			}
			if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("error Content-Type %q", ct)
			}
		})
	}
}

func TestEndpoints(t *testing.T) {
	_, ts := newTestServer(t, Options{}, rulesMethod(t), Method{Name: "echo", Type: "fake", Detector: &echoMethod{}, Limits: DefaultLimits()})
	tests := []struct {
		path     string
		ctype    string
		contains []string
	}{
		{"/", "text/html", []string{`<script src="app.js"`, `<label for="text">`, `id="mask-btn"`}},
		{"/app.js", "javascript", []string{"v1/mask", "textContent"}},
		{"/app.css", "text/css", []string{"@media"}},
		{"/healthz", "application/json", []string{`"status":"ok"`}},
		{"/readyz", "application/json", []string{`"status":"ready"`}},
		{"/openapi.json", "application/json", []string{`"openapi": "3.`}},
		{"/metrics", "text/plain", []string{"piimask_http_requests_total", "go_goroutines"}},
		{"/v1/methods", "application/json", []string{`"name":"rules"`}},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			r := do(t, http.MethodGet, ts.URL+tc.path, "", nil, nil)
			if r.status != 200 {
				t.Fatalf("status %d: %s", r.status, r.body)
			}
			if ct := r.header.Get("Content-Type"); !strings.Contains(ct, tc.ctype) {
				t.Errorf("Content-Type %q, want %q", ct, tc.ctype)
			}
			for _, s := range tc.contains {
				if !bytes.Contains(r.body, []byte(s)) {
					t.Errorf("body lacks %q", s)
				}
			}
			for h, want := range map[string]string{
				"Content-Security-Policy": "default-src 'self'", "X-Content-Type-Options": "nosniff",
				"Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY",
			} {
				if got := r.header.Get(h); !strings.Contains(got, want) {
					t.Errorf("header %s = %q, want %q", h, got, want)
				}
			}
			if csp := r.header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") {
				t.Errorf("CSP %q lacks frame-ancestors 'none'", csp)
			}
			if r.header.Get("Access-Control-Allow-Origin") != "" {
				t.Error("CORS header set though CORS is off")
			}
		})
	}
	methods := decode[methodsResponse](t, do(t, http.MethodGet, ts.URL+"/v1/methods", "", nil, nil))
	if len(methods.Methods) != 2 || methods.Methods[0].Name != "rules" || methods.Methods[1].Name != "echo" {
		t.Fatalf("methods %+v", methods.Methods)
	}
	if !slices.Contains(methods.Methods[0].Classes, "EMAIL") || slices.Contains(methods.Methods[0].Classes, "FIRSTNAME") {
		t.Errorf("rules classes %v", methods.Methods[0].Classes)
	}
	if !slices.Equal(methods.Methods[1].Classes, []string{"ECHO"}) {
		t.Errorf("echo classes %v, want [ECHO] from its B-/I- labels", methods.Methods[1].Classes)
	}
	if !slices.Contains(methods.Classes, "ECHO") || !slices.Contains(methods.Classes, "FIRSTNAME") {
		t.Errorf("classes %v lack ECHO or the AI4Privacy set", methods.Classes)
	}
	if !slices.Contains(methods.Operators, "placeholder") || slices.Contains(methods.Operators, "hash") {
		t.Errorf("operators %v: want placeholder, not hash (no key)", methods.Operators)
	}
}

func TestKeyedOperatorsWithKeys(t *testing.T) {
	key := []byte("0123456789abcdef0123456789abcdef")
	_, ts := newTestServer(t, Options{Keys: mask.Keys{Hash: key, Pseudonym: key, Encrypt: key}}, rulesMethod(t))
	for _, op := range []string{"hash", "pseudonym", "encrypt"} {
		r := do(t, http.MethodPost, ts.URL+"/v1/mask", "application/json", jsonBody(t, map[string]any{"text": sample, "operator": op, "classes": []string{"EMAIL"}}), nil)
		if r.status != 200 {
			t.Fatalf("%s: status %d: %s", op, r.status, r.body)
		}
		res := decode[AnalyseResponse](t, r).Results[0]
		if strings.Contains(res.Masked, "jane.doe@example.com") || len(res.Replacements) != 1 {
			t.Errorf("%s: masked %q, replacements %+v", op, res.Masked, res.Replacements)
		}
	}
}

func TestOpenAPICoversRoutes(t *testing.T) {
	_, ts := newTestServer(t, Options{}, rulesMethod(t))
	r := do(t, http.MethodGet, ts.URL+"/openapi.json", "", nil, nil)
	var doc struct {
		OpenAPI string `json:"openapi"`
		Info    struct {
			Title string `json:"title"`
		} `json:"info"`
		Paths      map[string]map[string]json.RawMessage `json:"paths"`
		Components struct {
			Schemas map[string]json.RawMessage `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(r.body, &doc); err != nil {
		t.Fatalf("openapi.json is not JSON: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") || doc.Info.Title == "" {
		t.Fatalf("not an OpenAPI 3 document: %q %q", doc.OpenAPI, doc.Info.Title)
	}
	// Every served route is documented with its HTTP method…
	for _, path := range []string{"/", "/openapi.json", "/healthz", "/readyz", "/metrics", "/v1/methods", "/v1/detect", "/v1/mask"} {
		m, _ := allowedMethod(path)
		if _, ok := doc.Paths[path][strings.ToLower(m)]; !ok {
			t.Errorf("route %s %s missing from openapi.json", m, path)
		}
	}
	// …and every documented operation is served (not 404/405).
	for path, ops := range doc.Paths {
		for op := range ops {
			want, ok := allowedMethod(path)
			if !ok || !strings.EqualFold(op, want) {
				t.Errorf("openapi.json documents %s %s, which the server does not serve", op, path)
				continue
			}
			resp := do(t, strings.ToUpper(op), ts.URL+path, "application/json", strings.NewReader(`{"text":"a@b.co"}`), nil)
			if resp.status == 404 || resp.status == 405 {
				t.Errorf("%s %s: %d", op, path, resp.status)
			}
		}
	}
	// Every $ref resolves.
	for _, ref := range refsIn(r.body) {
		name := strings.TrimPrefix(ref, "#/components/schemas/")
		if _, ok := doc.Components.Schemas[name]; !ok {
			t.Errorf("dangling $ref %s", ref)
		}
	}
}

func refsIn(doc []byte) []string {
	var out []string
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				if s, ok := e.(string); ok && k == "$ref" {
					out = append(out, s)
				}
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	var v any
	_ = json.Unmarshal(doc, &v)
	walk(v)
	return out
}

func TestAuthAndCORS(t *testing.T) {
	const key = "s3cret-key-for-tests"
	_, ts := newTestServer(t, Options{APIKey: key, CORSOrigins: []string{"https://allowed.example"}}, rulesMethod(t))
	body := `{"text":"a@b.co"}`
	tests := []struct {
		name   string
		method string
		path   string
		hdr    map[string]string
		status int
		acao   string
	}{
		{"no key", "POST", "/v1/detect", nil, 401, ""},
		{"wrong key", "POST", "/v1/detect", map[string]string{"Authorization": "Bearer nope"}, 401, ""},
		{"key prefix only", "POST", "/v1/detect", map[string]string{"X-API-Key": key[:5]}, 401, ""},
		{"bearer key", "POST", "/v1/detect", map[string]string{"Authorization": "Bearer " + key}, 200, ""},
		{"x-api-key", "POST", "/v1/mask", map[string]string{"X-API-Key": key}, 200, ""},
		{"methods need key", "GET", "/v1/methods", nil, 401, ""},
		{"metrics need key", "GET", "/metrics", nil, 401, ""},
		{"health is open", "GET", "/healthz", nil, 200, ""},
		{"ui is open", "GET", "/", nil, 200, ""},
		{"allowed origin", "POST", "/v1/detect", map[string]string{"X-API-Key": key, "Origin": "https://allowed.example"}, 200, "https://allowed.example"},
		{"other origin", "POST", "/v1/detect", map[string]string{"X-API-Key": key, "Origin": "https://evil.example"}, 200, ""},
		{"preflight allowed", "OPTIONS", "/v1/detect", map[string]string{"Origin": "https://allowed.example", "Access-Control-Request-Method": "POST"}, 204, "https://allowed.example"},
		{"preflight refused", "OPTIONS", "/v1/detect", map[string]string{"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"}, 403, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b io.Reader
			if tc.method == "POST" {
				b = strings.NewReader(body)
			}
			r := do(t, tc.method, ts.URL+tc.path, "application/json", b, tc.hdr)
			if r.status != tc.status {
				t.Fatalf("status %d, want %d: %s", r.status, tc.status, r.body)
			}
			if got := r.header.Get("Access-Control-Allow-Origin"); got != tc.acao {
				t.Errorf("Access-Control-Allow-Origin %q, want %q", got, tc.acao)
			}
			if tc.status == 401 && r.errCode(t) != "unauthorized" {
				t.Errorf("401 without code unauthorized")
			}
		})
	}
	// CORS off by default: no preflight succeeds.
	_, off := newTestServer(t, Options{}, rulesMethod(t))
	r := do(t, "OPTIONS", off.URL+"/v1/detect", "", nil, map[string]string{"Origin": "https://allowed.example"})
	if r.status != 403 || r.header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("CORS off: preflight %d, ACAO %q", r.status, r.header.Get("Access-Control-Allow-Origin"))
	}
}

func TestQueueFullAnswers429(t *testing.T) {
	m := &echoMethod{gate: make(chan struct{}), started: make(chan struct{}, 1)}
	_, ts := newTestServer(t, Options{}, Method{Name: "slow", Detector: m, Limits: Limits{Workers: 1, Queue: 1, MaxBatch: 1}})
	post := func() apiResp {
		return do(t, "POST", ts.URL+"/v1/detect", "application/json", strings.NewReader(`{"text":"hello"}`), nil)
	}
	results := make(chan apiResp, 2)
	go func() { results <- post() }()
	<-m.started // the worker holds request 1
	go func() { results <- post() }()
	// Request 2 sits in the queue (capacity 1); wait until it is there.
	deadline := time.Now().Add(5 * time.Second)
	for {
		r := do(t, "GET", ts.URL+"/metrics", "", nil, nil)
		if bytes.Contains(r.body, []byte(`piimask_queue_depth{method="slow"} 1`)) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("request 2 never queued")
		}
		time.Sleep(5 * time.Millisecond)
	}
	r := post()
	if r.status != http.StatusTooManyRequests || r.errCode(t) != "queue_full" {
		t.Fatalf("third request: %d %s, want 429 queue_full", r.status, r.body)
	}
	if r.header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
	close(m.gate)
	for range 2 {
		if got := <-results; got.status != 200 {
			t.Errorf("held request: %d %s", got.status, got.body)
		}
	}
	metrics := do(t, "GET", ts.URL+"/metrics", "", nil, nil)
	if !bytes.Contains(metrics.body, []byte(`piimask_queue_rejected_total{method="slow"} 1`)) {
		t.Error("rejection not counted in metrics")
	}
}

func TestRequestTimeout(t *testing.T) {
	m := &echoMethod{gate: make(chan struct{})}
	defer close(m.gate)
	_, ts := newTestServer(t, Options{RequestTimeout: 150 * time.Millisecond}, Method{Name: "stuck", Detector: m, Limits: DefaultLimits()})
	start := time.Now()
	r := do(t, "POST", ts.URL+"/v1/detect", "application/json", strings.NewReader(`{"text":"hello"}`), nil)
	if r.status != http.StatusGatewayTimeout || r.errCode(t) != "timeout" {
		t.Fatalf("status %d %s, want 504 timeout", r.status, r.body)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("timeout answered after %s", d)
	}
}

func TestMethodFailure(t *testing.T) {
	var logs bytes.Buffer
	m := &echoMethod{fail: errors.New("model exploded on 'jane.doe@example.com'")}
	_, ts := newTestServer(t, Options{Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}, Method{Name: "bad", Detector: m, Limits: DefaultLimits()})
	r := do(t, "POST", ts.URL+"/v1/detect", "application/json", strings.NewReader(`{"text":"jane.doe@example.com"}`), nil)
	if r.status != 500 || r.errCode(t) != "method_failed" {
		t.Fatalf("status %d %s", r.status, r.body)
	}
	if strings.Contains(logs.String(), "jane.doe") || strings.Contains(string(r.body), "jane.doe") {
		t.Errorf("the document's text leaked into logs or the error: %s / %s", logs.String(), r.body)
	}
	if !strings.Contains(logs.String(), "method failed") {
		t.Errorf("failure not logged: %s", logs.String())
	}
}

// TestMicroBatching checks that concurrent requests are grouped into one
// Detect call when batching is on, never when it is off, and that every
// request gets its own document's answer back.
func TestMicroBatching(t *testing.T) {
	tests := []struct {
		name     string
		lim      Limits
		wantMax  func(int) bool
		describe string
	}{
		{"on", Limits{Workers: 1, Queue: 64, Batching: true, MaxBatch: 16, BatchWait: 30 * time.Millisecond}, func(n int) bool { return n > 1 && n <= 16 }, "in (1, 16]"},
		{"off", Limits{Workers: 1, Queue: 64, Batching: false, MaxBatch: 16, BatchWait: 30 * time.Millisecond}, func(n int) bool { return n == 1 }, "1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := &echoMethod{delay: 5 * time.Millisecond}
			_, ts := newTestServer(t, Options{}, Method{Name: "echo", Detector: m, Limits: tc.lim})
			const n = 24
			var wg sync.WaitGroup
			errs := make(chan string, n)
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					text := fmt.Sprintf("document number %d", i)
					r := do(t, "POST", ts.URL+"/v1/detect", "application/json", jsonBody(t, map[string]any{"text": text}), nil)
					if r.status != 200 {
						errs <- fmt.Sprintf("status %d", r.status)
						return
					}
					res := decode[AnalyseResponse](t, r).Results[0]
					if len(res.Entities) != 1 || res.Entities[0].Text != text {
						errs <- fmt.Sprintf("request %d got %+v", i, res.Entities)
					}
				}()
			}
			wg.Wait()
			close(errs)
			for e := range errs {
				t.Error(e)
			}
			sizes := m.sizes()
			total := 0
			for _, s := range sizes {
				total += s
			}
			if total != n {
				t.Errorf("Detect saw %d documents, want %d", total, n)
			}
			if mx := slices.Max(sizes); !tc.wantMax(mx) {
				t.Errorf("largest batch %d, want %s (batches %v)", mx, tc.describe, sizes)
			}
		})
	}
}

// TestNoTextInLogsOrDisk sends PII through every input path with debug
// logging on and TMPDIR pointed at an empty directory: neither the logs, the
// metrics nor the temporary directory may hold it afterwards.
func TestNoTextInLogsOrDisk(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	var logs bytes.Buffer
	_, ts := newTestServer(t, withPDF(Options{MaxBodyBytes: 8 << 20, MaxTextChars: 8 << 20, Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}), rulesMethod(t))
	secret := "zz.secret.person@example.org"
	big := bytes.Repeat([]byte("filler line without pii\n"), 200_000) // ~4.8 MB: more than multipart keeps in memory by default
	big = append(big, []byte(secret)...)
	ct, body := multipartBody(t, map[string]string{"classes": "EMAIL"}, "big.txt", "text/plain", big)
	r := do(t, "POST", ts.URL+"/v1/mask", ct, body, nil)
	if r.status != 200 {
		t.Fatalf("upload: %d %s", r.status, r.body[:min(len(r.body), 300)])
	}
	if res := decode[AnalyseResponse](t, r).Results[0]; entityTexts(res)["EMAIL"] != secret {
		t.Errorf("the upload's email was not found: %v", entityTexts(res))
	}
	// A scanned PDF: rendered and OCR'd through pipes, never a file.
	if requireOCR(t, false) {
		scan := scannedPDF(t, "Contact: anna.secret.person@example.org")
		ct, body := multipartBody(t, map[string]string{"classes": "EMAIL"}, "scan.pdf", "application/pdf", scan)
		r := do(t, "POST", ts.URL+"/v1/mask", ct, body, nil)
		if r.status != 200 {
			t.Fatalf("scanned PDF: %d %s", r.status, r.body)
		}
		if res := decode[AnalyseResponse](t, r).Results[0]; entityTexts(res)["EMAIL"] != "anna.secret.person@example.org" {
			t.Errorf("the scanned PDF's email was not found: %v", entityTexts(res))
		}
		ct, body = multipartBody(t, nil, "text.pdf", "application/pdf", makePDF(t, "From secret.person@example.net"))
		if r := do(t, "POST", ts.URL+"/v1/detect", ct, body, nil); r.status != 200 {
			t.Fatalf("text PDF: %d %s", r.status, r.body)
		}
	}
	do(t, "POST", ts.URL+"/v1/detect?classes=EMAIL", "text/plain", strings.NewReader(secret), nil)
	do(t, "POST", ts.URL+"/v1/detect", "application/json", strings.NewReader(`{"text":"`+secret+`","classes":["NOPE"]}`), nil)
	metrics := do(t, "GET", ts.URL+"/metrics", "", nil, nil)
	if !strings.Contains(logs.String(), "route=/v1/mask") {
		t.Fatalf("no request log lines at debug level: %q", logs.String())
	}
	for what, s := range map[string]string{"logs": logs.String(), "metrics": string(metrics.body)} {
		if strings.Contains(s, "secret.person") {
			t.Errorf("%s hold the document's text", what)
		}
	}
	entries, err := os.ReadDir(tmp)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 0 {
		t.Errorf("upload left files in TMPDIR: %v", entries)
	}
}

// TestGracefulShutdown cancels Serve's context while a request is in flight:
// the request still completes, /readyz turns 503 meanwhile, new connections
// are refused afterwards, and Serve returns nil.
func TestGracefulShutdown(t *testing.T) {
	m := &echoMethod{gate: make(chan struct{}), started: make(chan struct{}, 1)}
	srv, err := New([]Method{{Name: "echo", Detector: m, Limits: DefaultLimits()}}, Options{ShutdownTimeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ctx, ln) }()
	inflight := make(chan apiResp, 1)
	go func() {
		inflight <- do(t, "POST", base+"/v1/detect", "application/json", strings.NewReader(`{"text":"in flight"}`), nil)
	}()
	<-m.started
	if r := do(t, "GET", base+"/readyz", "", nil, nil); r.status != 200 {
		t.Fatalf("readyz before shutdown: %d", r.status)
	}
	cancel() // what SIGTERM does through signal.NotifyContext
	deadline := time.Now().Add(5 * time.Second)
	for !srv.draining.Load() {
		if time.Now().After(deadline) {
			t.Fatal("server never started draining")
		}
		time.Sleep(time.Millisecond)
	}
	close(m.gate)
	r := <-inflight
	if r.status != 200 {
		t.Fatalf("in-flight request: %d %s", r.status, r.body)
	}
	if err := <-served; err != nil {
		t.Fatalf("Serve: %v", err)
	}
	if _, err := net.DialTimeout("tcp", ln.Addr().String(), time.Second); err == nil {
		t.Error("listener still accepts connections after shutdown")
	}
}

func TestConfigErrors(t *testing.T) {
	r, err := rules.New(rules.Options{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		methods []Method
		want    string
	}{
		{"none", nil, "no methods"},
		{"duplicate", []Method{{Name: "a", Detector: r}, {Name: "a", Detector: r}}, "duplicate"},
		{"no detector", []Method{{Name: "a"}}, "no name or detector"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New(tc.methods, Options{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err %v, want %q", err, tc.want)
			}
		})
	}
}

func TestMain(m *testing.M) {
	// Tests write artefacts under testdata/artefacts (ignored by git).
	if err := os.MkdirAll(filepath.Join("testdata", "artefacts"), 0o755); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Exit(m.Run())
}

// TestBenchSmoke runs a tiny load matrix against real loopback servers.
func TestBenchSmoke(t *testing.T) {
	rows, err := Bench(context.Background(), []Method{rulesMethod(t)}, Options{}, BenchConfig{Clients: []int{1, 4}, Requests: 24, MaxDuration: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 {
		t.Fatalf("%d rows, want 4 (batching off/on × 2 client counts)", len(rows))
	}
	for _, r := range rows {
		if r.Requests != 24 || r.Errors != 0 || r.RPS <= 0 || r.P50 <= 0 || r.P95 < r.P50 || r.Speedup <= 0 {
			t.Errorf("row %+v", r)
		}
	}
	if rows[0].Batching || rows[0].Clients != 1 || rows[0].Speedup != 1 {
		t.Errorf("first row is not the sequential baseline: %+v", rows[0])
	}
	var b bytes.Buffer
	if err := WriteBenchTable(&b, rows); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(b.String(), "\n"); n != 6 {
		t.Errorf("table has %d lines:\n%s", n, b.String())
	}
}

// TestLoneRequestNotHeld checks that a request alone on the server goes to
// Detect at once instead of waiting BatchWait for company: with a wait far
// longer than the request timeout, a held request would answer 504.
func TestLoneRequestNotHeld(t *testing.T) {
	m := &echoMethod{}
	_, ts := newTestServer(t, Options{RequestTimeout: 300 * time.Millisecond}, Method{Name: "echo", Detector: m,
		Limits: Limits{Workers: 1, Queue: 8, Batching: true, MaxBatch: 8, BatchWait: time.Second}})
	for i := range 3 {
		r := do(t, "POST", ts.URL+"/v1/detect", "application/json", strings.NewReader(`{"text":"alone"}`), nil)
		if r.status != 200 {
			t.Fatalf("request %d: %d %s", i, r.status, r.body)
		}
	}
	if got := m.sizes(); !slices.Equal(got, []int{1, 1, 1}) {
		t.Errorf("batches %v", got)
	}
}
