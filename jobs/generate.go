package jobs

import (
	"context"

	"github.com/piimask/piimask/jobs/config"
	"github.com/piimask/piimask/stages/generate"
	"github.com/piimask/piimask/stages/record"
)

// generateRecords streams synthetic AI4Privacy-200k rows as records.
func generateRecords(ctx context.Context, g *config.Generate, emit func(record.Record) error) error {
	gen, err := generate.New(generate.Config{Seed: g.Seed, N: g.N, Languages: g.Languages})
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
