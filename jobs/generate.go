package jobs

import (
	"context"

	"github.com/piimask/piimask/jobs/config"
	"github.com/piimask/piimask/record"
	"github.com/piimask/piimask/stages/generate/docs"
)

// generateRecords streams synthetic AI4Privacy-200k rows (templates or
// documents mode) as records.
func generateRecords(ctx context.Context, g *config.Generate, emit func(record.Record) error) error {
	gen, err := docs.Open(docs.Options{Mode: g.Mode, Seed: g.Seed, N: g.N, Languages: g.Languages,
		CleanShare: g.CleanShare, ProsePath: g.Prose, Kinds: g.Kinds})
	if err != nil {
		return err
	}
	var seq int64
	for row := range gen.All() {
		if err := ctx.Err(); err != nil {
			return err
		}
		rec := record.Record{Seq: seq, ID: row.ID, Language: row.Language, Text: row.SourceText, Gold: row.Spans(),
			Origin: record.Origin{File: "generate", Row: seq + 1}}
		seq++
		if err := emit(rec); err != nil {
			return err
		}
	}
	return nil
}
