package tokenize

import "fmt"

// Window is a run of content tokens (special tokens excluded) that one model
// call sees: tokens [Start, End). Core [CoreStart, CoreEnd) is the part whose
// predictions this window owns; the cores of a text's windows partition
// [0, n) exactly, so merging windows back never double-counts a token.
type Window struct {
	Start, End         int
	CoreStart, CoreEnd int
}

// Windows cuts n content tokens into windows of at most maxTokens tokens
// where consecutive windows overlap by stride tokens (the Hugging Face
// `stride` of return_overflowing_tokens): window k starts at k*(maxTokens-stride)
// and the last window ends at n. Each overlap is split at its midpoint: the
// left window's core keeps the first half (rounded down), the right window's
// core the rest, so every token is owned by the window where it has the most
// context on both sides. The cores partition [0, n). A text of n <= maxTokens
// tokens (n = 0 included) gives one window [0, n).
//
// Callers reserve room for special tokens themselves: maxTokens counts
// content tokens only.
func Windows(n, maxTokens, stride int) ([]Window, error) {
	if err := checkWindowArgs(n, maxTokens, stride, "stride"); err != nil {
		return nil, err
	}
	if n <= maxTokens {
		return []Window{{Start: 0, End: n, CoreStart: 0, CoreEnd: n}}, nil
	}
	step := maxTokens - stride
	var ws []Window
	for start := 0; ; start += step {
		end := min(start+maxTokens, n)
		ws = append(ws, Window{Start: start, End: end})
		if end == n {
			break
		}
	}
	for k := range ws {
		if k == 0 {
			ws[k].CoreStart = 0
		} else {
			ws[k].CoreStart = ws[k-1].CoreEnd
		}
		if k == len(ws)-1 {
			ws[k].CoreEnd = n
		} else {
			next := ws[k+1].Start
			ws[k].CoreEnd = next + (ws[k].End-next)/2
		}
	}
	return ws, nil
}

// WindowsWithRightContext cuts n content tokens into windows of at most
// maxTokens tokens for models that must see `margin` tokens after a token
// before its prediction is trusted (a decoder reading left to right, whose
// answer about a token can depend on what follows it). A window's core is
// its tokens minus the last margin ones (the last window keeps all of its
// tokens); the next window starts where the previous core ends, so
// consecutive windows overlap by exactly margin tokens and the cores
// partition [0, n).
func WindowsWithRightContext(n, maxTokens, margin int) ([]Window, error) {
	if err := checkWindowArgs(n, maxTokens, margin, "margin"); err != nil {
		return nil, err
	}
	var ws []Window
	for start := 0; ; {
		end := min(start+maxTokens, n)
		w := Window{Start: start, End: end, CoreStart: start, CoreEnd: end}
		if end < n {
			w.CoreEnd = end - margin
		}
		ws = append(ws, w)
		if end == n {
			break
		}
		start = w.CoreEnd
	}
	return ws, nil
}

// WindowsWithLeftContext cuts n content tokens into windows of at most
// maxTokens tokens for causal models (a decoder reading left to right, whose
// answer about a token depends only on the tokens before it): every window
// but the first starts margin tokens before its core, and those first margin
// tokens are context only (their labels come from the previous window, where
// they sit in its core). A window's core runs to its end; consecutive windows
// overlap by exactly margin tokens and the cores partition [0, n). A text of
// n <= maxTokens tokens gives one window [0, n).
func WindowsWithLeftContext(n, maxTokens, margin int) ([]Window, error) {
	if err := checkWindowArgs(n, maxTokens, margin, "margin"); err != nil {
		return nil, err
	}
	var ws []Window
	for core := 0; ; {
		start := max(core-margin, 0)
		end := min(start+maxTokens, n)
		ws = append(ws, Window{Start: start, End: end, CoreStart: core, CoreEnd: end})
		if end == n {
			break
		}
		core = end
	}
	return ws, nil
}

func checkWindowArgs(n, maxTokens, overlap int, name string) error {
	switch {
	case n < 0:
		return fmt.Errorf("windows: negative token count %d", n)
	case maxTokens <= 0:
		return fmt.Errorf("windows: max tokens must be positive, got %d", maxTokens)
	case overlap < 0:
		return fmt.Errorf("windows: %s must not be negative, got %d", name, overlap)
	case overlap >= maxTokens:
		return fmt.Errorf("windows: %s %d must be smaller than max tokens %d", name, overlap, maxTokens)
	}
	return nil
}

// Len is the number of tokens in the window.
func (w Window) Len() int { return w.End - w.Start }
