package train_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/piimask/piimask/internal/onnxgraph"
	"github.com/piimask/piimask/internal/onnxgraph/onnxpb"
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

// checkLearned fails unless training took the held-out evaluation from e0
// (untrained: at most 0.6 accuracy) to e1 (above 0.95 accuracy and 0.9
// entity recall) with falling epoch losses over all epochs.
func checkLearned(t *testing.T, e0, e1 train.Eval, st train.Stats, epochs int) {
	t.Helper()
	t.Logf("held-out accuracy %.3f → %.3f, entity recall %.3f → %.3f; %d steps, loss %v, %.0f tokens/s",
		e0.Accuracy(), e1.Accuracy(), e0.EntityRecall(), e1.EntityRecall(), st.Steps, st.EpochLoss, st.TokensPerSecond)
	if e0.Accuracy() > 0.6 {
		t.Errorf("untrained model already at %.3f: the task is too easy to prove learning", e0.Accuracy())
	}
	if e1.Accuracy() < 0.95 || e1.EntityRecall() < 0.9 {
		t.Errorf("trained accuracy %.3f, entity recall %.3f; want > 0.95 and > 0.9", e1.Accuracy(), e1.EntityRecall())
	}
	if n := len(st.EpochLoss); n != epochs || st.EpochLoss[n-1] >= st.EpochLoss[0] {
		t.Errorf("epoch losses %v do not fall", st.EpochLoss)
	}
}

// modelBytes is the serialized ONNX model that model builds.
func modelBytes(t *testing.T, model func() (*onnxpb.ModelProto, error)) []byte {
	t.Helper()
	m, err := model()
	if err != nil {
		t.Fatal(err)
	}
	b, err := onnxgraph.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// ortBatch is a padded [batch, seq] input for ONNX Runtime: decoders are
// padded on the left, encoders on the right.
type ortBatch struct {
	seq            int
	ids, mask, aux []int64
	offsets        []int // per sequence: its first position in the row
}

// newORTBatch lays seqs out for kind; padAux is the aux input (token type)
// at padded positions.
func newORTBatch(kind onnxgraph.Kind, seqs []train.Example, padAux int64) ortBatch {
	b := ortBatch{offsets: make([]int, len(seqs))}
	for _, s := range seqs {
		b.seq = max(b.seq, len(s.IDs))
	}
	n := len(seqs) * b.seq
	b.ids, b.mask, b.aux = make([]int64, n), make([]int64, n), make([]int64, n)
	for i := range b.aux {
		b.aux[i] = padAux
	}
	for r, s := range seqs {
		if kind == onnxgraph.Decoder {
			b.offsets[r] = b.seq - len(s.IDs)
		}
		for j, id := range s.IDs {
			p := r*b.seq + b.offsets[r] + j
			b.ids[p], b.mask[p] = int64(id), 1
			b.aux[p] = 0
			if kind == onnxgraph.Decoder {
				b.aux[p] = int64(j)
			}
		}
	}
	return b
}

// maxDiff is the largest difference between ONNX Runtime's logits for the
// batch and the Go logits of each sequence's tokens.
func (b ortBatch) maxDiff(logits []float32, seqs []train.Example, goLogits func(ids []int) [][]float32) float64 {
	worst := 0.0
	for r, s := range seqs {
		want := goLogits(s.IDs)
		for j := range s.IDs {
			for c := range toyLabels {
				g := logits[(r*b.seq+b.offsets[r]+j)*toyLabels+c]
				worst = math.Max(worst, math.Abs(float64(g-want[j][c])))
			}
		}
	}
	return worst
}
