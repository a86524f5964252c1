package llmapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"

	"github.com/piimask/piimask/internal/prompt"
)

// PathChat is the chat completions endpoint, also the endpoint of chat batch jobs.
const PathChat = "/v1/chat/completions"

// ChatRequest is the chat completions request body (Mistral and
// OpenAI-compatible). Batch lines leave Model empty.
type ChatRequest struct {
	Model          string           `json:"model,omitempty"`
	Messages       []prompt.Message `json:"messages"`
	Temperature    float64          `json:"temperature"`
	MaxTokens      int              `json:"max_tokens"`
	ResponseFormat *ResponseFormat  `json:"response_format,omitempty"`
	// RandomSeed is Mistral's seed field, Seed OpenAI's.
	RandomSeed *int64 `json:"random_seed,omitempty"`
	Seed       *int64 `json:"seed,omitempty"`
}

// ResponseFormat asks for an answer format ({"type":"json_object"}).
type ResponseFormat struct {
	Type string `json:"type"`
}

// ChatResponse is the part of a chat completion piimask reads.
type ChatResponse struct {
	Choices []struct {
		Message struct {
			Content json.RawMessage `json:"content"`
		} `json:"message"`
		FinishReason string `json:"finish_reason"`
	} `json:"choices"`
	Usage struct {
		PromptTokens     int64 `json:"prompt_tokens"`
		CompletionTokens int64 `json:"completion_tokens"`
	} `json:"usage"`
}

// DecodeChat checks a chat completion body and returns the first answer's
// text. Content may be a string or a list of chunks ({"type":"text","text":…}).
func DecodeChat(data []byte) (ChatResponse, string, error) {
	var r ChatResponse
	if err := json.Unmarshal(data, &r); err != nil {
		return r, "", errors.New("invalid JSON body")
	}
	if len(r.Choices) == 0 {
		return r, "", errors.New("answer has no choices")
	}
	raw := r.Choices[0].Message.Content
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return r, s, nil
	}
	var chunks []struct {
		Type string `json:"type"`
		Text string `json:"text"`
	}
	if err := json.Unmarshal(raw, &chunks); err == nil {
		var b bytes.Buffer
		for _, c := range chunks {
			b.WriteString(c.Text)
		}
		return r, b.String(), nil
	}
	if len(raw) == 0 || string(raw) == "null" {
		return r, "", nil
	}
	return r, "", errors.New("answer content is neither text nor chunks")
}

// ChatCompletion posts a chat completions body (a marshalled ChatRequest)
// and returns the raw answer, which DecodeChat accepts, and the number of
// HTTP attempts. tokens (the estimated prompt tokens plus max_tokens) are
// charged to the token limiter. A 2xx answer that DecodeChat refuses is
// retried like a 5xx.
func (c *Client) ChatCompletion(ctx context.Context, body []byte, tokens int) ([]byte, int, error) {
	return c.do(ctx, request{method: http.MethodPost, path: PathChat, contentType: "application/json",
		body: body, retry: true, tokens: tokens, check: func(data []byte) error {
			_, _, err := DecodeChat(data)
			return err
		}})
}
