package score

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// DefaultIterations is the number of bootstrap resamples when none is given.
const DefaultIterations = 1000

// DefaultConfidence is the confidence level of intervals when none is given.
const DefaultConfidence = 0.95

// BootstrapOptions configure Bootstrap and PairedBootstrap. Zero fields take
// the defaults (1000 iterations, 95% confidence, DefaultBeta); the same Seed
// gives the same result.
type BootstrapOptions struct {
	Iterations int
	Confidence float64
	Seed       uint64
	Beta       float64
}

func (o BootstrapOptions) withDefaults() (BootstrapOptions, error) {
	if o.Iterations == 0 {
		o.Iterations = DefaultIterations
	}
	if o.Confidence == 0 {
		o.Confidence = DefaultConfidence
	}
	if o.Beta <= 0 {
		o.Beta = DefaultBeta
	}
	if o.Iterations < 0 {
		return o, fmt.Errorf("bootstrap: iterations %d must be positive", o.Iterations)
	}
	if o.Confidence <= 0 || o.Confidence >= 1 {
		return o, fmt.Errorf("bootstrap: confidence %g must be in (0, 1)", o.Confidence)
	}
	return o, nil
}

// Interval is a confidence interval.
type Interval struct {
	Low  float64 `json:"low"`
	High float64 `json:"high"`
}

// Contains reports whether x lies within the interval (bounds included).
func (i Interval) Contains(x float64) bool { return x >= i.Low && x <= i.High }

// ConfidenceIntervals are percentile bootstrap intervals of the strict micro
// metrics, from documents resampled with replacement.
type ConfidenceIntervals struct {
	Method     string   `json:"method"`
	Iterations int      `json:"iterations"`
	Confidence float64  `json:"confidence"`
	Seed       uint64   `json:"seed"`
	Beta       float64  `json:"beta"`
	Precision  Interval `json:"precision"`
	Recall     Interval `json:"recall"`
	F1         Interval `json:"f1_score"`
	FBeta      Interval `json:"fbeta_score"`
}

// docVec is the part of a document's counts that strict micro metrics need.
type docVec struct{ tp, gold, pred int64 }

func vectors(docs []DocCounts) []docVec {
	v := make([]docVec, len(docs))
	for i := range docs {
		v[i] = docVec{docs[i].TP, docs[i].Gold, docs[i].Pred}
	}
	return v
}

func newRand(seed uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
}

// Bootstrap computes percentile confidence intervals for strict micro
// precision, recall, F1 and F-beta by resampling documents with replacement.
// Only the per-document count vectors are resampled, never spans.
func Bootstrap(ctx context.Context, docs []DocCounts, opts BootstrapOptions) (ConfidenceIntervals, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return ConfidenceIntervals{}, err
	}
	ci := ConfidenceIntervals{
		Method: "percentile", Iterations: opts.Iterations, Confidence: opts.Confidence,
		Seed: opts.Seed, Beta: opts.Beta,
	}
	if len(docs) == 0 {
		return ci, nil
	}
	vec := vectors(docs)
	rng := newRand(opts.Seed)
	ps := make([]float64, opts.Iterations)
	rs := make([]float64, opts.Iterations)
	f1s := make([]float64, opts.Iterations)
	fbs := make([]float64, opts.Iterations)
	n := len(vec)
	for it := range opts.Iterations {
		if err := ctx.Err(); err != nil {
			return ci, fmt.Errorf("bootstrap: %w", err)
		}
		var tp, gold, pred int64
		for range n {
			d := vec[rng.IntN(n)]
			tp += d.tp
			gold += d.gold
			pred += d.pred
		}
		p, r, f1, _, fb := prf(float64(tp), float64(pred), float64(gold), opts.Beta)
		ps[it], rs[it], f1s[it], fbs[it] = p, r, f1, fb
	}
	ci.Precision = percentileInterval(ps, opts.Confidence)
	ci.Recall = percentileInterval(rs, opts.Confidence)
	ci.F1 = percentileInterval(f1s, opts.Confidence)
	ci.FBeta = percentileInterval(fbs, opts.Confidence)
	return ci, nil
}

