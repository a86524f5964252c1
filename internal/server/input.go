package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"runtime"
	"strings"
	"unicode/utf8"

	"github.com/piimask/piimask/stages/mask"
	"github.com/piimask/piimask/stages/pdf"
)

// apiError is an error answered as JSON {code, message} with a status.
type apiError struct {
	Status  int    `json:"-"`
	Code    string `json:"code"`
	Message string `json:"message"`
	// Field names the request field at fault (policy.operators.EMAIL.type),
	// when there is one.
	Field string `json:"field,omitempty"`
}

func (e *apiError) Error() string { return e.Code + ": " + e.Message }

func errorf(status int, code, format string, args ...any) *apiError {
	return &apiError{Status: status, Code: code, Message: fmt.Sprintf(format, args...)}
}

// apiRequest is the body of POST /v1/detect and /v1/mask.
type apiRequest struct {
	// Text is the document to analyse.
	Text string `json:"text"`
	// Methods are method names (default: the first configured one).
	Methods []string `json:"methods"`
	// Classes keep only these entity classes (default: all).
	Classes []string `json:"classes"`
	// Operator replaces entities in /v1/mask (default: the policy's): a
	// shorthand for policy.operator.type.
	Operator string `json:"operator"`
	// Policy overrides the server's masking policy in /v1/mask (policy.go).
	Policy *mask.Policy `json:"policy"`
	// source says where the text came from: "json", "text", "file:text", "file:pdf".
	source string
}

// PDFExtractor returns the text of a PDF held in memory.
type PDFExtractor func(ctx context.Context, data []byte) (string, error)

// errBrokenPDF marks a PDF that the extractor could not read.
var errBrokenPDF = errors.New("not a readable PDF")

// PDFText returns an extractor over stages/pdf's ExtractBytes, the
// extraction the mask job uses: the text layer page by page and, for pages
// without one, ocr (nil: none). The upload is piped to poppler's tools and
// to the OCR engine and never touches the disk. At most concurrency
// extractions run at once (<= 0: one per CPU), others wait their turn within
// the request's deadline: OCR is CPU-bound and spawns processes. PDFText
// returns nil when pdftotext or pdfinfo is not installed.
func PDFText(ocr pdf.OCR, concurrency int) PDFExtractor {
	if !pdf.Available() {
		return nil
	}
	if concurrency <= 0 {
		concurrency = runtime.NumCPU()
	}
	slots := make(chan struct{}, concurrency)
	return func(ctx context.Context, data []byte) (string, error) {
		select {
		case slots <- struct{}{}:
			defer func() { <-slots }()
		case <-ctx.Done():
			return "", ctx.Err()
		}
		pages, err := pdf.ExtractBytes(ctx, data, pdf.Options{OCR: ocr})
		if err != nil {
			if errors.Is(err, pdf.ErrUnreadable) {
				// poppler's stderr describes the file's structure, never
				// its text; it is still not passed on, only summarised.
				return "", errBrokenPDF
			}
			return "", err
		}
		return joinPages(pages), nil
	}
}

// joinPages is the text of a PDF's pages, one blank line between pages
// (pages without text left out).
func joinPages(pages []pdf.Page) string {
	var b strings.Builder
	for _, p := range pages {
		if t := strings.TrimSpace(p.Text); t != "" {
			if b.Len() > 0 {
				b.WriteString("\n\n")
			}
			b.WriteString(t)
		}
	}
	return b.String()
}

