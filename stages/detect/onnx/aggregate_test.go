package onnx

import (
	"math"
	"reflect"
	"testing"
)

var testLabels = []string{"O", "B-PER", "I-PER", "B-LOC", "I-LOC"}

// "Anna Lee lives in Paris" tokenized WordPiece-style:
// An ##na Lee lives in Par ##is.
func annaTokens() []PreEntity {
	return []PreEntity{
		{0, 2, false, []float64{0.1, 0.7, 0.1, 0.05, 0.05}}, // An    -> B-PER .7
		{2, 4, true, []float64{0.1, 0.1, 0.2, 0.5, 0.1}},    // ##na  -> B-LOC .5
		{5, 8, false, []float64{0.1, 0.1, 0.8, 0, 0}},       // Lee   -> I-PER .8
		{9, 14, false, []float64{0.9, 0.05, 0.05, 0, 0}},    // lives -> O
		{15, 17, false, []float64{0.6, 0, 0, 0.4, 0}},       // in    -> O
		{18, 21, false, []float64{0.2, 0, 0, 0.3, 0.5}},     // Par   -> I-LOC .5
		{21, 23, true, []float64{0.1, 0, 0, 0.1, 0.8}},      // ##is  -> I-LOC .8
	}
}

func TestAggregateHandChecked(t *testing.T) {
	tests := []struct {
		name   string
		pre    []PreEntity
		labels []string
		opt    AggregateOptions
		want   []Entity
	}{
		{"none", annaTokens(), testLabels, AggregateOptions{Strategy: StrategyNone}, []Entity{
			{"PER", 0, 2, 0.7}, {"LOC", 2, 4, 0.5}, {"PER", 5, 8, 0.8}, {"LOC", 18, 21, 0.5}, {"LOC", 21, 23, 0.8},
		}},
		// B-PER | B-LOC | I-PER | O O | I-LOC I-LOC
		{"simple", annaTokens(), testLabels, AggregateOptions{Strategy: StrategySimple}, []Entity{
			{"PER", 0, 2, 0.7}, {"LOC", 2, 4, 0.5}, {"PER", 5, 8, 0.8}, {"LOC", 18, 23, 0.65},
		}},
		// words: Anna=B-PER .7 (first token), Lee=I-PER .8, Paris=I-LOC .5
		{"first", annaTokens(), testLabels, AggregateOptions{Strategy: StrategyFirst}, []Entity{
			{"PER", 0, 8, 0.75}, {"LOC", 18, 23, 0.5},
		}},
		// Anna: An (max .7) beats ##na (.5) -> B-PER .7; Paris: ##is (.8) -> I-LOC .8
		{"max", annaTokens(), testLabels, AggregateOptions{Strategy: StrategyMax}, []Entity{
			{"PER", 0, 8, 0.75}, {"LOC", 18, 23, 0.8},
		}},
		// Anna: mean = [.1 .4 .15 .275 .075] -> B-PER .4; Paris: [.15 0 0 .2 .65] -> I-LOC .65
		{"average", annaTokens(), testLabels, AggregateOptions{Strategy: StrategyAverage}, []Entity{
			{"PER", 0, 8, 0.6}, {"LOC", 18, 23, 0.65},
		}},
		{"default is simple", annaTokens(), testLabels, AggregateOptions{}, []Entity{
			{"PER", 0, 2, 0.7}, {"LOC", 2, 4, 0.5}, {"PER", 5, 8, 0.8}, {"LOC", 18, 23, 0.65},
		}},
		{"threshold drops low groups", annaTokens(), testLabels, AggregateOptions{Strategy: StrategySimple, Threshold: 0.6}, []Entity{
			{"PER", 0, 2, 0.7}, {"PER", 5, 8, 0.8}, {"LOC", 18, 23, 0.65},
		}},
		{"ignore labels by class", annaTokens(), testLabels, AggregateOptions{Strategy: StrategyFirst, IgnoreLabels: []string{"O", "PER"}}, []Entity{
			{"LOC", 18, 23, 0.5},
		}},
		{"ignore labels by full label under none", annaTokens(), testLabels, AggregateOptions{Strategy: StrategyNone, IgnoreLabels: []string{"O", "B-PER", "I-LOC"}}, []Entity{
			{"LOC", 2, 4, 0.5}, {"PER", 5, 8, 0.8},
		}},
		{"B after B starts a new group", []PreEntity{
			{0, 3, false, []float64{0, 1, 0, 0, 0}},
			{4, 7, false, []float64{0, 1, 0, 0, 0}},
			{8, 11, false, []float64{0, 0, 1, 0, 0}},
		}, testLabels, AggregateOptions{Strategy: StrategySimple}, []Entity{{"PER", 0, 3, 1}, {"PER", 4, 11, 1}}},
		{"bare labels group as I", []PreEntity{
			{0, 2, false, []float64{0, 1}},
			{2, 5, true, []float64{0.2, 0.8}},
			{6, 8, false, []float64{0.9, 0.1}},
		}, []string{"O", "EMAIL"}, AggregateOptions{Strategy: StrategySimple}, []Entity{{"EMAIL", 0, 5, 0.9}}},
		{"argmax tie takes the first label", []PreEntity{
			{0, 1, false, []float64{0, 0.5, 0, 0.5, 0}},
		}, testLabels, AggregateOptions{Strategy: StrategySimple}, []Entity{{"PER", 0, 1, 0.5}}},
		{"no tokens", nil, testLabels, AggregateOptions{Strategy: StrategyAverage}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Aggregate(tc.pre, tc.labels, tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
			for i := range got {
				g, w := got[i], tc.want[i]
				if g.Label != w.Label || g.Start != w.Start || g.End != w.End || math.Abs(g.Score-w.Score) > 1e-9 {
					t.Errorf("entity %d = %+v, want %+v", i, g, w)
				}
			}
		})
	}
}

