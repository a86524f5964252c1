package rules

import (
	"fmt"
	"regexp/syntax"
	"unicode"
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
