package score

import (
	"unicode"

	"github.com/piimask/piimask/record"
)

// charView holds, for one document, which code points are clean
// (non-whitespace and outside every gold span), and the predictions' union.
type charView struct {
	isClean []bool
	clean   int64
	predU   []record.Span
}

// newCharView marks the clean code points of runes. gold and pred are
// sorted by start and clipped to the text.
func newCharView(runes []rune, gold, pred []record.Span) *charView {
	cv := &charView{isClean: make([]bool, len(runes)), predU: union(pred)}
	for i, r := range runes {
		cv.isClean[i] = !unicode.IsSpace(r)
	}
	for _, g := range gold {
		for i := g.Start; i < g.End; i++ {
			cv.isClean[i] = false
		}
	}
	for _, c := range cv.isClean {
		if c {
			cv.clean++
		}
	}
	return cv
}

// overMasked counts the clean code points the spans (sorted by start)
// cover.
func (cv *charView) overMasked(spans []record.Span) int64 {
	var n int64
	for _, u := range union(spans) {
		for i := u.Start; i < u.End; i++ {
			if cv.isClean[i] {
				n++
			}
		}
	}
	return n
}

// class returns the character counts of one class or group from its gold
// and predicted spans (sorted by start): its gold code points and the part
// no prediction of any label covers, and the clean code points its own
// predictions cover.
func (cv *charView) class(gold, pred []record.Span) CharCounts {
	var c CharCounts
	c.GoldCodePoints, c.LeakedCodePoints = leakAgainst(union(gold), cv.predU)
	c.OverMaskedCodePoints = cv.overMasked(pred)
	return c
}

// leakAgainst returns the size of the disjoint sorted intervals gu and the
// part of it the disjoint sorted intervals pu leave uncovered.
func leakAgainst(gu, pu []record.Span) (goldCP, leaked int64) {
	var covered int64
	j := 0
	for _, g := range gu {
		goldCP += int64(g.End - g.Start)
		for j < len(pu) && pu[j].End <= g.Start {
			j++
		}
		for k := j; k < len(pu) && pu[k].Start < g.End; k++ {
			if ov := overlapLen(g, pu[k]); ov > 0 {
				covered += int64(ov)
			}
		}
	}
	return goldCP, goldCP - covered
}
