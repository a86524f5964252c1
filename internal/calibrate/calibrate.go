package calibrate

import (
	"errors"
	"fmt"
	"math"
	"sort"

	"github.com/piimask/piimask/record"
	"github.com/piimask/piimask/stages/taxonomy"
)

// Observation is one predicted span of the validation set.
type Observation struct {
	Label   string
	Score   float64 // raw model score
	Correct bool
}

// Collector accumulates observations and missed gold spans over documents.
type Collector struct {
	Obs []Observation
	// Missed counts, per gold label, gold spans no prediction matched.
	Missed map[string]int
	Docs   int
}

// NewCollector returns an empty collector.
func NewCollector() *Collector { return &Collector{Missed: map[string]int{}} }

// MinIoU is the character IoU a prediction needs with a gold span.
const MinIoU = 0.5

// IoU is the character intersection over union of two spans.
func IoU(a, b record.Span) float64 {
	inter := min(a.End, b.End) - max(a.Start, b.Start)
	if inter <= 0 {
		return 0
	}
	return float64(inter) / float64(a.Len()+b.Len()-inter)
}

// Add matches one document's predictions against its gold spans (see the
// package comment) and records the outcome.
func (c *Collector) Add(gold, pred []record.Span) {
	c.Docs++
	order := make([]int, len(pred))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(i, j int) bool { return pred[order[i]].Score > pred[order[j]].Score })
	used := make([]bool, len(gold))
	correct := make([]bool, len(pred))
	for _, pi := range order {
		p := pred[pi]
		best, bestIoU := -1, 0.0
		for gi, g := range gold {
			if used[gi] || taxonomy.GroupOf(g.Label) != taxonomy.GroupOf(p.Label) {
				continue
			}
			if v := IoU(p, g); v >= MinIoU && v > bestIoU {
				best, bestIoU = gi, v
			}
		}
		if best >= 0 {
			used[best] = true
			correct[pi] = true
		}
	}
	for i, p := range pred {
		c.Obs = append(c.Obs, Observation{Label: p.Label, Score: p.Score, Correct: correct[i]})
	}
	for gi, g := range gold {
		if !used[gi] {
			c.Missed[g.Label]++
		}
	}
}

// Options tune Fit.
type Options struct {
	// Beta weighs recall in the F-beta a threshold maximises (default 2).
	Beta float64
	// MinSupport is the fewest predicted spans a class needs for its own
	// fit (default 30).
	MinSupport int
	// Floor is the lowest threshold ever chosen (default 0.5).
	Floor float64
}

func (o Options) withDefaults() (Options, error) {
	if o.Beta == 0 {
		o.Beta = 2
	}
	if o.MinSupport == 0 {
		o.MinSupport = 30
	}
	if o.Floor == 0 {
		o.Floor = 0.5
	}
	if o.Beta < 0 || math.IsNaN(o.Beta) || math.IsInf(o.Beta, 0) {
		return o, fmt.Errorf("beta %v: want a positive number", o.Beta)
	}
	if o.MinSupport < 1 {
		return o, fmt.Errorf("min_support %d: want at least 1", o.MinSupport)
	}
	if o.Floor < 0 || o.Floor >= 1 {
		return o, fmt.Errorf("floor %v: want a value in [0, 1)", o.Floor)
	}
	return o, nil
}

// Fit fits the table from the collected observations. The caller fills
// Validation and Method.
func Fit(c *Collector, opts Options) (*Table, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	if len(c.Obs) == 0 {
		return nil, errors.New("calibrate: the model predicted no span on the validation set")
	}
	byClass := map[string][]Observation{}
	for _, o := range c.Obs {
		byClass[o.Label] = append(byClass[o.Label], o)
	}
	t := &Table{Version: Version, Calibration: Platt, Beta: opts.Beta, Floor: opts.Floor, MinSupport: opts.MinSupport,
		Match: "character IoU >= 0.5 with a gold span of the same entity group", Classes: map[string]Class{}, Fallback: map[string]int{}}
	missedTotal := 0
	for _, n := range c.Missed {
		missedTotal += n
	}
	pooled := fitClass(c.Obs, missedTotal, opts)
	t.DefaultCalibration = &Params{A: pooled.A, B: pooled.B, Support: pooled.Support}
	t.DefaultThreshold = pooled.Threshold
	labels := make([]string, 0, len(byClass))
	for l := range byClass {
		labels = append(labels, l)
	}
	sort.Strings(labels)
	for _, l := range labels {
		obs := byClass[l]
		if len(obs) < opts.MinSupport {
			t.Fallback[l] = len(obs)
			continue
		}
		t.Classes[l] = fitClass(obs, c.Missed[l], opts)
	}
	return t, nil
}

