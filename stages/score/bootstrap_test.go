package score

import (
	"context"
	"errors"
	"testing"
)

func TestBootstrapDeterministicAndSane(t *testing.T) {
	c, docs := scoreAll(genDocs(21, 800))
	rep := c.Metrics(2)
	opts := BootstrapOptions{Iterations: 400, Seed: 99}
	a, err := Bootstrap(context.Background(), docs, opts)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Bootstrap(context.Background(), docs, opts)
	if a != b {
		t.Errorf("same seed, different intervals: %+v vs %+v", a, b)
	}
	other, _ := Bootstrap(context.Background(), docs, BootstrapOptions{Iterations: 400, Seed: 100})
	if other == a {
		t.Error("a different seed gave identical intervals")
	}
	for _, ch := range []struct {
		name  string
		iv    Interval
		point float64
	}{
		{"precision", a.Precision, rep.Metrics.Precision},
		{"recall", a.Recall, rep.Metrics.Recall},
		{"f1", a.F1, rep.Metrics.F1},
		{"f2", a.FBeta, rep.Metrics.F2},
	} {
		if !ch.iv.Contains(ch.point) {
			t.Errorf("%s interval %+v does not contain the point estimate %v", ch.name, ch.iv, ch.point)
		}
		if w := ch.iv.High - ch.iv.Low; w <= 0 || w > 0.2 {
			t.Errorf("%s interval width %v implausible for 800 documents", ch.name, w)
		}
	}
	if a.Iterations != 400 || a.Confidence != DefaultConfidence || a.Beta != DefaultBeta {
		t.Errorf("options not recorded: %+v", a)
	}
	// More documents give a narrower interval.
	_, many := scoreAll(genDocs(21, 3200))
	m, _ := Bootstrap(context.Background(), many, opts)
	if m.F1.High-m.F1.Low >= a.F1.High-a.F1.Low {
		t.Errorf("F1 interval did not narrow with 4x documents: %+v vs %+v", m.F1, a.F1)
	}
}

func TestBootstrapDefaultsAndErrors(t *testing.T) {
	_, docs := scoreAll(genDocs(4, 20))
	ci, err := Bootstrap(context.Background(), docs, BootstrapOptions{})
	if err != nil || ci.Iterations != DefaultIterations {
		t.Errorf("defaults: %+v, %v", ci, err)
	}
	if _, err := Bootstrap(context.Background(), docs, BootstrapOptions{Confidence: 1.5}); err == nil {
		t.Error("confidence 1.5 accepted")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Bootstrap(ctx, docs, BootstrapOptions{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: %v", err)
	}
	if ci, err := Bootstrap(context.Background(), nil, BootstrapOptions{}); err != nil || ci.F1 != (Interval{}) {
		t.Errorf("no documents: %+v, %v", ci, err)
	}
}

// degrade drops every other true positive prediction of each document.
func degrade(docs []testDoc) []testDoc {
	out := make([]testDoc, len(docs))
	for i, d := range docs {
		out[i] = d
		out[i].Pred = nil
		for j, p := range d.Pred {
			if j%2 == 0 {
				out[i].Pred = append(out[i].Pred, p)
			}
		}
	}
	return out
}

func TestPairedBootstrap(t *testing.T) {
	docs := genDocs(8, 600)
	_, good := scoreAll(docs)
	_, bad := scoreAll(degrade(docs))
	opts := BootstrapOptions{Iterations: 500, Seed: 3}
	res, err := PairedBootstrap(context.Background(), good, bad, opts)
	if err != nil {
		t.Fatal(err)
	}
	if res.Delta <= 0 || res.PValue > 0.01 || res.AWins < 0.99 || !res.DeltaCI.Contains(res.Delta) {
		t.Errorf("clearly better method not detected: %+v", res)
	}
	again, _ := PairedBootstrap(context.Background(), good, bad, opts)
	if again != res {
		t.Errorf("not deterministic: %+v vs %+v", again, res)
	}
	// A method against itself: no difference, p-value 1.
	same, _ := PairedBootstrap(context.Background(), good, good, opts)
	if same.Delta != 0 || same.PValue != 1 || same.AWins != 0 {
		t.Errorf("method against itself: %+v", same)
	}
	// Two methods of equal quality on different halves: not significant.
	_, mixA := scoreAll(genDocs(9, 600))
	mixB := append(append([]DocCounts(nil), mixA[300:]...), mixA[:300]...)
	for i := range mixB {
		mixB[i].ID = mixA[i].ID
	}
	nd, _ := PairedBootstrap(context.Background(), mixA, mixB, opts)
	if nd.PValue < 0.05 {
		t.Errorf("swapped halves of one method reported significant: %+v", nd)
	}

	if _, err := PairedBootstrap(context.Background(), good, bad[1:], opts); err == nil {
		t.Error("different document counts accepted")
	}
	bad[5].ID = "other"
	if _, err := PairedBootstrap(context.Background(), good, bad, opts); err == nil {
		t.Error("mismatched document ids accepted")
	}
}

func TestQuantileInterpolates(t *testing.T) {
	v := []float64{4, 1, 3, 2, 5}
	iv := percentileInterval(v, 0.5) // quantiles 0.25 and 0.75 of 1..5
	if iv.Low != 2 || iv.High != 4 {
		t.Errorf("interval %+v, want [2, 4]", iv)
	}
	if q := quantile([]float64{0, 10}, 0.975); !near(q, 9.75) {
		t.Errorf("quantile = %v, want 9.75", q)
	}
}

func BenchmarkScoreDocument(b *testing.B) {
	docs := genDocs(5, 1000)
	var spans int
	for _, d := range docs {
		spans += len(d.Gold) + len(d.Pred)
	}
	c := NewCounts()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		d := docs[i%len(docs)]
		dc := ScoreDocument(d.Gold, d.Pred, d.Language)
		c.AddDoc(&dc)
	}
	b.ReportMetric(float64(spans)/float64(len(docs))*float64(b.N)/b.Elapsed().Seconds(), "spans/s")
}

func BenchmarkBootstrap(b *testing.B) {
	_, docs := scoreAll(genDocs(5, 10000))
	for i := 0; i < b.N; i++ {
		if _, err := Bootstrap(context.Background(), docs, BootstrapOptions{Iterations: 1000, Seed: uint64(i)}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(docs))*1000*float64(b.N)/b.Elapsed().Seconds(), "doc-draws/s")
}
