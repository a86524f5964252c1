package main

import (
	"github.com/spf13/cobra"

	"github.com/piimask/piimask/jobs"
)

// addRunFlags adds the `piimask run` flags for metrics, sharding and the
// reject threshold; each overrides the job config.
func addRunFlags(cmd *cobra.Command, ov *jobs.Overrides) {
	f := cmd.Flags()
	f.StringVar(&ov.Shard, "shard", "", "run shard i of N (i/N, 0-based); default: JOB_COMPLETION_INDEX with PIIMASK_SHARD_COUNT (Kubernetes Indexed Job), else the config's shard section")
	f.StringVar(&ov.OutputDir, "output-dir", "", "write the outputs under this directory (overrides output.dir; a shard writes DIR/shard-i-of-N)")
	f.StringVar(&ov.MetricsAddr, "metrics-addr", "", "serve Prometheus /metrics on this host:port while the job runs (overrides metrics.listen)")
	f.StringVar(&ov.MetricsTextfile, "metrics-textfile", "", "write a node_exporter textfile-collector .prom file at the end (overrides metrics.textfile)")
	f.StringVar(&ov.PushgatewayURL, "pushgateway-url", "", "push metrics to this Pushgateway at the end (overrides metrics.pushgateway.url)")
	f.BoolVar(&ov.FailOnExportError, "fail-on-export-error", false, "exit 1 when a metrics export (Pushgateway push, textfile) fails; by default a failed export is logged as a warning and the job's own result decides the exit status")
	f.Float64Var(&ov.MaxRejectRatio, "max-reject-ratio", -1, "fail when rejected/read input rows exceed this ratio in [0, 1] (overrides max_reject_ratio)")
}
