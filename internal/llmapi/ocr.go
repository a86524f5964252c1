package llmapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
)

// PathOCR is the OCR endpoint.
const PathOCR = "/v1/ocr"

// DefaultOCRModel is the OCR model used when OCRRequest.Model is empty.
const DefaultOCRModel = "mistral-ocr-latest"

// OCRRequest is the body of POST /v1/ocr.
type OCRRequest struct {
	Model    string      `json:"model"`
	Document OCRDocument `json:"document"`
	// Pages are 0-based page indexes (none: every page).
	Pages              []int `json:"pages,omitempty"`
	IncludeImageBase64 bool  `json:"include_image_base64"`
}

// OCRDocument is the document of an OCR request.
type OCRDocument struct {
	Type        string `json:"type"` // "document_url"
	DocumentURL string `json:"document_url"`
}

// OCRResponse is the answer of POST /v1/ocr.
type OCRResponse struct {
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

// OCR sends an OCR request (retried like a chat completion: it creates
// nothing) and decodes the answer.
func (c *Client) OCR(ctx context.Context, r OCRRequest) (OCRResponse, error) {
	if r.Model == "" {
		r.Model = DefaultOCRModel
	}
	body, err := json.Marshal(r)
	if err != nil {
		return OCRResponse{}, fmt.Errorf("POST %s: encode: %w", PathOCR, err)
	}
	data, _, err := c.do(ctx, request{method: http.MethodPost, path: PathOCR, contentType: "application/json", body: body, retry: true})
	if err != nil {
		return OCRResponse{}, err
	}
	var out OCRResponse
	if err := json.Unmarshal(data, &out); err != nil {
		return OCRResponse{}, fmt.Errorf("POST %s: answer is not the expected JSON: %w", PathOCR, err)
	}
	return out, nil
}