// splitList reads a form or query value that may be repeated and/or
// comma-separated.
func splitList(vals []string) []string {
	var out []string
	for _, v := range vals {
		for _, p := range strings.Split(v, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

// readRequest parses a JSON body, a text/plain body (options in the query
// string) or a multipart form with a `file` part (options as form fields).
// Uploads are read into memory, bounded by the body limit; nothing is
// written to disk.
func (s *Server) readRequest(ctx context.Context, w http.ResponseWriter, r *http.Request) (*apiRequest, *apiError) {
	r.Body = http.MaxBytesReader(w, r.Body, s.opts.MaxBodyBytes)
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		return nil, errorf(http.StatusUnsupportedMediaType, "unsupported_media_type", "missing Content-Type: send application/json, text/plain or multipart/form-data")
	}
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil {
		return nil, errorf(http.StatusUnsupportedMediaType, "unsupported_media_type", "unreadable Content-Type %q", ct)
	}
	var req apiRequest
	switch mt {
	case "application/json":
		dec := json.NewDecoder(r.Body)
		dec.DisallowUnknownFields()
		if err := dec.Decode(&req); err != nil {
			if ae := bodyError(err); ae != nil {
				return nil, ae
			}
			return nil, errorf(http.StatusBadRequest, "invalid_json", "request body is not the expected JSON object: %v", jsonProblem(err))
		}
		if dec.More() {
			return nil, errorf(http.StatusBadRequest, "invalid_json", "request body holds more than one JSON value")
		}
		req.source = "json"
	case "text/plain":
		data, err := io.ReadAll(r.Body)
		if err != nil {
			if ae := bodyError(err); ae != nil {
				return nil, ae
			}
			return nil, errorf(http.StatusBadRequest, "bad_body", "reading the body failed")
		}
		if !utf8.Valid(data) {
			return nil, errorf(http.StatusBadRequest, "invalid_text", "the body is not UTF-8 text")
		}
		q := r.URL.Query()
		req = apiRequest{Text: string(data), Methods: splitList(q["methods"]), Classes: splitList(q["classes"]), Operator: q.Get("operator"), source: "text"}
	case "multipart/form-data":
		if params["boundary"] == "" {
			return nil, errorf(http.StatusBadRequest, "bad_multipart", "multipart/form-data without a boundary")
		}
		ae := s.readMultipart(ctx, r, &req)
		if ae != nil {
			return nil, ae
		}
	default:
		return nil, errorf(http.StatusUnsupportedMediaType, "unsupported_media_type", "Content-Type %s is not accepted: send application/json, text/plain or multipart/form-data", mt)
	}
	return &req, nil
}

// bodyError maps a body-too-large read error to 413.
func bodyError(err error) *apiError {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return errorf(http.StatusRequestEntityTooLarge, "body_too_large", "request body exceeds %d bytes", mbe.Limit)
	}
	return nil
}

// jsonProblem describes a JSON decoding error without quoting the input.
func jsonProblem(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return fmt.Sprintf("syntax error at byte %d", se.Offset)
	case errors.As(err, &te):
		return fmt.Sprintf("field %q: want %s", te.Field, te.Type)
	case errors.Is(err, io.EOF):
		return "empty body"
	case strings.HasPrefix(err.Error(), "json: unknown field"):
		return strings.TrimPrefix(err.Error(), "json: ")
	}
	return "malformed"
}