// PairedResult is the outcome of a paired bootstrap test of strict micro F1
// between methods A and B on the same documents.
type PairedResult struct {
	Iterations int     `json:"iterations"`
	Seed       uint64  `json:"seed"`
	F1A        float64 `json:"f1_a"`
	F1B        float64 `json:"f1_b"`
	// Delta is F1A − F1B on the full set of documents.
	Delta float64 `json:"delta"`
	// DeltaCI is the percentile interval of the resampled differences.
	DeltaCI Interval `json:"delta_ci"`
	// PValue is the two-sided p-value of "no difference": the resampled
	// differences are shifted to centre on zero and PValue =
	// (1 + #{|δ* − Delta| ≥ |Delta|}) / (Iterations + 1).
	PValue float64 `json:"p_value"`
	// AWins is the share of resamples where A's F1 is higher than B's.
	AWins float64 `json:"a_wins"`
}

// PairedBootstrap resamples documents (the same draws for both methods) and
// tests whether method A's strict micro F1 differs from method B's. a and b
// must describe the same documents in the same order; when both carry IDs
// they must agree.
func PairedBootstrap(ctx context.Context, a, b []DocCounts, opts BootstrapOptions) (PairedResult, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return PairedResult{}, err
	}
	if len(a) != len(b) {
		return PairedResult{}, fmt.Errorf("paired bootstrap: method A has %d documents, method B %d", len(a), len(b))
	}
	for i := range a {
		if a[i].ID != "" && b[i].ID != "" && a[i].ID != b[i].ID {
			return PairedResult{}, fmt.Errorf("paired bootstrap: document %d is %q for method A but %q for method B", i, a[i].ID, b[i].ID)
		}
	}
	res := PairedResult{Iterations: opts.Iterations, Seed: opts.Seed}
	va, vb := vectors(a), vectors(b)
	f1 := func(tp, gold, pred int64) float64 {
		_, _, f, _, _ := prf(float64(tp), float64(pred), float64(gold), 1)
		return f
	}
	var sa, sb docVec
	for i := range va {
		sa.tp, sa.gold, sa.pred = sa.tp+va[i].tp, sa.gold+va[i].gold, sa.pred+va[i].pred
		sb.tp, sb.gold, sb.pred = sb.tp+vb[i].tp, sb.gold+vb[i].gold, sb.pred+vb[i].pred
	}
	res.F1A, res.F1B = f1(sa.tp, sa.gold, sa.pred), f1(sb.tp, sb.gold, sb.pred)
	res.Delta = res.F1A - res.F1B
	if len(va) == 0 {
		res.PValue = 1
		return res, nil
	}
	rng := newRand(opts.Seed)
	deltas := make([]float64, opts.Iterations)
	n := len(va)
	var extreme, wins int
	for it := range opts.Iterations {
		if err := ctx.Err(); err != nil {
			return res, fmt.Errorf("paired bootstrap: %w", err)
		}
		var ra, rb docVec
		for range n {
			k := rng.IntN(n)
			ra.tp, ra.gold, ra.pred = ra.tp+va[k].tp, ra.gold+va[k].gold, ra.pred+va[k].pred
			rb.tp, rb.gold, rb.pred = rb.tp+vb[k].tp, rb.gold+vb[k].gold, rb.pred+vb[k].pred
		}
		fa, fb := f1(ra.tp, ra.gold, ra.pred), f1(rb.tp, rb.gold, rb.pred)
		d := fa - fb
		deltas[it] = d
		if math.Abs(d-res.Delta) >= math.Abs(res.Delta) {
			extreme++
		}
		if fa > fb {
			wins++
		}
	}
	res.PValue = float64(1+extreme) / float64(opts.Iterations+1)
	res.AWins = float64(wins) / float64(opts.Iterations)
	res.DeltaCI = percentileInterval(deltas, opts.Confidence)
	return res, nil
}

// percentileInterval sorts values in place and returns the (1−c)/2 and
// (1+c)/2 quantiles, linearly interpolated (numpy's default method).
func percentileInterval(values []float64, confidence float64) Interval {
	slices.Sort(values)
	alpha := (1 - confidence) / 2
	return Interval{Low: quantile(values, alpha), High: quantile(values, 1-alpha)}
}

func quantile(sorted []float64, q float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	h := q * float64(len(sorted)-1)
	lo := int(math.Floor(h))
	hi := min(lo+1, len(sorted)-1)
	return sorted[lo] + (h-float64(lo))*(sorted[hi]-sorted[lo])
}
