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

// signalled is the cancellation cause when a signal stops piimask.
type signalled struct{ sig syscall.Signal }

func (s signalled) Error() string { return "received " + s.sig.String() }

// exitCode is the shell convention for a process ended by sig: 128 + its
// number (130 for SIGINT, 143 for SIGTERM).
func (s signalled) exitCode() int { return 128 + int(s.sig) }

// notifyContext is cancelled, with a signalled cause, on SIGINT or SIGTERM.
func notifyContext(parent context.Context) (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(parent)
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case sig := <-ch:
			cancel(signalled{sig.(syscall.Signal)})
		case <-done:
		}
	}()
	return ctx, func() {
		signal.Stop(ch)
		close(done)
		cancel(nil)
	}
}

func main() {
	ctx, stop := notifyContext(context.Background())
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
		code := 130
		var sig signalled
		if errors.As(context.Cause(ctx), &sig) {
			code = sig.exitCode()
		}
		fmt.Fprintln(os.Stderr, "piimask: interrupted; no partial output was kept")
		stop()
		os.Exit(code)
	default:
		fmt.Fprintln(os.Stderr, "piimask: "+strings.ReplaceAll(err.Error(), "\n", "; "))
	}
	os.Exit(1)
}
