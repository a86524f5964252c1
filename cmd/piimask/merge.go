package main

import (
	"github.com/spf13/cobra"

	"github.com/piimask/piimask/jobs"
)

func newMergeCmd(g *globalFlags) *cobra.Command {
	var o jobs.MergeOptions
	cmd := &cobra.Command{
		Use:   "merge --out DIR RESULT_DIR...",
		Short: "Merge evaluate results of dataset shards into the metrics of one run",
		Long: `Merge the result directories of evaluate runs over disjoint shards of a
dataset. Per method, the mergeable counts of every metrics.json are summed, so
the merged metrics.json equals what one run over the whole dataset would have
written; bootstrap intervals are recomputed from the concatenated
doc_counts.jsonl with the shards' settings (give the shards in dataset order).
A method must be in every shard and a document id in only one.`,
		Example: `  piimask merge --out out/full out/shard-0 out/shard-1 out/shard-2`,
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			env, err := g.env(cmd)
			if err != nil {
				return err
			}
			o.Dirs = args
			return jobs.Merge(cmd.Context(), o, env)
		},
	}
	cmd.Flags().StringVarP(&o.Out, "out", "o", "", "merged result directory")
	cmd.Flags().StringVar(&o.Name, "name", "", "merged experiment name (default: the first shard's)")
	_ = cmd.MarkFlagRequired("out")
	return cmd
}
