package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/piimask/piimask/internal/storage"
	"github.com/piimask/piimask/jobs"
	"github.com/piimask/piimask/jobs/config"
)

// stagingRoot is where object-storage inputs are cached and outputs staged:
// $PIIMASK_STAGING_DIR, else the user cache directory's piimask/.
func stagingRoot() (string, error) {
	if d := os.Getenv("PIIMASK_STAGING_DIR"); d != "" {
		return d, nil
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("object storage: no staging directory (set PIIMASK_STAGING_DIR): %w", err)
	}
	return filepath.Join(d, "piimask"), nil
}

// stageObjectStorage makes a job's s3:// and file:// input paths and output
// directory local (internal/storage) and returns the function to call with
// the run's error when it ends: it publishes the outputs, or after a failure
// saves the resume state in the bucket. Jobs without URLs are untouched.
func stageObjectStorage(ctx context.Context, l *config.Loaded, sync time.Duration, log *slog.Logger) (func(error) error, error) {
	j := l.Job
	hasURL := storage.IsURL(j.Output.Dir)
	for _, p := range j.Input.Paths {
		hasURL = hasURL || storage.IsURL(p)
	}
	if !hasURL {
		return func(err error) error { return err }, nil
	}
	root, err := stagingRoot()
	if err != nil {
		return nil, err
	}
	for i, p := range j.Input.Paths {
		if !storage.IsURL(p) {
			continue
		}
		local, err := storage.FetchInput(ctx, p, filepath.Join(root, "inputs"))
		if err != nil {
			return nil, err
		}
		j.Input.Paths[i] = local
	}
	if !storage.IsURL(j.Output.Dir) {
		return func(err error) error { return err }, nil
	}
	remote, local := j.Output.Dir, storage.StagingDir(root, j.Output.Dir)
	// A shard syncs only its own directory, as it writes only that one.
	sub := ""
	if s := j.Shard; s != nil && s.Count > 1 {
		sub = jobs.Shard{Index: s.Index, Count: s.Count}.Label()
	}
	u := remote
	if sub != "" {
		u = joinURL(remote, sub)
	}
	out, err := storage.OpenOutput(ctx, u, filepath.Join(local, sub), log)
	if err != nil {
		return nil, err
	}
	j.Output.Dir = local
	out.Start(sync)
	return func(runErr error) error {
		if err := out.Finish(context.WithoutCancel(ctx), runErr); err != nil {
			if runErr != nil {
				log.Error("object storage: saving the resume state failed", "err", err)
				return runErr
			}
			return fmt.Errorf("object storage: %w", err)
		}
		return runErr
	}, nil
}

// joinURL appends a path element to a URL's path, keeping its query.
func joinURL(u, elem string) string {
	base, q := u, ""
	if i := strings.IndexByte(u, '?'); i >= 0 {
		base, q = u[:i], u[i:]
	}
	if len(base) > 0 && base[len(base)-1] == '/' {
		base = base[:len(base)-1]
	}
	return base + "/" + elem + q
}
