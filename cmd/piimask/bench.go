package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/piimask/piimask/jobs"
)

func newBenchCmd(g *globalFlags) *cobra.Command {
	ov := jobs.Overrides{MaxRejectRatio: -1}
	cmd := &cobra.Command{
		Use:   "bench BENCH.yaml",
		Short: "Measure methods' speed by text length and with 1, 2, 4, 8 workers",
		Long: `Run a bench job (kind: bench): every configured method on documents
made from its input (input.generate or files, read like every job's input)
joined into short, medium and long texts (latency p50/p95, docs/s, tokens/s),
then sequential vs concurrent processing (throughput and speed-up against one
worker). Every ratio compares figures measured in the same run. Writes
<output.dir>/bench.json and prints the tables.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			env, err := g.env(cmd)
			if err != nil {
				return err
			}
			l, err := jobs.Load(args[0], env)
			if err != nil {
				return err
			}
			if l.Job.Kind != "bench" {
				return fmt.Errorf("%s: kind is %q; piimask bench runs kind: bench configs (use piimask run)", args[0], l.Job.Kind)
			}
			if err := ov.Apply(l, env); err != nil {
				return err
			}
			return jobs.Run(cmd.Context(), l, env)
		},
	}
	f := cmd.Flags()
	f.StringVar(&ov.MetricsAddr, "metrics-addr", "", "serve Prometheus /metrics on this host:port while the bench runs")
	f.StringVar(&ov.MetricsTextfile, "metrics-textfile", "", "write a node_exporter textfile-collector .prom file at the end")
	return cmd
}
