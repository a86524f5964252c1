package onnx

import "github.com/piimask/piimask/stages/tokenize"

// strideWindows cuts n content tokens into windows of at most maxTokens that
// overlap by stride tokens (Hugging Face's `stride`). Merge rule: the overlap
// of two neighbouring windows is split at its middle — the left window owns
// the first half (rounded down), the right window the rest — so every token's
// prediction comes from the window in which it sits farthest from a cut edge,
// and the cores partition [0, n).
//
// This is a local copy of the contract tokenize.Windows will provide.
func strideWindows(n, maxTokens, stride int) []tokenize.Window {
	if n <= 0 {
		return nil
	}
	if maxTokens < 1 {
		maxTokens = 1
	}
	if stride < 0 || stride >= maxTokens {
		stride = 0
	}
	step := maxTokens - stride
	var out []tokenize.Window
	for start := 0; ; start += step {
		end := min(start+maxTokens, n)
		w := tokenize.Window{Start: start, End: end, CoreStart: start, CoreEnd: end}
		if len(out) > 0 {
			prev := &out[len(out)-1]
			cut := start + (prev.End-start)/2
			prev.CoreEnd, w.CoreStart = cut, cut
		}
		out = append(out, w)
		if end == n {
			return out
		}
	}
}

// rightContextWindows cuts n tokens for a left-to-right (decoder) model: each
// window's core is followed by up to margin tokens of right context that the
// window sees but does not own; the next window starts at that core's end,
// so cores partition [0, n). The last window's core runs to n.
//
// This is a local copy of the contract tokenize.WindowsWithRightContext will
// provide.
func rightContextWindows(n, maxTokens, margin int) []tokenize.Window {
	if n <= 0 {
		return nil
	}
	if margin < 0 || margin >= maxTokens {
		margin = 0
	}
	core := max(maxTokens-margin, 1)
	var out []tokenize.Window
	for start := 0; start < n; start += core {
		w := tokenize.Window{Start: start, End: min(start+core+margin, n), CoreStart: start, CoreEnd: min(start+core, n)}
		if w.End == n {
			w.CoreEnd = n
			out = append(out, w)
			return out
		}
		out = append(out, w)
	}
	return out
}
