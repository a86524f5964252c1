package llmapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
)

// File is an uploaded file.
type File struct {
	ID     string `json:"id"`
	Object string `json:"object"`
	// Bytes is the file's size.
	Bytes    int64  `json:"bytes"`
	Filename string `json:"filename"`
	// Purpose is PurposeFineTune or PurposeBatch for uploads.
	Purpose string `json:"purpose"`
	// NumLines is the JSONL line count, when the server gives it.
	NumLines *int `json:"num_lines,omitempty"`
}

// Purposes of uploaded files.
const (
	PurposeFineTune = "fine-tune"
	PurposeBatch    = "batch"
)

// UploadBytes uploads data as a file named name with the given purpose
// (POST /v1/files, multipart; sent once).
func (c *Client) UploadBytes(ctx context.Context, name string, data []byte, purpose string) (File, error) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if err := mw.WriteField("purpose", purpose); err != nil {
		return File{}, fmt.Errorf("upload %s: %w", name, err)
	}
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		return File{}, fmt.Errorf("upload %s: %w", name, err)
	}
	if _, err := fw.Write(data); err != nil {
		return File{}, fmt.Errorf("upload %s: %w", name, err)
	}
	if err := mw.Close(); err != nil {
		return File{}, fmt.Errorf("upload %s: %w", name, err)
	}
	out, _, err := c.do(ctx, request{method: http.MethodPost, path: "/v1/files", contentType: mw.FormDataContentType(), body: buf.Bytes()})
	if err != nil {
		return File{}, fmt.Errorf("upload %s: %w", name, err)
	}
	var f File
	if err := json.Unmarshal(out, &f); err != nil || f.ID == "" {
		return File{}, fmt.Errorf("upload %s: answer has no file id", name)
	}
	return f, nil
}

// FileContent downloads a file's content (GET /v1/files/{id}/content).
func (c *Client) FileContent(ctx context.Context, id string) ([]byte, error) {
	data, _, err := c.do(ctx, request{method: http.MethodGet, path: "/v1/files/" + id + "/content"})
	return data, err
}
