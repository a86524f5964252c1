package detect_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/piimask/piimask/record"
	"github.com/piimask/piimask/stages/detect"
)

// keywordOptions are the options of the example method: declared once, as
// a struct with yaml tags and doc comments; config loading checks every
// job's options against it (unknown keys, wrong types, with file:line).
type keywordOptions struct {
	// Word is the word to find.
	Word string `yaml:"word"`
	// Label is the class of what is found (default CUSTOM).
	Label string `yaml:"label"`
}

// keywordMethod marks every occurrence of one word.
type keywordMethod struct {
	name string
	opts keywordOptions
}

func (m *keywordMethod) Name() string { return m.name }
func (m *keywordMethod) Close() error { return nil }

func (m *keywordMethod) Detect(ctx context.Context, batch []record.Record) ([]detect.Prediction, error) {
	out := make([]detect.Prediction, len(batch))
	for i, r := range batch {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		runes := []rune(r.Text)
		word := []rune(m.opts.Word)
		for j := 0; j+len(word) <= len(runes); j++ { // code-point offsets
			if string(runes[j:j+len(word)]) == m.opts.Word {
				out[i].Spans = append(out[i].Spans, record.Span{Start: j, End: j + len(word), Label: m.opts.Label, Score: 1})
			}
		}
	}
	return out, nil
}

// A new detection method: an options struct, a constructor that decodes
// it, and one RegisterOptions call. The constructor receives the job's
// Resources (logger, events, cache directory).
func ExampleRegistry_RegisterOptions() {
	reg := detect.NewRegistry()
	reg.RegisterOptions("keyword", keywordOptions{}, func(_ context.Context, spec detect.Spec) (detect.Method, error) {
		var o keywordOptions
		if err := detect.DecodeOptions(spec.Options, &o); err != nil {
			return nil, err
		}
		if strings.TrimSpace(o.Word) == "" {
			return nil, fmt.Errorf("options.word is required")
		}
		if o.Label == "" {
			o.Label = "CUSTOM"
		}
		spec.Resources.Logger.Debug("keyword method ready")
		return &keywordMethod{name: spec.Name, opts: o}, nil
	})

	m, err := reg.New(context.Background(), detect.Spec{Name: "falcon", Type: "keyword", Options: detect.Options{"word": "Falcon", "label": "CODENAME"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer m.Close()
	preds, _ := m.Detect(context.Background(), []record.Record{{ID: "1", Text: "Projet Falcon, phase Falcon-2"}})
	for _, s := range preds[0].Spans {
		fmt.Println(s.Start, s.End, s.Label)
	}
	_, err = reg.New(context.Background(), detect.Spec{Name: "bad", Type: "keyword", Options: detect.Options{"wrod": "x"}})
	fmt.Println(err != nil)
	// Output:
	// 7 13 CODENAME
	// 21 27 CODENAME
	// true
}
