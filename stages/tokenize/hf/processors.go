package hf

import (
	"encoding/json"
	"fmt"
	"unicode"

	"github.com/piimask/piimask/stages/tokenize"
)

// processor is a post-processor for a single sequence.
type processor interface {
	process(e *tokenize.Encoding, addSpecial bool) *tokenize.Encoding
}

type processorSeq []processor

func (s processorSeq) process(e *tokenize.Encoding, add bool) *tokenize.Encoding {
	for _, p := range s {
		e = p.process(e, add)
	}
	return e
}

type specialTok struct {
	ids    []int
	tokens []string
}

// templateProcessor also covers BertProcessing and RobertaProcessing.
type templateProcessor struct {
	items []templateItem
	// trim enables byte-level offset trimming (RobertaProcessing).
	trim           bool
	addPrefixSpace bool
}

type templateItem struct {
	sequence bool
	typeID   int
	special  specialTok
}

type byteLevelProcessor struct {
	trim           bool
	addPrefixSpace bool
}

func (b byteLevelProcessor) process(e *tokenize.Encoding, _ bool) *tokenize.Encoding {
	if b.trim {
		trimByteLevelOffsets(e, b.addPrefixSpace)
	}
	return e
}

// trimByteLevelOffsets removes leading and trailing spaces (Ġ) from offsets
// as the Rust byte_level::process_offsets does.
func trimByteLevelOffsets(e *tokenize.Encoding, addPrefixSpace bool) {
	isSp := func(r rune) bool { return r == bytesChar[' '] || unicode.IsSpace(r) }
	for i, tok := range e.Tokens {
		rs := []rune(tok)
		lead, trail := 0, 0
		for lead < len(rs) && isSp(rs[lead]) {
			lead++
		}
		for trail < len(rs) && isSp(rs[len(rs)-1-trail]) {
			trail++
		}
		if lead == 0 && trail == 0 {
			continue
		}
		o := &e.Offsets[i]
		if lead > 0 {
			isFirst := i == 0 || o[0] == 0
			if isFirst && addPrefixSpace && lead == 1 {
				lead = 0
			}
			o[0] = min(o[0]+lead, o[1])
		}
		if trail > 0 && o[1] >= trail {
			o[1] = max(o[1]-trail, o[0])
		}
	}
}

func (t *templateProcessor) process(e *tokenize.Encoding, add bool) *tokenize.Encoding {
	if t.trim {
		trimByteLevelOffsets(e, t.addPrefixSpace)
	}
	if !add {
		return e
	}
	out := newEncoding()
	for _, it := range t.items {
		if it.sequence {
			out.IDs = append(out.IDs, e.IDs...)
			out.Tokens = append(out.Tokens, e.Tokens...)
			for range e.IDs {
				out.TypeIDs = append(out.TypeIDs, it.typeID)
			}
			out.AttentionMask = append(out.AttentionMask, e.AttentionMask...)
			out.SpecialTokensMask = append(out.SpecialTokensMask, e.SpecialTokensMask...)
			out.Offsets = append(out.Offsets, e.Offsets...)
			out.WordIDs = append(out.WordIDs, e.WordIDs...)
			continue
		}
		for k, id := range it.special.ids {
			out.IDs = append(out.IDs, id)
			out.Tokens = append(out.Tokens, it.special.tokens[k])
			out.TypeIDs = append(out.TypeIDs, it.typeID)
			out.AttentionMask = append(out.AttentionMask, 1)
			out.SpecialTokensMask = append(out.SpecialTokensMask, 1)
			out.Offsets = append(out.Offsets, [2]int{0, 0})
			out.WordIDs = append(out.WordIDs, -1)
		}
	}
	return out
}

func parseProcessor(raw json.RawMessage) (processor, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var c rawComponent
	if err := json.Unmarshal(raw, &c); err != nil {
		return nil, fmt.Errorf("post_processor: %w", err)
	}
	typ := c.str("type")
	pairOf := func(key string) (specialTok, error) {
		var v [2]json.RawMessage
		if err := json.Unmarshal(c[key], &v); err != nil {
			return specialTok{}, fmt.Errorf("post_processor %s: field %s: %w", typ, key, err)
		}
		var s string
		var id int
		if err := json.Unmarshal(v[0], &s); err != nil {
			return specialTok{}, fmt.Errorf("post_processor %s: field %s: %w", typ, key, err)
		}
		if err := json.Unmarshal(v[1], &id); err != nil {
			return specialTok{}, fmt.Errorf("post_processor %s: field %s: %w", typ, key, err)
		}
		return specialTok{ids: []int{id}, tokens: []string{s}}, nil
	}
	switch typ {
	case "Sequence":
		var items []json.RawMessage
		if err := json.Unmarshal(c["processors"], &items); err != nil {
			return nil, fmt.Errorf("post_processor Sequence: field processors: %w", err)
		}
		var seq processorSeq
		for i, it := range items {
			p, err := parseProcessor(it)
			if err != nil {
				return nil, fmt.Errorf("post_processor Sequence item %d: %w", i, err)
			}
			if p != nil {
				seq = append(seq, p)
			}
		}
		return seq, nil
	case "ByteLevel":
		return byteLevelProcessor{trim: c.boolOr("trim_offsets", true), addPrefixSpace: c.boolOr("add_prefix_space", true)}, nil
	case "BertProcessing", "RobertaProcessing":
		cls, err := pairOf("cls")
		if err != nil {
			return nil, err
		}
		sep, err := pairOf("sep")
		if err != nil {
			return nil, err
		}
		t := &templateProcessor{items: []templateItem{{special: cls}, {sequence: true}, {special: sep}}}
		if typ == "RobertaProcessing" {
			t.trim = c.boolOr("trim_offsets", true)
			t.addPrefixSpace = c.boolOr("add_prefix_space", true)
		}
		return t, nil
	case "TemplateProcessing":
		var spec struct {
			Single []struct {
				Sequence *struct {
					ID     string `json:"id"`
					TypeID int    `json:"type_id"`
				}
				SpecialToken *struct {
					ID     string `json:"id"`
					TypeID int    `json:"type_id"`
				}
			} `json:"single"`
			SpecialTokens map[string]struct {
				IDs    []int    `json:"ids"`
				Tokens []string `json:"tokens"`
			} `json:"special_tokens"`
		}
		if err := json.Unmarshal(raw, &spec); err != nil {
			return nil, fmt.Errorf("post_processor TemplateProcessing: %w", err)
		}
		t := &templateProcessor{}
		for i, it := range spec.Single {
			switch {
			case it.Sequence != nil:
				t.items = append(t.items, templateItem{sequence: true, typeID: it.Sequence.TypeID})
			case it.SpecialToken != nil:
				st, ok := spec.SpecialTokens[it.SpecialToken.ID]
				if !ok || len(st.IDs) != len(st.Tokens) {
					return nil, fmt.Errorf("post_processor TemplateProcessing: single[%d]: special token %q missing from special_tokens", i, it.SpecialToken.ID)
				}
				t.items = append(t.items, templateItem{typeID: it.SpecialToken.TypeID,
					special: specialTok{ids: st.IDs, tokens: st.Tokens}})
			default:
				return nil, fmt.Errorf("post_processor TemplateProcessing: single[%d]: need Sequence or SpecialToken", i)
			}
		}
		return t, nil
	default:
		return nil, fmt.Errorf("unsupported post_processor %q", typ)
	}
}
