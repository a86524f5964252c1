package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/piimask/piimask/jobs"
)

func newMergeCmd(g *globalFlags) *cobra.Command {
	var o jobs.MergeOptions
	var wait time.Duration
	cmd := &cobra.Command{
		Use:   "merge --out DIR RESULT_DIR...",
		Short: "Merge evaluate results of dataset shards into the metrics of one run",
		Long: `Merge the result directories of evaluate runs over disjoint shards of a
dataset. Per method, the mergeable counts of every metrics.json are summed, so
the merged metrics.json equals what one run over the whole dataset would have
written; bootstrap intervals are recomputed from the concatenated
doc_counts.jsonl with the shards' settings (give the shards in dataset order).
A method must be in every shard and a document id in only one.

With --wait, merge first waits until every RESULT_DIR holds a finished run
(its summary.json, written after its metrics): a Kubernetes merge Job can
start beside the shards' Indexed Job and merge as soon as the last shard is
done.`,
		Example: `  piimask merge --out out/full out/shard-0 out/shard-1 out/shard-2
  piimask merge --wait 6h --out /data/runs/r1/merged /data/runs/r1/shard-0-of-3 /data/runs/r1/shard-1-of-3 /data/runs/r1/shard-2-of-3`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			env, err := g.env(cmd)
			if err != nil {
				return err
			}
			o.Dirs = args
			if wait > 0 {
				if err := waitForResults(cmd.Context(), args, wait, env.Logger); err != nil {
					return err
				}
			}
			return jobs.Merge(cmd.Context(), o, env)
		},
	}
	cmd.Flags().StringVarP(&o.Out, "out", "o", "", "merged result directory")
	cmd.Flags().StringVar(&o.Name, "name", "", "merged experiment name (default: the first shard's)")
	cmd.Flags().DurationVar(&wait, "wait", 0, "wait up to this long for every RESULT_DIR to hold a finished run (summary.json) before merging (0: merge now)")
	_ = cmd.MarkFlagRequired("out")
	return cmd
}

// waitForResults polls until every dir has a summary.json, for at most
// limit; it names the directories still missing when it gives up.
func waitForResults(ctx context.Context, dirs []string, limit time.Duration, log *slog.Logger) error {
	deadline := time.Now().Add(limit)
	interval := min(5*time.Second, max(limit/50, 50*time.Millisecond))
	lastLog := time.Time{}
	for {
		var missing []string
		for _, d := range dirs {
			if _, err := os.Stat(filepath.Join(d, "summary.json")); err != nil {
				missing = append(missing, d)
			}
		}
		if len(missing) == 0 {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("merge: after waiting %s, %d of %d result directories hold no finished run: %v", limit, len(missing), len(dirs), missing)
		}
		if time.Since(lastLog) >= time.Minute {
			log.Info("waiting for shard results", "missing", len(missing), "of", len(dirs))
			lastLog = time.Now()
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(interval):
		}
	}
}
