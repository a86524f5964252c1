package score_test

import (
	"fmt"
	"os"

	"github.com/piimask/piimask/record"
	"github.com/piimask/piimask/stages/score"
)

func Example() {
	gold := []record.Span{{Start: 0, End: 4, Label: "FIRSTNAME"}, {Start: 5, End: 10, Label: "LASTNAME"}}
	pred := []record.Span{{Start: 0, End: 4, Label: "FIRSTNAME"}, {Start: 5, End: 8, Label: "LASTNAME"}}

	counts := score.NewCounts()
	doc := score.ScoreDocument(gold, pred, "en")
	counts.AddDoc(&doc)

	r := counts.Metrics(score.DefaultBeta)
	fmt.Printf("strict P=%.2f R=%.2f F1=%.2f\n", r.Metrics.Precision, r.Metrics.Recall, r.Metrics.F1)
	fmt.Printf("partial P=%.2f, ent_type F1=%.2f, leak rate %.2f\n", r.Schemas["partial"].Precision, r.Schemas["ent_type"].F1, r.LeakRate)
	if err := score.FormatTable(os.Stdout, score.NamedReport{Name: "rules", Report: r}); err != nil {
		fmt.Println(err)
	}
	// Output:
	// strict P=0.50 R=0.50 F1=0.50
	// partial P=0.75, ent_type F1=1.00, leak rate 0.22
	// method  precision  recall  F1      F2      exact_match  leak_rate  documents
	// rules   0.5000     0.5000  0.5000  0.5000  0.0000       0.2222     1
	//
	// class      method  precision  recall  F1      support  predicted
	// FIRSTNAME  rules   1.0000     1.0000  1.0000  1        1
	// LASTNAME   rules   0.0000     0.0000  0.0000  1        1
}
