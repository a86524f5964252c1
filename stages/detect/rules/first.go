package rules

import (
	"fmt"
	"regexp/syntax"
	"unicode"
	"unicode/utf8"
)

// firstBytes computes the set of bytes a match of pattern can start with
// (conservatively: any non-ASCII rune admits every UTF-8 lead byte). The
// scanner tries the anchored pattern only at those bytes.
func firstBytes(pattern string) (set [256]bool, err error) {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return set, fmt.Errorf("parse: %w", err)
	}
	prog, err := syntax.Compile(re.Simplify())
	if err != nil {
		return set, fmt.Errorf("compile: %w", err)
	}
	all := func() {
		for i := range set {
			set[i] = true
		}
	}
	add := func(lo, hi rune, fold bool) {
		for r := lo; r <= hi && r < 0x80; r++ {
			set[r] = true
			if fold {
				set[unicode.ToUpper(r)] = true
				set[unicode.ToLower(r)] = true
			}
		}
		if hi >= 0x80 {
			for b := 0xC2; b <= 0xF4; b++ {
				set[b] = true
			}
			if fold { // e.g. K (Kelvin sign) folds to k
				for b := 'A'; b <= 'z'; b++ {
					set[b] = true
				}
			}
		}
	}
	seen := make([]bool, len(prog.Inst))
	var walk func(pc uint32)
	walk = func(pc uint32) {
		if seen[pc] {
			return
		}
		seen[pc] = true
		in := &prog.Inst[pc]
		switch in.Op {
		case syntax.InstAlt, syntax.InstAltMatch:
			walk(in.Out)
			walk(in.Arg)
		case syntax.InstCapture, syntax.InstNop, syntax.InstEmptyWidth:
			walk(in.Out)
		case syntax.InstMatch, syntax.InstRuneAny, syntax.InstRuneAnyNotNL:
			all()
		case syntax.InstRune1:
			add(in.Rune[0], in.Rune[0], syntax.Flags(in.Arg)&syntax.FoldCase != 0)
		case syntax.InstRune:
			fold := syntax.Flags(in.Arg)&syntax.FoldCase != 0
			if len(in.Rune) == 1 {
				add(in.Rune[0], in.Rune[0], fold)
			}
			for i := 0; i+1 < len(in.Rune); i += 2 {
				add(in.Rune[i], in.Rune[i+1], fold)
			}
		}
	}
	walk(uint32(prog.Start))
	return set, nil
}

// unbounded is maxBytes's answer for a pattern with *, + or {n,}.
const unbounded = -1

// patternMaxLen returns the most bytes a match of pattern can span, or
// unbounded. Patterns here have no end-of-text or word-boundary
// assertions, so a bounded search window of at least this many bytes gives
// the same leftmost-first match as the whole text.
func patternMaxLen(pattern string) (int, error) {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return 0, fmt.Errorf("parse: %w", err)
	}
	return maxBytes(re.Simplify()), nil
}

func maxBytes(re *syntax.Regexp) int {
	runeLen := func(r rune) int {
		if r > unicode.MaxRune || r < 0 {
			return utf8.UTFMax
		}
		return utf8.RuneLen(r)
	}
	switch re.Op {
	case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText,
		syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return 0
	case syntax.OpLiteral:
		n := 0
		for _, r := range re.Rune {
			if re.Flags&syntax.FoldCase != 0 {
				n += utf8.UTFMax // a fold may be longer (k → K)
			} else {
				n += runeLen(r)
			}
		}
		return n
	case syntax.OpCharClass:
		n := 0
		for i := 1; i < len(re.Rune); i += 2 {
			n = max(n, runeLen(re.Rune[i]))
		}
		return n
	case syntax.OpAnyCharNotNL, syntax.OpAnyChar:
		return utf8.UTFMax
	case syntax.OpCapture:
		return maxBytes(re.Sub[0])
	case syntax.OpStar, syntax.OpPlus:
		return unbounded
	case syntax.OpQuest:
		return maxBytes(re.Sub[0])
	case syntax.OpRepeat:
		if re.Max < 0 {
			return unbounded
		}
		n := maxBytes(re.Sub[0])
		if n == unbounded {
			return unbounded
		}
		return n * re.Max
	case syntax.OpConcat:
		n := 0
		for _, s := range re.Sub {
			m := maxBytes(s)
			if m == unbounded {
				return unbounded
			}
			n += m
		}
		return n
	case syntax.OpAlternate:
		n := 0
		for _, s := range re.Sub {
			m := maxBytes(s)
			if m == unbounded {
				return unbounded
			}
			n = max(n, m)
		}
		return n
	}
	return unbounded
}
