package train_test

import (
	"math/rand/v2"

	"github.com/piimask/piimask/internal/train"
)

// Toy token task with context dependence. Vocabulary 0..59: 0 pad, 3 marker,
// 4 negator, 10..29 "entity-like" tokens, the rest filler. Labels: 0 O,
// 1 B-X, 2 I-X.
//
//	B-X: an entity-like token right after a marker (Encoder task: and not
//	     followed by the negator)
//	I-X: an entity-like token after an entity-like token after a marker
//	     (Encoder task: and not followed by the negator)
//
// Entity-like tokens also occur outside spans (label O), so a model that
// ignores its context cannot exceed chance on them.
const (
	toyVocab  = 60
	toyLabels = 3
	toyPad    = 0
)

func isEnt(id int) bool { return id >= 10 && id < 30 }

func toyExamples(n int, seed uint64, rightContext bool) []train.Example {
	r := rand.New(rand.NewPCG(seed, 11))
	out := make([]train.Example, n)
	for i := range out {
		length := 12 + r.IntN(20)
		ids := make([]int, 0, length+4)
		for len(ids) < length {
			switch x := r.IntN(10); {
			case x < 3: // a span: marker, 1-2 entity tokens, maybe a negator
				ids = append(ids, 3, 10+r.IntN(20))
				if r.IntN(2) == 0 {
					ids = append(ids, 10+r.IntN(20))
				}
				if rightContext && r.IntN(3) == 0 {
					ids = append(ids, 4)
				}
			case x < 6:
				ids = append(ids, 10+r.IntN(20))
			case x < 7:
				ids = append(ids, 4)
			default:
				ids = append(ids, 30+r.IntN(30))
			}
		}
		at := func(j int) int {
			if j < 0 || j >= len(ids) {
				return toyPad
			}
			return ids[j]
		}
		labels := make([]int, len(ids))
		for j, id := range ids {
			negated := rightContext && at(j+1) == 4
			switch {
			case isEnt(id) && at(j-1) == 3 && !negated:
				labels[j] = 1
			case isEnt(id) && isEnt(at(j-1)) && at(j-2) == 3 && !negated:
				labels[j] = 2
			}
		}
		if r.IntN(4) == 0 { // an unlabelled "special" token somewhere
			labels[r.IntN(len(labels))] = train.IgnoreLabel
		}
		out[i] = train.Example{IDs: ids, Labels: labels}
	}
	return out
}
