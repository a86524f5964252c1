package main

import (
	"fmt"
	"io"
	"log/slog"
	"maps"
	"os"
	"runtime/debug"
	"slices"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/piimask/piimask/jobs"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

type globalFlags struct {
	logLevel   string
	logFormat  string
	noProgress bool
}

func newRootCmd(stdout, stderr io.Writer) *cobra.Command {
	g := &globalFlags{}
	root := &cobra.Command{
		Use:   "piimask",
		Short: "Evaluate and apply PII masking over AI4Privacy-style datasets and document corpora",
		Long: `piimask runs batch jobs described by YAML configs: evaluate PII detection
methods (rules, ONNX token classification, LLM prompting) with strict span
scoring, prepare training data, and mask corpora.

Start with:  piimask run configs/quickstart.yaml`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.PersistentFlags().StringVar(&g.logLevel, "log-level", "info", "log level: debug, info, warn, error")
	root.PersistentFlags().StringVar(&g.logFormat, "log-format", "text", "log format: text or json")
	root.PersistentFlags().BoolVar(&g.noProgress, "no-progress", false, "never show a progress bar")
	root.AddCommand(
		newRunCmd(g),
		newValidateCmd(g),
		newGenerateCmd(g),
		newExtractProseCmd(g),
		newTokenizeCmd(g),
		newTrainTokenizerCmd(g),
		newScoreCmd(g),
		newMergeCmd(g),
		newUnmaskCmd(g),
		newServeCmd(g),
		newVersionCmd(),
	)
	root.AddCommand(newBenchCmd(g))
	return root
}

// env builds the jobs environment from the global flags.
func (g *globalFlags) env(cmd *cobra.Command) (*jobs.Env, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(g.logLevel)); err != nil {
		return nil, fmt.Errorf("--log-level: %w", err)
	}
	opts := &slog.HandlerOptions{Level: level}
	var h slog.Handler
	switch g.logFormat {
	case "text":
		h = slog.NewTextHandler(cmd.ErrOrStderr(), opts)
	case "json":
		h = slog.NewJSONHandler(cmd.ErrOrStderr(), opts)
	default:
		return nil, fmt.Errorf("--log-format: want text or json, got %q", g.logFormat)
	}
	tty := false
	if f, ok := cmd.ErrOrStderr().(*os.File); ok {
		tty = term.IsTerminal(int(f.Fd()))
	}
	return &jobs.Env{
		Stdout:    cmd.OutOrStdout(),
		Stderr:    cmd.ErrOrStderr(),
		Logger:    slog.New(h),
		LookupEnv: os.LookupEnv,
		Registry:  jobs.NewRegistry(os.LookupEnv),
		Progress:  tty && !g.noProgress,
		Version:   version,
	}, nil
}

func newRunCmd(g *globalFlags) *cobra.Command {
	ov := jobs.Overrides{MaxRejectRatio: -1}
	var syncEvery time.Duration
	cmd := &cobra.Command{
		Use:   "run JOB.yaml",
		Short: "Run a job config (evaluate, prepare, …)",
		Long: `Run the job described by a YAML config. The config is validated first; every
problem is reported with file:line. Outputs are written under temporary names
and renamed into place only when complete, so Ctrl-C leaves no partial file.`,
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
			if err := ov.Apply(l, env); err != nil {
				return err
			}
			finish, err := stageObjectStorage(cmd.Context(), l, syncEvery, env.Logger)
			if err != nil {
				return err
			}
			return finish(jobs.Run(cmd.Context(), l, env))
		},
	}
	addRunFlags(cmd, &ov)
	cmd.Flags().DurationVar(&syncEvery, "storage-sync-interval", 10*time.Second, "with an s3:// or file:// output.dir: upload the staged outputs and resume checkpoint this often while the job runs")
	return cmd
}

func newValidateCmd(g *globalFlags) *cobra.Command {
	return &cobra.Command{
		Use:   "validate JOB.yaml",
		Short: "Check a job or serve config and print every problem with file:line",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			env, err := g.env(cmd)
			if err != nil {
				return err
			}
			v, err := jobs.Validate(args[0], env)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s: ok (kind %s, %d methods)\n", args[0], v.Kind, v.Methods)
			for _, name := range slices.Sorted(maps.Keys(v.Skipped)) {
				fmt.Fprintf(cmd.OutOrStdout(), "  method %s would be skipped: %s\n", name, v.Skipped[name])
			}
			for _, n := range v.Notes {
				fmt.Fprintf(cmd.OutOrStdout(), "  note: %s\n", n)
			}
			return nil
		},
	}
}

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the piimask version and Go build information",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			goVersion := "unknown"
			if bi, ok := debug.ReadBuildInfo(); ok {
				goVersion = bi.GoVersion
			}
			fmt.Fprintf(cmd.OutOrStdout(), "piimask %s (%s)\n", version, goVersion)
			return nil
		},
	}
}