func TestAggregateErrors(t *testing.T) {
	if _, err := Aggregate([]PreEntity{{0, 1, false, []float64{1, 0}}}, testLabels, AggregateOptions{}); err == nil {
		t.Error("score/label count mismatch accepted")
	}
	if _, err := Aggregate(nil, testLabels, AggregateOptions{Strategy: "mean"}); err == nil {
		t.Error("unknown strategy accepted")
	}
	for _, s := range []string{"", "SIMPLE", "first", "average", "max", "none"} {
		if _, err := ParseStrategy(s); err != nil {
			t.Errorf("ParseStrategy(%q): %v", s, err)
		}
	}
	if _, err := ParseStrategy("mean"); err == nil {
		t.Error(`ParseStrategy("mean") accepted`)
	}
}

func TestSoftmax(t *testing.T) {
	got := Softmax(nil, []float32{0, float32(math.Log(3))})
	if math.Abs(got[0]-0.25) > 1e-6 || math.Abs(got[1]-0.75) > 1e-6 {
		t.Fatalf("softmax = %v, want [0.25 0.75]", got)
	}
	// Large logits must not overflow.
	got = Softmax(got, []float32{1000, 1000})
	if !reflect.DeepEqual(got, []float64{0.5, 0.5}) {
		t.Fatalf("softmax of equal large logits = %v", got)
	}
}

func TestIsSubword(t *testing.T) {
	text := []rune("Hello world, naïve ok")
	tests := []struct {
		name               string
		token              string
		start, end         int
		wordAware, unknown bool
		want               bool
	}{
		{"wordpiece word start", "Hello", 0, 5, true, false, false},
		{"wordpiece continuation", "##ld", 9, 11, true, false, true},
		{"wordpiece punctuation is a word", ",", 11, 12, true, false, false},
		{"wordpiece counts code points", "naïve", 13, 18, true, false, false},
		{"wordpiece continuation after accent", "##ve", 16, 18, true, false, true},
		{"unknown is never a subword", "##ld", 9, 11, true, true, false},
		{"fallback first token", "Hello", 0, 5, false, false, false},
		{"fallback after space", "world", 6, 11, false, false, false},
		{"fallback inside word", "orld", 7, 11, false, false, true},
		{"fallback punctuation glued to word", ",", 11, 12, false, false, true},
		{"fallback token that starts with the space", "▁ok", 18, 21, false, false, false},
		{"fallback unknown", "orld", 7, 11, false, true, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := IsSubword(text, tc.token, tc.start, tc.end, tc.wordAware, tc.unknown); got != tc.want {
				t.Fatalf("IsSubword = %v, want %v", got, tc.want)
			}
		})
	}
}
