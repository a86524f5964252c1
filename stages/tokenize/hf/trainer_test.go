package hf

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func corpus(t testing.TB) []string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "texts.json"))
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	if err := json.Unmarshal(data, &texts); err != nil {
		t.Fatal(err)
	}
	return texts
}

// TestTrainedTokenizers trains both tokenizers on the committed corpus,
// checks the output is the committed file (training is deterministic; set
// UPDATE_TRAINED=1 to rewrite it, then regenerate the goldens with
// scripts/tokenizer-goldens/generate.js) and that the Go encoder matches
// the Rust library's goldens for it.
func TestTrainedTokenizers(t *testing.T) {
	texts := corpus(t)
	cases := []struct {
		name  string
		train func() ([]byte, error)
		// specials expected at the start of the vocabulary.
		specials []string
	}{
		{"trained-wordpiece", func() ([]byte, error) { return TrainWordPiece(texts, 1000) }, WordPieceSpecials},
		{"trained-bpe", func() ([]byte, error) { return TrainByteFallbackBPE(texts, 700) }, BPESpecials},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			data, err := c.train()
			if err != nil {
				t.Fatal(err)
			}
			again, err := c.train()
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(data, again) {
				t.Fatal("training is not deterministic")
			}
			path := filepath.Join("testdata", c.name+".json")
			if os.Getenv("UPDATE_TRAINED") != "" {
				if err := os.WriteFile(path, data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			committed, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with UPDATE_TRAINED=1 to create it)", err)
			}
			if !bytes.Equal(committed, data) {
				t.Fatalf("%s differs from freshly trained output; rerun with UPDATE_TRAINED=1 and regenerate goldens", path)
			}
			tok, err := LoadBytes(data)
			if err != nil {
				t.Fatal(err)
			}
			for i, s := range c.specials {
				if id, ok := tok.TokenToID(s); !ok || id != i {
					t.Errorf("special %q: id %d ok %v, want %d", s, id, ok, i)
				}
			}
			if tok.PadID() != 0 && c.name == "trained-wordpiece" {
				t.Errorf("PadID = %d, want 0", tok.PadID())
			}
			checkGoldens(t, tok, readGoldens(t, c.name))
		})
	}
}

func TestTrainErrors(t *testing.T) {
	if _, err := TrainWordPiece([]string{"a"}, 3); err == nil {
		t.Error("TrainWordPiece with a tiny vocab: want error")
	}
	if _, err := TrainByteFallbackBPE([]string{"a"}, 100); err == nil {
		t.Error("TrainByteFallbackBPE below 259: want error")
	}
}

func TestTrainCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	texts := []string{"bonjour le monde", "hello world again and again"}
	if _, err := TrainWordPiece(texts, 200, WithContext(ctx)); !errors.Is(err, context.Canceled) {
		t.Errorf("TrainWordPiece on a cancelled context: err = %v", err)
	}
	if _, err := TrainByteFallbackBPE(texts, 300, WithContext(ctx)); !errors.Is(err, context.Canceled) {
		t.Errorf("TrainByteFallbackBPE on a cancelled context: err = %v", err)
	}
}
