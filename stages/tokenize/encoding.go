package tokenize

// Encoding is the result of tokenizing one text, in the shape Hugging Face
// `tokenizers` returns. All slices have the same length (one entry a token).
type Encoding struct {
	IDs           []int
	Tokens        []string
	TypeIDs       []int
	AttentionMask []int
	// SpecialTokensMask is 1 for tokens added by the post-processor or special
	// added tokens ([CLS], </s>, …), else 0.
	SpecialTokensMask []int
	// Offsets are [start, end) in Unicode code points of the original text;
	// special tokens have (0, 0).
	Offsets [][2]int
	// WordIDs is the index of the pre-tokenizer word each token came from, or
	// -1 for special tokens.
	WordIDs []int
}

// Len is the number of tokens.
func (e *Encoding) Len() int { return len(e.IDs) }

// Tokenizer is what the rest of piimask needs from a tokenizer.
type Tokenizer interface {
	// Encode tokenizes text. addSpecial adds the post-processor's special
	// tokens ([CLS] … [SEP], <s> … </s>, BOS). No truncation or padding.
	Encode(text string, addSpecial bool) (*Encoding, error)
	// VocabSize is the size of the vocabulary including added tokens.
	VocabSize() int
	// TokenToID looks up a token; ok is false when unknown.
	TokenToID(token string) (id int, ok bool)
	// PadID is the padding token's id (0 when the tokenizer defines none).
	PadID() int
}
