package calibrate

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/piimask/piimask/record"
)

// synthetic draws n scores uniform in [0,1] whose correctness follows
// P(correct | s) = sigmoid(a·s + b).
func synthetic(n int, a, b float64, seed uint64) ([]float64, []bool) {
	r := rand.New(rand.NewPCG(seed, 1))
	s := make([]float64, n)
	y := make([]bool, n)
	for i := range s {
		s[i] = r.Float64()
		y[i] = r.Float64() < sigmoid(a*s[i]+b)
	}
	return s, y
}

func TestFitPlattRecoversKnownCalibration(t *testing.T) {
	for _, tc := range []struct{ a, b float64 }{{10, -6}, {4, -1}, {-3, 2}} {
		s, y := synthetic(20000, tc.a, tc.b, 7)
		a, b := FitPlatt(s, y)
		if math.Abs(a-tc.a) > 0.1*math.Abs(tc.a)+0.2 || math.Abs(b-tc.b) > 0.1*math.Abs(tc.b)+0.2 {
			t.Errorf("truth a=%v b=%v: fitted a=%.3f b=%.3f", tc.a, tc.b, a, b)
		}
		cal := make([]float64, len(s))
		for i := range s {
			cal[i] = sigmoid(a*s[i] + b)
		}
		if e := ECE(cal, y); e > 0.02 {
			t.Errorf("truth a=%v b=%v: ECE after calibration %.3f, want ≤ 0.02", tc.a, tc.b, e)
		}
	}
}

// bruteF is F-beta when keeping the spans with p ≥ th.
func bruteF(p []float64, y []bool, positives int, th, beta float64) float64 {
	tp, kept := 0, 0
	for i := range p {
		if p[i] >= th {
			kept++
			if y[i] {
				tp++
			}
		}
	}
	if tp == 0 {
		return 0
	}
	b2 := beta * beta
	return (1 + b2) * float64(tp) / ((1+b2)*float64(tp) + b2*float64(positives-tp) + float64(kept-tp))
}

func TestThresholdMaximisesFBeta(t *testing.T) {
	// True calibration sigmoid(10s − 6): P(correct) = 0.5 at s = 0.6. With
	// beta = 1 and no missed gold, the F1-optimal cut on a calibrated score
	// lies below 0.5 (F1's optimum is at half the optimal F1), so the floor
	// binds; with floor 0.2 it must not.
	s, y := synthetic(20000, 10, -6, 11)
	c := NewCollector()
	for i := range s {
		c.Obs = append(c.Obs, Observation{Label: "EMAIL", Score: s[i], Correct: y[i]})
	}
	pos := 0
	for _, v := range y {
		if v {
			pos++
		}
	}
	for _, tc := range []struct{ beta, floor float64 }{{1, 0.5}, {1, 0.2}, {2, 0.05}, {0.5, 0.5}} {
		tab, err := Fit(c, Options{Beta: tc.beta, Floor: tc.floor})
		if err != nil {
			t.Fatal(err)
		}
		cl := tab.Classes["EMAIL"]
		if cl.Threshold < tc.floor {
			t.Errorf("beta %v floor %v: threshold %.3f below the floor", tc.beta, tc.floor, cl.Threshold)
		}
		p := make([]float64, len(s))
		for i := range s {
			p[i], _ = tab.Score("EMAIL", s[i])
		}
		got := bruteF(p, y, pos, cl.Threshold, tc.beta)
		if math.Abs(got-cl.FBeta) > 1e-9 {
			t.Errorf("beta %v: reported F %.4f, recomputed %.4f", tc.beta, cl.FBeta, got)
		}
		for th := tc.floor; th <= 1; th += 0.01 {
			if f := bruteF(p, y, pos, th, tc.beta); f > got+1e-9 {
				t.Errorf("beta %v floor %v: threshold %.3f gives F %.4f but %.2f gives %.4f", tc.beta, tc.floor, cl.Threshold, got, th, f)
				break
			}
		}
		t.Logf("beta %v floor %v: a=%.2f b=%.2f threshold %.3f F %.3f P %.3f R %.3f", tc.beta, tc.floor, cl.A, cl.B, cl.Threshold, cl.FBeta, cl.Precision, cl.Recall)
	}
	// Higher beta (recall matters more) never raises the threshold.
	t1, _ := Fit(c, Options{Beta: 0.5, Floor: 0.05})
	t2, _ := Fit(c, Options{Beta: 2, Floor: 0.05})
	if t2.Classes["EMAIL"].Threshold > t1.Classes["EMAIL"].Threshold {
		t.Errorf("beta 2 threshold %.3f above beta 0.5 threshold %.3f", t2.Classes["EMAIL"].Threshold, t1.Classes["EMAIL"].Threshold)
	}
	// A precision-leaning beta with the floor at 0.05 cuts well above 0.05:
	// the threshold is a real choice, not the floor.
	if th := t1.Classes["EMAIL"].Threshold; th < 0.3 {
		t.Errorf("beta 0.5 threshold %.3f, want a cut well above the floor", th)
	}
}

