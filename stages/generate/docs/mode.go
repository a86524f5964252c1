package docs

import (
	"fmt"

	"github.com/piimask/piimask/stages/generate"
)

// Generation modes.
const (
	// ModeTemplates is stages/generate's 200k-style template sentences (the default).
	ModeTemplates = "templates"
	// ModeDocuments is this package's composed documents.
	ModeDocuments = "documents"
)

// Modes lists the generation modes.
func Modes() []string { return []string{ModeTemplates, ModeDocuments} }

// Options selects a generation mode and its settings, as the generate
// command, input.generate and train-tokenizer give them.
type Options struct {
	Mode      string // "" or "templates", or "documents"
	Seed      int64
	N         int
	Languages []string
	// Documents mode only:
	CleanShare float64  // 0 = DefaultCleanShare
	ProsePath  string   // optional prose file (LoadProse)
	Kinds      []string // empty = all
}

// Open returns the row source for o. Options that only the documents mode
// understands are an error with the templates mode.
func Open(o Options) (generate.RowSource, error) {
	switch o.Mode {
	case "", ModeTemplates:
		if o.ProsePath != "" || o.CleanShare != 0 || len(o.Kinds) > 0 {
			return nil, fmt.Errorf("generate: prose, clean share and kinds need mode %q", ModeDocuments)
		}
		return generate.New(generate.Config{Seed: o.Seed, N: o.N, Languages: o.Languages})
	case ModeDocuments:
		cfg := Config{Seed: o.Seed, N: o.N, Languages: o.Languages, CleanShare: o.CleanShare, Kinds: o.Kinds}
		if o.ProsePath != "" {
			p, err := LoadProse(o.ProsePath)
			if err != nil {
				return nil, err
			}
			cfg.Prose = p
		}
		return New(cfg)
	}
	return nil, fmt.Errorf("generate: unknown mode %q (want %s or %s)", o.Mode, ModeTemplates, ModeDocuments)
}
