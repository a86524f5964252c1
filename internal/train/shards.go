package train

import (
	"github.com/sourcegraph/conc/pool"
)

// shardSums is the part of a shard's gradient sums both trainers share: the
// sparse embedding gradient (only the rows of touched ids are non-zero) and
// the loss over count labelled tokens.
type shardSums struct {
	dE      []float32 // VocabSize×EmbedDim
	touched []int32   // ids whose dE row is in use, in first-use order
	mark    []bool    // per id: in touched
	loss    float64
	count   int
}

func newShardSums(embeddingLen, vocabSize int) shardSums {
	return shardSums{dE: make([]float32, embeddingLen), mark: make([]bool, vocabSize)}
}

// touch records that id's embedding row receives a gradient.
func (g *shardSums) touch(id int) {
	if !g.mark[id] {
		g.mark[id] = true
		g.touched = append(g.touched, int32(id))
	}
}

// reset zeroes the touched rows (embedding size d), the loss and the count.
func (g *shardSums) reset(d int) {
	for _, r := range g.touched {
		clear(g.dE[int(r)*d : int(r)*d+d])
		g.mark[r] = false
	}
	g.touched = g.touched[:0]
	g.loss, g.count = 0, 0
}

// add adds o's embedding rows, loss and count to g.
func (g *shardSums) add(o *shardSums, d int) {
	for _, r := range o.touched {
		g.touch(int(r))
		addTo(g.dE[int(r)*d:int(r)*d+d], o.dE[int(r)*d:int(r)*d+d])
	}
	g.loss += o.loss
	g.count += o.count
}

// param is one dense parameter tensor and a shard's gradient of it.
type param struct{ p, grad []float32 }

// sharded is the optimizer step both trainers share. A batch is cut into
// len(sums) fixed shards whose gradients are computed concurrently (at most
// workers at a time), then summed into shard 0 in shard order, so the result
// depends on the number of shards and never on the number of workers. One
// Adam step follows: every dense tensor, then lazily the embedding rows the
// batch touched.
type sharded struct {
	workers int
	sums    []*shardSums
	// params lists shard s's dense tensors with their gradients, in a fixed
	// order (the order of opt).
	params func(s int) []param
	opt    []adam // per dense tensor
	emb    adam
	steps  int // optimizer steps taken
}

// newShards makes cfg.Shards (at least one) shard gradients with newG and
// the shared step over them: sums and params give a shard's sparse sums and
// dense tensors; the Adam state is sized from shard 0's tensors and the
// embedding's length.
func newShards[G any](cfg Config, embeddingLen int, newG func() G, sums func(G) *shardSums, params func(G) []param) ([]G, *sharded) {
	var shards []G
	t := &sharded{workers: max(1, cfg.Workers), emb: newAdam(embeddingLen)}
	for range max(1, cfg.Shards) {
		g := newG()
		shards = append(shards, g)
		t.sums = append(t.sums, sums(g))
	}
	t.params = func(s int) []param { return params(shards[s]) }
	for _, p := range t.params(0) {
		t.opt = append(t.opt, newAdam(len(p.p)))
	}
	return shards, t
}

// step resets every shard, runs compute(s, part) for each shard s on its
// part of batch, sums the shards and, if the batch had labelled tokens,
// applies one Adam step at learning rate lr(step) (step 1-based) to the
// dense tensors and to embedding (rows of size d). It returns the batch's
// mean loss and its labelled token count.
func (t *sharded) step(batch []*Example, d int, embedding []float32, compute func(s int, part []*Example), lr func(step int) float64) (float64, int) {
	n := len(t.sums)
	p := pool.New().WithMaxGoroutines(t.workers)
	for s := range n {
		lo, hi := s*len(batch)/n, (s+1)*len(batch)/n
		p.Go(func() {
			for _, pg := range t.params(s) {
				clear(pg.grad)
			}
			t.sums[s].reset(d)
			compute(s, batch[lo:hi])
		})
	}
	p.Wait()
	total := t.sums[0]
	sum := t.params(0)
	for s := 1; s < n; s++ {
		for i, pg := range t.params(s) {
			addTo(sum[i].grad, pg.grad)
		}
		total.add(t.sums[s], d)
	}
	if total.count == 0 {
		return 0, 0
	}
	t.steps++
	update := newAdamStep(t.steps, lr(t.steps), total.count).apply
	for i, pg := range sum {
		update(pg.p, pg.grad, t.opt[i])
	}
	// Lazy Adam on the embedding: only rows this batch touched move.
	for _, r := range total.touched {
		o := int(r) * d
		update(embedding[o:o+d], total.dE[o:o+d], adam{t.emb.m[o : o+d], t.emb.v[o : o+d]})
	}
	return total.loss / float64(total.count), total.count
}