func TestFitEdgeCases(t *testing.T) {
	c := NewCollector()
	for i := 0; i < 100; i++ {
		c.Obs = append(c.Obs, Observation{Label: "EMAIL", Score: 0.9 + float64(i%10)/100, Correct: true})
		c.Obs = append(c.Obs, Observation{Label: "JOBTYPE", Score: 0.5 + float64(i%10)/20, Correct: false})
	}
	for i := 0; i < 5; i++ {
		c.Obs = append(c.Obs, Observation{Label: "AGE", Score: 0.8, Correct: true})
	}
	tab, err := Fit(c, Options{MinSupport: 30})
	if err != nil {
		t.Fatal(err)
	}
	if th := tab.Classes["EMAIL"].Threshold; th != 0.5 {
		t.Errorf("all-correct class: threshold %v, want the floor 0.5", th)
	}
	if p, _ := tab.Score("EMAIL", 0.95); p < 0.9 || p >= 1 {
		t.Errorf("all-correct class: calibrated %v, want in [0.9, 1)", p)
	}
	if th := tab.Classes["JOBTYPE"].Threshold; th != 1 {
		t.Errorf("never-correct class: threshold %v, want 1", th)
	}
	if p, th := tab.Score("JOBTYPE", 1); p >= th {
		t.Errorf("never-correct class kept: p %v ≥ threshold %v", p, th)
	}
	if _, ok := tab.Classes["AGE"]; ok || tab.Fallback["AGE"] != 5 {
		t.Errorf("low-support class: classes %v fallback %v", tab.Classes, tab.Fallback)
	}
	if _, th := tab.Score("AGE", 0.8); th != tab.DefaultThreshold {
		t.Errorf("fallback threshold %v, want default %v", th, tab.DefaultThreshold)
	}
	if _, err := Fit(NewCollector(), Options{}); err == nil {
		t.Error("no observation accepted")
	}
	if _, err := Fit(c, Options{Floor: 1}); err == nil {
		t.Error("floor 1 accepted")
	}
}

func TestCollectorMatching(t *testing.T) {
	sp := func(s, e int, l string, score float64) record.Span {
		return record.Span{Start: s, End: e, Label: l, Score: score}
	}
	gold := []record.Span{sp(0, 10, "FIRSTNAME", 0), sp(20, 30, "EMAIL", 0), sp(40, 50, "CITY", 0), sp(60, 70, "IBAN", 0)}
	pred := []record.Span{
		sp(0, 9, "LASTNAME", .9),    // same group PERSON, IoU 0.9: correct
		sp(20, 24, "EMAIL", .8),     // IoU 0.4: wrong
		sp(40, 50, "FIRSTNAME", .7), // exact bounds, other group: wrong
		sp(60, 70, "IBAN", .6),      // correct
		sp(61, 70, "IBAN", .95),     // takes the IBAN first (higher score): correct
		sp(80, 85, "CITY", .5),      // no gold: wrong
	}
	c := NewCollector()
	c.Add(gold, pred)
	want := []bool{true, false, false, false, true, false}
	for i, o := range c.Obs {
		if o.Correct != want[i] {
			t.Errorf("prediction %d (%s %.2f): correct = %v, want %v", i, o.Label, o.Score, o.Correct, want[i])
		}
	}
	if c.Missed["EMAIL"] != 1 || c.Missed["CITY"] != 1 || c.Missed["FIRSTNAME"] != 0 || c.Missed["IBAN"] != 0 {
		t.Errorf("missed = %v", c.Missed)
	}
}

func TestParseErrors(t *testing.T) {
	good := `{"version":1,"calibration":"platt","beta":2,"classes":{"EMAIL":{"a":5,"b":-2,"threshold":0.6,"support":40}},"default_threshold":0.5,"validation":{"input":"x","docs":3}}`
	if tab, err := Parse([]byte(good)); err != nil || tab.Classes["EMAIL"].Threshold != 0.6 {
		t.Fatalf("good table: %v %+v", err, tab)
	}
	tests := []struct{ name, in, want string }{
		{"syntax", "{\n\"version\": 1,\n  oops}", "line 3: not valid JSON"},
		{"type", strings.Replace(good, `"threshold":0.6`, `"threshold":"high"`, 1), "field classes.threshold: got a JSON string, want float64"},
		{"unknown field", strings.Replace(good, `"beta":2`, `"betta":2`, 1), `field "betta": unknown field`},
		{"version", strings.Replace(good, `"version":1`, `"version":2`, 1), "field version: got 2, want 1"},
		{"calibration", strings.Replace(good, `"platt"`, `"isotonic"`, 1), `field calibration: got "isotonic", want "platt"`},
		{"threshold range", strings.Replace(good, `"threshold":0.6`, `"threshold":1.5`, 1), "field classes.EMAIL.threshold: 1.5 is outside [0, 1]"},
		{"missing threshold", strings.Replace(good, `,"threshold":0.6`, ``, 1), "field classes.EMAIL.threshold: missing"},
		{"missing default", strings.Replace(good, `,"default_threshold":0.5`, ``, 1), "field default_threshold: missing"},
		{"empty", "", "empty file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.in))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
}
