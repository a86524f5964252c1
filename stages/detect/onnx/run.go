package onnx

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync/atomic"
	"time"

	ort "github.com/yalue/onnxruntime_go"
	"golang.org/x/sync/errgroup"

	"github.com/piimask/piimask/record"
	"github.com/piimask/piimask/stages/detect"
	"github.com/piimask/piimask/stages/tokenize"
)

// doc is one text being processed.
type doc struct {
	idx int // position in the Detect batch
	// pending counts windows whose logits have not been scattered yet.
	pending atomic.Int32
	runes   []rune
	enc     *tokenize.Encoding
	prefix  int // leading special tokens
	suffix  int // trailing special tokens
	// logits of the content tokens, len(content) × labels, filled by window cores.
	logits []float32
}

func (d *doc) contentLen() int { return d.enc.Len() - d.prefix - d.suffix }

// row is one window of one doc: what one line of a model batch holds.
type row struct {
	doc *doc
	win tokenize.Window
}

func (r row) length() int { return r.doc.prefix + (r.win.End - r.win.Start) + r.doc.suffix }

// Detect implements detect.Method. Three steps overlap in an errgroup: a
// producer tokenizes and packs rows, a runner runs the model on them, and an
// aggregator turns each finished document's logits into spans. The first
// error cancels the others.
func (m *Method) Detect(ctx context.Context, batch []record.Record) ([]detect.Prediction, error) {
	start := time.Now()
	docs := make([]*doc, len(batch))
	preds := make([]detect.Prediction, len(batch))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	g, gctx := errgroup.WithContext(ctx)
	finished := make(chan int, len(batch)) // never blocks: one send a doc
	g.Go(func() error {
		defer close(finished) // the producer and the runner are done sending
		batches := make(chan []row, 2)
		var producer errgroup.Group
		producer.Go(func() error {
			defer close(batches)
			return m.produce(gctx, batch, docs, batches, finished)
		})
		runErr := m.runAll(gctx, cancel, batches, finished)
		return firstErr(runErr, producer.Wait())
	})
	g.Go(func() error {
		for i := range finished {
			t0 := time.Now()
			spans, err := m.aggregate(docs[i])
			if err != nil {
				return fmt.Errorf("record %s (%s): %w", batch[i].ID, batch[i].Origin, err)
			}
			preds[i].Spans = spans
			m.stats.aggregate.Add(int64(time.Since(t0)))
		}
		return nil
	})
	if err := g.Wait(); err != nil {
		return nil, err
	}
	m.stats.docs.Add(int64(len(batch)))
	m.stats.wall.Add(int64(time.Since(start)))
	return preds, nil
}

// runAll runs the model on every batch the producer sends. After an error
// it cancels the producer and keeps draining batches so the producer can
// return; the first error is returned.
func (m *Method) runAll(ctx context.Context, cancel context.CancelFunc, batches <-chan []row, finished chan<- int) error {
	var runErr error
	for rows := range batches {
		if runErr != nil {
			continue // drain so the producer can finish
		}
		if err := ctx.Err(); err != nil {
			runErr = err
			cancel()
			continue
		}
		if err := m.run(rows, finished); err != nil {
			runErr = err
			cancel()
		}
	}
	return runErr
}

// firstErr returns the first non-nil error: the root cause before the
// cancellations it triggered.
func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil && !errors.Is(e, context.Canceled) {
			return e
		}
	}
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

