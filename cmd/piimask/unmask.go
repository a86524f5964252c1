package main

import (
	"github.com/spf13/cobra"

	"github.com/piimask/piimask/jobs"
)

func newUnmaskCmd(g *globalFlags) *cobra.Command {
	var o jobs.UnmaskOptions
	cmd := &cobra.Command{
		Use:   "unmask",
		Short: "Restore original text from masked output and its vault",
		Long: `Restore the original text of a masked file (a JSONL, Parquet or text/Markdown
file under the mask job's masked/ directory) from the job's vault.bin. JSONL
rows keep their key order; a Parquet file keeps its schema (columns, order,
types) with the masked text column restored, and needs --out. The vault key is
read from the environment variable PIIMASK_VAULT_KEY; without the right key
nothing is restored. A document or row whose masked text was edited is
refused rather than restored wrongly, and nothing is written.`,
		Example: `  PIIMASK_VAULT_KEY=… piimask unmask --vault out/mask/vault.bin --in out/mask/masked/generated.jsonl --out restored.jsonl
  PIIMASK_VAULT_KEY=… piimask unmask --vault out/mask/vault.bin --in out/mask/masked/rows.parquet --out restored.parquet`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			env, err := g.env(cmd)
			if err != nil {
				return err
			}
			return jobs.Unmask(cmd.Context(), o, env)
		},
	}
	cmd.Flags().StringVar(&o.Vault, "vault", "", "vault file written by the mask job (vault.bin)")
	cmd.Flags().StringVar(&o.In, "in", "", "masked file (JSONL, Parquet or text)")
	cmd.Flags().StringVar(&o.Out, "out", "", "restored file, written atomically (default: stdout; required for Parquet)")
	return cmd
}