// readMultipart reads form fields and one `file` part in memory.
func (s *Server) readMultipart(ctx context.Context, r *http.Request, req *apiRequest) *apiError {
	mr, err := r.MultipartReader()
	if err != nil {
		return errorf(http.StatusBadRequest, "bad_multipart", "unreadable multipart body")
	}
	var file []byte
	var fileType, fileName string
	fields := map[string][]string{}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if ae := bodyError(err); ae != nil {
				return ae
			}
			return errorf(http.StatusBadRequest, "bad_multipart", "unreadable multipart body")
		}
		data, err := io.ReadAll(part)
		if err != nil {
			if ae := bodyError(err); ae != nil {
				return ae
			}
			return errorf(http.StatusBadRequest, "bad_multipart", "unreadable multipart part %q", part.FormName())
		}
		switch name := part.FormName(); name {
		case "file":
			if file != nil {
				return errorf(http.StatusBadRequest, "bad_multipart", "send one file per request")
			}
			file, fileType, fileName = data, part.Header.Get("Content-Type"), part.FileName()
		case "text", "methods", "classes", "operator", "policy":
			fields[name] = append(fields[name], string(data))
		default:
			return errorf(http.StatusBadRequest, "bad_multipart", "unknown form field %q (file, text, methods, classes, operator, policy)", name)
		}
	}
	req.Methods = splitList(fields["methods"])
	req.Classes = splitList(fields["classes"])
	if ops := fields["operator"]; len(ops) > 0 {
		req.Operator = strings.TrimSpace(ops[0])
	}
	if ps := fields["policy"]; len(ps) > 0 {
		if len(ps) > 1 {
			return errorf(http.StatusBadRequest, "bad_multipart", "send one policy field")
		}
		dec := json.NewDecoder(strings.NewReader(ps[0]))
		dec.DisallowUnknownFields()
		var p mask.Policy
		if err := dec.Decode(&p); err != nil || dec.More() {
			msg := "more than one JSON value"
			if err != nil {
				msg = jsonProblem(err)
			}
			ae := errorf(http.StatusBadRequest, "invalid_json", "the policy field is not the expected JSON object: %s", msg)
			ae.Field = "policy"
			return ae
		}
		req.Policy = &p
	}
	switch {
	case file != nil && len(fields["text"]) > 0:
		return errorf(http.StatusBadRequest, "bad_multipart", "send a file or a text field, not both")
	case file == nil:
		req.Text = strings.Join(fields["text"], "\n")
		req.source = "text"
		if !utf8.ValidString(req.Text) {
			return errorf(http.StatusBadRequest, "invalid_text", "the text field is not UTF-8")
		}
		return nil
	}
	kind := fileKind(fileType, fileName, file)
	switch kind {
	case "pdf":
		if s.opts.PDF == nil {
			return errorf(http.StatusUnsupportedMediaType, "pdf_unavailable", "PDF uploads need poppler's pdftotext and pdfinfo on the server (scripts/setup-pdf.sh)")
		}
		text, err := s.opts.PDF(ctx, file)
		if err != nil {
			if errors.Is(err, errBrokenPDF) {
				return errorf(http.StatusUnprocessableEntity, "invalid_pdf", "the uploaded file is not a readable PDF")
			}
			return errorf(http.StatusServiceUnavailable, "pdf_failed", "PDF extraction did not finish")
		}
		if text == "" {
			if s.opts.PDFOCR == "" {
				return errorf(http.StatusUnprocessableEntity, "pdf_no_text", "the PDF has no text layer, and OCR of scanned pages is off on this server")
			}
			return errorf(http.StatusUnprocessableEntity, "pdf_no_text", "the PDF has no text layer, and OCR (%s) found no text in it", s.opts.PDFOCR)
		}
		req.Text, req.source = text, "file:pdf"
	case "text":
		if !utf8.Valid(file) {
			return errorf(http.StatusUnsupportedMediaType, "invalid_text", "the uploaded file is neither UTF-8 text nor a PDF")
		}
		req.Text, req.source = string(file), "file:text"
	default:
		return errorf(http.StatusUnsupportedMediaType, "unsupported_file", "file type %q is not accepted: upload a PDF or a UTF-8 text file", fileType)
	}
	return nil
}

// fileKind says whether an upload is a PDF, text, or something else, from
// its content first (a PDF starts with %PDF-), then its declared type.
func fileKind(contentType, name string, data []byte) string {
	if bytes.HasPrefix(data, []byte("%PDF-")) {
		return "pdf"
	}
	mt, _, _ := mime.ParseMediaType(contentType)
	lower := strings.ToLower(name)
	switch {
	case mt == "application/pdf" || strings.HasSuffix(lower, ".pdf"):
		return "pdf" // declared PDF without the magic: the extractor rejects it
	case strings.HasPrefix(mt, "text/"), mt == "" || mt == "application/octet-stream":
		if strings.HasSuffix(lower, ".txt") || strings.HasSuffix(lower, ".md") || strings.HasSuffix(lower, ".csv") || strings.HasPrefix(mt, "text/") || name == "" {
			return "text"
		}
		if utf8.Valid(data) && !bytes.ContainsRune(data, 0) {
			return "text"
		}
	}
	return "other"
}