// fitClass fits Platt parameters and picks the F-beta threshold.
func fitClass(obs []Observation, missed int, opts Options) Class {
	scores := make([]float64, len(obs))
	ys := make([]bool, len(obs))
	pos := 0
	for i, o := range obs {
		scores[i], ys[i] = o.Score, o.Correct
		if o.Correct {
			pos++
		}
	}
	a, b := FitPlatt(scores, ys)
	cal := make([]float64, len(obs))
	for i, s := range scores {
		cal[i] = sigmoid(a*s + b)
	}
	th, f, p, r := bestThreshold(cal, ys, pos+missed, opts)
	return Class{A: a, B: b, Threshold: th, Support: len(obs), Correct: pos, Missed: missed, FBeta: f, Precision: p, Recall: r}
}

// bestThreshold returns the threshold ≥ floor on calibrated scores that
// maximises F-beta (ties: the one keeping fewer spans), with F-beta,
// precision and recall there. positives is every gold span the class
// answers for. A threshold sits midway between the lowest kept score and
// the next lower one (never below the floor), not on a validation score.
func bestThreshold(cal []float64, ys []bool, positives int, opts Options) (th, f, prec, rec float64) {
	idx := make([]int, len(cal))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(i, j int) bool { return cal[idx[i]] > cal[idx[j]] })
	b2 := opts.Beta * opts.Beta
	bestF, bestTh, bestTP, bestKept := 0.0, 1.0, 0, 0
	tp, kept := 0, 0
	for k := 0; k < len(idx); {
		v := cal[idx[k]]
		if v < opts.Floor {
			break
		}
		for k < len(idx) && cal[idx[k]] == v {
			kept++
			if ys[idx[k]] {
				tp++
			}
			k++
		}
		if tp == 0 {
			continue
		}
		fp, fn := kept-tp, positives-tp
		fb := (1 + b2) * float64(tp) / ((1+b2)*float64(tp) + b2*float64(fn) + float64(fp))
		if fb > bestF {
			t := opts.Floor
			if k < len(idx) {
				t = max(opts.Floor, (v+cal[idx[k]])/2)
			}
			bestF, bestTh, bestTP, bestKept = fb, t, tp, kept
		}
	}
	if bestTP == 0 {
		return 1, 0, 0, 0
	}
	return bestTh, bestF, float64(bestTP) / float64(bestKept), float64(bestTP) / float64(positives)
}

func sigmoid(z float64) float64 {
	if z >= 0 {
		return 1 / (1 + math.Exp(-z))
	}
	e := math.Exp(z)
	return e / (1 + e)
}

// FitPlatt fits p = sigmoid(a·s + b) to (scores, correct) by Newton's method
// with backtracking on the log loss against Platt's smoothed targets (Lin,
// Lin and Weng's robust formulation).
func FitPlatt(scores []float64, correct []bool) (a, b float64) {
	var np, nn float64
	for _, y := range correct {
		if y {
			np++
		} else {
			nn++
		}
	}
	hi, lo := (np+1)/(np+2), 1/(nn+2)
	t := make([]float64, len(correct))
	for i, y := range correct {
		if y {
			t[i] = hi
		} else {
			t[i] = lo
		}
	}
	loss := func(a, b float64) float64 {
		var l float64
		for i, s := range scores {
			z := a*s + b
			// log(1+exp(z)) − t·z, computed stably.
			if z > 0 {
				l += z + math.Log1p(math.Exp(-z)) - t[i]*z
			} else {
				l += math.Log1p(math.Exp(z)) - t[i]*z
			}
		}
		return l
	}
	a, b = 0, math.Log((np+1)/(nn+1))
	f := loss(a, b)
	const sigma = 1e-12
	for iter := 0; iter < 100; iter++ {
		var ga, gb, haa, hab, hbb float64
		for i, s := range scores {
			p := sigmoid(a*s + b)
			d := p - t[i]
			ga += d * s
			gb += d
			w := p * (1 - p)
			haa += w * s * s
			hab += w * s
			hbb += w
		}
		if math.Abs(ga) < 1e-6 && math.Abs(gb) < 1e-6 {
			break
		}
		haa += sigma
		hbb += sigma
		det := haa*hbb - hab*hab
		if det <= 0 {
			break
		}
		da := -(hbb*ga - hab*gb) / det
		db := -(-hab*ga + haa*gb) / det
		gd := ga*da + gb*db
		step := 1.0
		for step >= 1e-10 {
			na, nb := a+step*da, b+step*db
			if nf := loss(na, nb); nf < f+1e-4*step*gd {
				a, b, f = na, nb, nf
				break
			}
			step /= 2
		}
		if step < 1e-10 {
			break
		}
	}
	return a, b
}

// ECE is the expected calibration error of probabilities against outcomes
// over ten equal-width bins: Σ (bin share) · |mean p − accuracy|.
func ECE(p []float64, correct []bool) float64 {
	const bins = 10
	var n, sumP, hits [bins]float64
	for i, v := range p {
		k := min(int(v*bins), bins-1)
		n[k]++
		sumP[k] += v
		if correct[i] {
			hits[k]++
		}
	}
	var e float64
	for k := range bins {
		if n[k] > 0 {
			e += n[k] / float64(len(p)) * math.Abs(sumP[k]/n[k]-hits[k]/n[k])
		}
	}
	return e
}
