package pdf

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// EnvMistralKey is the environment variable holding the Mistral API key.
const EnvMistralKey = "MISTRAL_API_KEY"

// Mistral is OCR through the Mistral OCR API: POST {BaseURL}/v1/ocr with the
// PDF as a base64 data URL and the one page wanted (0-based), reading
// pages[].markdown from the answer.
type Mistral struct {
	// BaseURL defaults to https://api.mistral.ai.
	BaseURL string
	// APIKey is sent as a bearer token.
	APIKey string
	// Model defaults to mistral-ocr-latest.
	Model string
	// Client defaults to an http.Client with a 2-minute timeout.
	Client *http.Client
}

// MistralRequest is the body of POST /v1/ocr.
type MistralRequest struct {
	Model              string          `json:"model"`
	Document           MistralDocument `json:"document"`
	Pages              []int           `json:"pages,omitempty"`
	IncludeImageBase64 bool            `json:"include_image_base64"`
}

// MistralDocument is the document of an OCR request.
type MistralDocument struct {
	Type        string `json:"type"` // "document_url"
	DocumentURL string `json:"document_url"`
}

// MistralResponse is the answer of POST /v1/ocr.
type MistralResponse struct {
	Pages []struct {
		Index      int    `json:"index"`
		Markdown   string `json:"markdown"`
		Dimensions *struct {
			DPI    int `json:"dpi"`
			Height int `json:"height"`
			Width  int `json:"width"`
		} `json:"dimensions"`
	} `json:"pages"`
	Model     string `json:"model"`
	UsageInfo struct {
		PagesProcessed int   `json:"pages_processed"`
		DocSizeBytes   int64 `json:"doc_size_bytes"`
	} `json:"usage_info"`
}

// Name is "mistral".
func (m *Mistral) Name() string { return OCRMistral }

// Page sends the PDF (its bytes, as a base64 data URL: a file is read, an
// in-memory PDF is sent as it is) and asks for one page.
func (m *Mistral) Page(ctx context.Context, src Source, page int) (string, error) {
	if m.APIKey == "" {
		return "", fmt.Errorf("mistral OCR: no API key (set %s)", EnvMistralKey)
	}
	data, err := src.Bytes()
	if err != nil {
		return "", err
	}
	model := m.Model
	if model == "" {
		model = "mistral-ocr-latest"
	}
	body, err := json.Marshal(MistralRequest{Model: model, Pages: []int{page - 1},
		Document: MistralDocument{Type: "document_url", DocumentURL: "data:application/pdf;base64," + base64.StdEncoding.EncodeToString(data)}})
	if err != nil {
		return "", err
	}
	base := strings.TrimRight(m.BaseURL, "/")
	if base == "" {
		base = "https://api.mistral.ai"
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/v1/ocr", bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Authorization", "Bearer "+m.APIKey)
	client := m.Client
	if client == nil {
		client = &http.Client{Timeout: 2 * time.Minute}
	}
	resp, err := client.Do(req)
	if err != nil {
		return "", fmt.Errorf("mistral OCR: %w", err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return "", fmt.Errorf("mistral OCR: read answer: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("mistral OCR: HTTP %d", resp.StatusCode)
	}
	var r MistralResponse
	if err := json.Unmarshal(raw, &r); err != nil {
		return "", fmt.Errorf("mistral OCR: answer is not the expected JSON: %w", err)
	}
	for _, p := range r.Pages {
		if p.Index == page-1 {
			return p.Markdown, nil
		}
	}
	return "", fmt.Errorf("mistral OCR: answer has no page index %d", page-1)
}
