package jobs

import (
	"context"
	"strings"
	"testing"

	"github.com/piimask/piimask/jobs/config"
	"github.com/piimask/piimask/record"
)

// TestGenerateRecordsModes checks that input.generate streams both modes as
// records with gold spans, and that a missing prose file is an error.
func TestGenerateRecordsModes(t *testing.T) {
	for _, mode := range []string{"", "templates", "documents"} {
		var recs []record.Record
		err := generateRecords(context.Background(), &config.Generate{N: 40, Seed: 3, Mode: mode}, func(r record.Record) error {
			recs = append(recs, r)
			return nil
		})
		if err != nil {
			t.Fatalf("mode %q: %v", mode, err)
		}
		if len(recs) != 40 {
			t.Fatalf("mode %q: %d records", mode, len(recs))
		}
		spans := 0
		for _, r := range recs {
			spans += len(r.Gold)
			if got := strings.HasPrefix(r.ID, "doc-"); got != (mode == "documents") {
				t.Fatalf("mode %q: id %s", mode, r.ID)
			}
		}
		if spans == 0 {
			t.Fatalf("mode %q: no gold spans", mode)
		}
	}
	err := generateRecords(context.Background(), &config.Generate{N: 5, Mode: "documents", Prose: "no/such/prose.txt"}, func(record.Record) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "no/such/prose.txt") {
		t.Fatalf("missing prose file: %v", err)
	}
}
