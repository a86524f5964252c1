package llm

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"

	"github.com/piimask/piimask/internal/llmapi"
	"github.com/piimask/piimask/stages/write"
)

// cache stores raw response bodies on disk, one file per request, keyed by
// sha256 of the base URL and the full request body (model, rendered
// messages, temperature, max_tokens, seed, response format).
type cache struct{ dir string }

func cacheKey(baseURL string, body []byte) string {
	h := sha256.New()
	h.Write([]byte(baseURL))
	h.Write([]byte{0})
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil))
}

func (c *cache) path(key string) string { return filepath.Join(c.dir, key[:2], key+".json") }

func (c *cache) get(key string) ([]byte, bool) {
	if c == nil {
		return nil, false
	}
	data, err := os.ReadFile(c.path(key))
	if err != nil {
		return nil, false
	}
	if _, _, err := llmapi.DecodeChat(data); err != nil {
		return nil, false // a damaged entry is refetched
	}
	return data, true
}

func (c *cache) put(key string, data []byte) error {
	if c == nil {
		return nil
	}
	p := c.path(key)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return fmt.Errorf("llm cache: %w", err)
	}
	if err := write.WriteFileAtomic(p, data); err != nil {
		return fmt.Errorf("llm cache: %w", err)
	}
	return nil
}
