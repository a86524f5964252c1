package dataset

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math"
	"path/filepath"
	"unicode/utf8"

	"github.com/piimask/piimask/internal/prompt"
	"github.com/piimask/piimask/stages/write"
)

// ApproxTokens estimates a text's token count as ceil(code points / 4), the
// usual rule of thumb for English and French with LLM tokenizers.
func ApproxTokens(s string) int { return (utf8.RuneCountInString(s) + 3) / 4 }

// FinetuneOptions configure a FinetuneWriter.
type FinetuneOptions struct {
	// Dir receives train.jsonl and validation.jsonl.
	Dir string
	// CountTokens counts a message's tokens (default ApproxTokens).
	CountTokens func(string) int
	// PricePerMTokens is the training price per million tokens.
	PricePerMTokens float64
	// Epochs multiplies the training tokens for the cost (default 1).
	Epochs float64
}

// FinetuneStats are the figures of a fine-tuning file.
type FinetuneStats struct {
	Examples map[string]int `json:"examples"` // per split
	Tokens   map[string]int `json:"tokens"`   // message tokens per split
	Skipped  int            `json:"skipped"`  // test-split documents, kept out
	// TrainedTokens is train tokens × epochs, what providers bill.
	TrainedTokens float64 `json:"trained_tokens"`
	// CostUSD is TrainedTokens × price per million / 1e6.
	CostUSD float64 `json:"cost_usd"`
}

// FinetuneWriter writes the LLM fine-tuning files in the Mistral chat format,
// one {"messages":[{"role","content"}…]} object per line: train.jsonl and
// validation.jsonl. Test documents are not written (they stay unseen for
// evaluation). Not safe for concurrent use.
type FinetuneWriter struct {
	opts  FinetuneOptions
	files map[string]*write.AtomicFile
	bufs  map[string]*bufio.Writer
	stats FinetuneStats
}

// NewFinetuneWriter creates the two files in o.Dir.
func NewFinetuneWriter(o FinetuneOptions) (*FinetuneWriter, error) {
	if o.CountTokens == nil {
		o.CountTokens = ApproxTokens
	}
	if o.Epochs <= 0 {
		o.Epochs = 1
	}
	w := &FinetuneWriter{opts: o, files: map[string]*write.AtomicFile{}, bufs: map[string]*bufio.Writer{},
		stats: FinetuneStats{Examples: map[string]int{}, Tokens: map[string]int{}}}
	for _, split := range []string{Train, Validation} {
		f, err := write.CreateAtomic(filepath.Join(o.Dir, split+".jsonl"))
		if err != nil {
			w.Abort()
			return nil, err
		}
		w.files[split] = f
		w.bufs[split] = bufio.NewWriter(f)
	}
	return w, nil
}

// Write adds one conversation (as from prompt.Builder.Conversation) to its
// split's file; test-split conversations are counted in Skipped.
func (w *FinetuneWriter) Write(split string, msgs []prompt.Message) error {
	if split == Test {
		w.stats.Skipped++
		return nil
	}
	buf, ok := w.bufs[split]
	if !ok {
		return fmt.Errorf("fine-tuning file: unknown split %q", split)
	}
	if len(msgs) == 0 || msgs[len(msgs)-1].Role != "assistant" {
		return fmt.Errorf("fine-tuning file: a %s example must end with an assistant message", split)
	}
	line, err := json.Marshal(struct {
		Messages []prompt.Message `json:"messages"`
	}{msgs})
	if err != nil {
		return fmt.Errorf("fine-tuning file: %w", err)
	}
	if _, err := buf.Write(append(line, '\n')); err != nil {
		return fmt.Errorf("write %s: %w", w.files[split].Path(), err)
	}
	for _, m := range msgs {
		w.stats.Tokens[split] += w.opts.CountTokens(m.Content)
	}
	w.stats.Examples[split]++
	return nil
}

// Close commits both files and returns the figures, cost included.
func (w *FinetuneWriter) Close() (FinetuneStats, error) {
	for _, split := range []string{Train, Validation} {
		if err := w.bufs[split].Flush(); err != nil {
			w.Abort()
			return w.stats, fmt.Errorf("write %s: %w", w.files[split].Path(), err)
		}
		if err := w.files[split].Commit(); err != nil {
			w.Abort()
			return w.stats, err
		}
	}
	w.stats.TrainedTokens = float64(w.stats.Tokens[Train]) * w.opts.Epochs
	w.stats.CostUSD = math.Round(w.stats.TrainedTokens*w.opts.PricePerMTokens/1e6*1e4) / 1e4
	return w.stats, nil
}

// Abort removes the files not yet committed.
func (w *FinetuneWriter) Abort() {
	for _, f := range w.files {
		f.Abort()
	}
}
