package pdf

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"time"

	"github.com/piimask/piimask/internal/llmapi"
)

// EnvMistralKey is the environment variable holding the Mistral API key.
const EnvMistralKey = llmapi.EnvAPIKey

// Mistral is OCR through the Mistral OCR API (internal/llmapi): POST
// {BaseURL}/v1/ocr with the PDF as a base64 data URL and the one page
// wanted (0-based), reading pages[].markdown from the answer.
type Mistral struct {
	// BaseURL defaults to https://api.mistral.ai.
	BaseURL string
	// APIKey is sent as a bearer token.
	APIKey string
	// Model defaults to mistral-ocr-latest.
	Model string
	// Client defaults to a new http.Client; each request has 2 minutes.
	Client *http.Client
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
	api := llmapi.New(llmapi.Config{BaseURL: m.BaseURL, APIKey: m.APIKey, HTTPClient: m.Client,
		Timeout: 2 * time.Minute, MaxResponseBytes: 64 << 20})
	r, err := api.OCR(ctx, llmapi.OCRRequest{Model: m.Model, Pages: []int{page - 1},
		Document: llmapi.OCRDocument{Type: "document_url", DocumentURL: "data:application/pdf;base64," + base64.StdEncoding.EncodeToString(data)}})
	if err != nil {
		return "", fmt.Errorf("mistral OCR: %w", err)
	}
	for _, p := range r.Pages {
		if p.Index == page-1 {
			return p.Markdown, nil
		}
	}
	return "", fmt.Errorf("mistral OCR: answer has no page index %d", page-1)
}