// produce tokenizes the records, cuts windows and sends length-sorted batches.
func (m *Method) produce(ctx context.Context, batch []record.Record, docs []*doc, out chan<- []row, finished chan<- int) error {
	var buf []row
	flush := func() error {
		slices.SortStableFunc(buf, func(a, b row) int { return a.length() - b.length() })
		for len(buf) > 0 {
			n := min(m.batchSize, len(buf))
			select {
			case out <- buf[:n:n]:
			case <-ctx.Done():
				return ctx.Err()
			}
			buf = buf[n:]
		}
		buf = nil
		return nil
	}
	for i := range batch {
		if err := ctx.Err(); err != nil {
			return err
		}
		t0 := time.Now()
		d, err := m.prepare(i, batch[i].Text)
		if err != nil {
			return fmt.Errorf("record %s (%s): tokenize: %w", batch[i].ID, batch[i].Origin, err)
		}
		docs[i] = d
		n := d.contentLen()
		m.stats.tokens.Add(int64(n))
		maxTokens := max(m.maxLength-d.prefix-d.suffix, 1)
		var wins []tokenize.Window
		if n > 0 {
			switch {
			case m.rightContext > 0:
				wins, err = tokenize.WindowsWithRightContext(n, maxTokens, min(m.rightContext, maxTokens-1))
			case m.leftContext > 0:
				wins, err = tokenize.WindowsWithLeftContext(n, maxTokens, min(m.leftContext, maxTokens-1))
			default:
				wins, err = tokenize.Windows(n, maxTokens, min(m.stride, maxTokens-1))
			}
			if err != nil {
				return fmt.Errorf("record %s (%s): %w", batch[i].ID, batch[i].Origin, err)
			}
		}
		d.pending.Store(int32(len(wins)))
		if len(wins) == 0 {
			finished <- i
		}
		for _, w := range wins {
			buf = append(buf, row{doc: d, win: w})
		}
		m.stats.tokenize.Add(int64(time.Since(t0)))
		if len(buf) >= m.sortBuffer {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}

// prepare tokenizes one text and finds its leading/trailing special tokens.
func (m *Method) prepare(idx int, text string) (*doc, error) {
	enc, err := m.tok.Encode(text, true)
	if err != nil {
		return nil, err
	}
	n := enc.Len()
	if len(enc.Offsets) != n || len(enc.SpecialTokensMask) != n {
		return nil, fmt.Errorf("tokenizer returned %d ids, %d offsets, %d special flags", n, len(enc.Offsets), len(enc.SpecialTokensMask))
	}
	d := &doc{idx: idx, runes: []rune(text), enc: enc}
	for d.prefix < n && enc.SpecialTokensMask[d.prefix] == 1 {
		d.prefix++
	}
	for d.suffix < n-d.prefix && enc.SpecialTokensMask[n-1-d.suffix] == 1 {
		d.suffix++
	}
	if d.contentLen() == 0 { // only special tokens: nothing to classify
		d.prefix, d.suffix = n, 0
	}
	d.logits = make([]float32, d.contentLen()*len(m.id2label))
	return d, nil
}

// packed is one batch of rows as padded B×T input columns.
type packed struct {
	B, T                  int
	ids, mask, types, pos []int64
	offsets               []int // where each row's first token sits (left padding)
}

// pack lays rows out as padded B×T inputs: ids, attention mask, token type
// ids and position ids (cumsum(attention_mask) - 1, 1 where masked, as HF).
func (m *Method) pack(rows []row) packed {
	p := packed{B: len(rows)}
	for _, r := range rows {
		p.T = max(p.T, r.length())
	}
	size := p.B * p.T
	p.ids, p.mask, p.types, p.pos = make([]int64, size), make([]int64, size), make([]int64, size), make([]int64, size)
	p.offsets = make([]int, p.B)
	pad := int64(m.tok.PadID())
	for b, r := range rows {
		off := 0
		if m.leftPad {
			off = p.T - r.length()
		}
		p.offsets[b] = off
		base := b * p.T
		for t := 0; t < p.T; t++ {
			p.ids[base+t] = pad
			p.pos[base+t] = 1 // HF masked_fill for padding positions
		}
		enc := r.doc.enc
		n := enc.Len()
		t := base + off
		put := func(src int) {
			p.ids[t] = int64(enc.IDs[src])
			p.mask[t] = 1
			if enc.TypeIDs != nil {
				p.types[t] = int64(enc.TypeIDs[src])
			}
			t++
		}
		for i := 0; i < r.doc.prefix; i++ {
			put(i)
		}
		for i := r.win.Start; i < r.win.End; i++ {
			put(r.doc.prefix + i)
		}
		for i := n - r.doc.suffix; i < n; i++ {
			put(i)
		}
		var c int64
		for t := base; t < base+p.T; t++ {
			c += p.mask[t]
			if p.mask[t] == 1 {
				p.pos[t] = c - 1
			}
		}
	}
	return p
}

// inputTensors makes the session's input tensors from p, in the model's
// input order and element types. The caller destroys them
// (destroyValues), also after an error.
func (m *Method) inputTensors(p packed) ([]ort.Value, error) {
	shape := ort.NewShape(int64(p.B), int64(p.T))
	inputs := make([]ort.Value, len(m.inputs))
	for i, in := range m.inputs {
		var data []int64
		switch in.kind {
		case inInputIDs:
			data = p.ids
		case inAttentionMask:
			data = p.mask
		case inTokenTypeIDs:
			data = p.types
		case inPositionIDs:
			data = p.pos
		}
		var err error
		if in.int32 {
			d32 := make([]int32, len(data))
			for j, v := range data {
				d32[j] = int32(v)
			}
			inputs[i], err = ort.NewTensor(shape, d32)
		} else {
			inputs[i], err = ort.NewTensor(shape, data)
		}
		if err != nil {
			return inputs, fmt.Errorf("input %s: %w", in.name, err)
		}
	}
	return inputs, nil
}

// destroyValues releases ORT values, joining their errors.
func destroyValues(vs []ort.Value) error {
	var errs []error
	for _, v := range vs {
		if v != nil {
			if err := v.Destroy(); err != nil {
				errs = append(errs, fmt.Errorf("destroy tensor: %w", err))
			}
		}
	}
	return errors.Join(errs...)
}

// run builds the padded tensors for rows, runs the session and scatters the
// logits of each window's core back to its doc.
// Each doc whose last window this was is sent on finished.
func (m *Method) run(rows []row, finished chan<- int) (err error) {
	t0 := time.Now()
	p := m.pack(rows)
	inputs, err := m.inputTensors(p)
	defer func() { err = errors.Join(err, destroyValues(inputs)) }()
	if err != nil {
		return err
	}
	outputs := []ort.Value{nil}
	t1 := time.Now()
	err = m.session.Run(inputs, outputs)
	t2 := time.Now()
	m.stats.run.Add(int64(t2.Sub(t1)))
	m.stats.pack.Add(int64(t1.Sub(t0)))
	if err != nil {
		return fmt.Errorf("run model on a batch of %d×%d: %w", p.B, p.T, err)
	}
	defer func() { err = errors.Join(err, destroyValues(outputs)) }()
	if err := m.scatter(rows, p, outputs[0], finished); err != nil {
		return err
	}
	m.stats.scatter.Add(int64(time.Since(t2)))
	m.stats.rows.Add(int64(p.B))
	m.stats.batches.Add(1)
	m.stats.paddedTokens.Add(int64(p.B * p.T))
	return nil
}

// scatter copies each row's core logits from the output into its doc and
// sends on finished each doc whose last window this was.
func (m *Method) scatter(rows []row, p packed, out ort.Value, finished chan<- int) error {
	logits, ok := out.(*ort.Tensor[float32])
	if !ok {
		return fmt.Errorf("output %s: got %T, want a float32 tensor", m.output, out)
	}
	B, T, L := p.B, p.T, len(m.id2label)
	if s := logits.GetShape(); len(s) != 3 || s[0] != int64(B) || s[1] != int64(T) || s[2] != int64(L) {
		return fmt.Errorf("output %s has shape %v, want [%d %d %d] (config.json id2label has %d labels)", m.output, s, B, T, L, L)
	}
	data := logits.GetData()
	for b, r := range rows {
		base := b*T + p.offsets[b] + r.doc.prefix - r.win.Start
		for j := r.win.CoreStart; j < r.win.CoreEnd; j++ {
			copy(r.doc.logits[j*L:(j+1)*L], data[(base+j)*L:(base+j+1)*L])
		}
		if r.doc.pending.Add(-1) == 0 {
			finished <- r.doc.idx
		}
	}
	return nil
}
