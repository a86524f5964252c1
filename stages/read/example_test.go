package read_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/piimask/piimask/record"
	"github.com/piimask/piimask/stages/read"
)

// Read normalises an AI4Privacy 200k row; offsets are code points, so the
// span after the emoji still cuts out "Orléans".
func ExampleRead() {
	dir, _ := os.MkdirTemp("", "read-example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "data.jsonl")
	os.WriteFile(path, []byte(`{"id":"d1","language":"fr","source_text":"Élodie 😀 habite à Orléans","privacy_mask":[{"value":"Orléans","start":18,"end":25,"label":"CITY"}]}
{"id":"d2","language":"fr","source_text":"Zoë","privacy_mask":[{"value":"Zoë","start":0,"end":9,"label":"FIRSTNAME"}]}
`), 0o644)

	err := read.Read(context.Background(), []string{path}, read.Options{},
		func(r record.Record) error {
			off := record.NewOffsets(r.Text)
			for _, s := range r.Gold {
				fmt.Printf("%s #%d %s [%d,%d) %s\n", r.ID, r.Seq, s.Label, s.Start, s.End, r.Text[off.Byte(s.Start):off.Byte(s.End)])
			}
			return nil
		},
		func(rj record.Reject) error {
			fmt.Printf("reject line %d: %s: %s\n", rj.Origin.Row, rj.Field, rj.Reason)
			return nil
		})
	fmt.Println("error:", err)
	// Output:
	// d1 #0 CITY [18,25) Orléans
	// reject line 2: privacy_mask[0].end: end 9 is beyond the text's 3 code points
	// error: <nil>
}
