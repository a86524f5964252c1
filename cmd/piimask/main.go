// Command piimask evaluates and applies PII masking in batch jobs driven by
// YAML configs. Run `piimask --help` for the commands.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/piimask/piimask/jobs/config"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	cmd := newRootCmd(os.Stdout, os.Stderr)
	err := cmd.ExecuteContext(ctx)
	if err == nil {
		return
	}
	var ps config.Problems
	switch {
	case errors.As(err, &ps):
		// validate-style problems: one per line, all of them.
		fmt.Fprintln(os.Stderr, "piimask: the job config has problems:")
		fmt.Fprintln(os.Stderr, err)
	case errors.Is(err, context.Canceled):
		fmt.Fprintln(os.Stderr, "piimask: interrupted; no partial output was kept")
		os.Exit(130)
	default:
		fmt.Fprintln(os.Stderr, "piimask: "+strings.ReplaceAll(err.Error(), "\n", "; "))
	}
	os.Exit(1)
}
