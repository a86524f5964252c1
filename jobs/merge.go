package jobs

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"

	"github.com/piimask/piimask/stages/score"
	"github.com/piimask/piimask/stages/write"
)

// MergeOptions say which evaluate result directories to merge and where.
type MergeOptions struct {
	// Dirs are result directories of evaluate runs over disjoint shards of
	// a dataset, in dataset order (bootstrap intervals resample documents in
	// the concatenated order, so the order matters only for them).
	Dirs []string
	// Out is the merged result directory.
	Out string
	// Name is the merged experiment name (default: the first shard's).
	Name string
}

// shardMethod is one method's files in one shard.
type shardMethod struct {
	dir     string
	metrics string
	docs    string // "" when the shard has no doc_counts.jsonl
	preds   string
}

// Merge sums the counts of every method found in the result directories and
// writes, per method, metrics.json (exactly the metrics a single run over all
// shards would give; bootstrap intervals recomputed from the concatenated
// per-document counts with the shards' settings) and the concatenated
// doc_counts.jsonl and predictions.jsonl, plus a merged summary.json and
// rejects.jsonl. A method must be present in every shard, and a document id
// in only one.
func Merge(ctx context.Context, opts MergeOptions, env *Env) error {
	env.defaults()
	if err := checkMergeOptions(opts); err != nil {
		return err
	}
	sh, err := scanShards(opts.Dirs)
	if err != nil {
		return err
	}
	name := opts.Name
	if name == "" && sh.summaries[0] != nil {
		name = sh.summaries[0].Experiment
	}
	if name == "" {
		name = "merged"
	}
	if err := os.MkdirAll(opts.Out, 0o755); err != nil {
		return fmt.Errorf("merge: create output directory: %w", err)
	}
	merged := Summary{Experiment: name, Kind: "merge"}
	var named []score.NamedReport
	for _, m := range sh.order {
		rep, err := mergeMethod(ctx, name, m, sh.files[m], opts.Out)
		if err != nil {
			return err
		}
		named = append(named, score.NamedReport{Name: m, Report: rep})
		merged.Methods = append(merged.Methods, mergeMethodSummary(m, sh.summaries, rep.Documents))
	}
	for _, m := range slices.Sorted(maps.Keys(sh.skipped)) {
		if _, ran := sh.files[m]; !ran {
			merged.Methods = append(merged.Methods, sh.skipped[m])
		}
	}
	sumRunFigures(&merged, sh.summaries)
	if err := concatFiles(ctx, filepath.Join(opts.Out, "rejects.jsonl"), opts.Dirs, "rejects.jsonl"); err != nil {
		return err
	}
	if err := writeJSONFile(filepath.Join(opts.Out, "summary.json"), merged); err != nil {
		return fmt.Errorf("merge: %w", err)
	}
	fmt.Fprintf(env.Stdout, "merged %d result directories into %s\n\n", len(opts.Dirs), opts.Out)
	return score.FormatTable(env.Stdout, named...)
}

// checkMergeOptions checks there are inputs, an output, and that the output
// is none of the inputs.
func checkMergeOptions(opts MergeOptions) error {
	if len(opts.Dirs) == 0 {
		return errors.New("merge: give at least one result directory")
	}
	if opts.Out == "" {
		return errors.New("merge: give the output directory")
	}
	for _, d := range opts.Dirs {
		if filepath.Clean(d) == filepath.Clean(opts.Out) {
			return fmt.Errorf("merge: the output directory %s is also an input", d)
		}
	}
	return nil
}

// shardSet is what the result directories to merge hold.
type shardSet struct {
	// summaries are the directories' summary.json (nil where none).
	summaries []*Summary
	// order lists the methods in first-seen order; files has each one's
	// files, a shard each.
	order []string
	files map[string][]shardMethod
	// skipped are the methods a shard's summary lists as skipped.
	skipped map[string]MethodSummary
}

// scanShards lists the methods and files of every result directory and
// checks that every method is in all of them.
func scanShards(dirs []string) (*shardSet, error) {
	sh := &shardSet{summaries: make([]*Summary, len(dirs)), files: map[string][]shardMethod{}, skipped: map[string]MethodSummary{}}
	for i, dir := range dirs {
		s, err := readSummary(dir)
		if err != nil {
			return nil, err
		}
		sh.summaries[i] = s
		names, err := methodDirs(dir, s)
		if err != nil {
			return nil, err
		}
		for _, md := range names {
			sh.add(dir, md)
		}
		if s != nil {
			for _, m := range s.Methods {
				if m.Skipped != "" {
					sh.skipped[m.Name] = MethodSummary{Name: m.Name, Type: m.Type, Skipped: m.Skipped}
				}
			}
		}
	}
	if len(sh.order) == 0 {
		return nil, fmt.Errorf("merge: no metrics.json under %v", dirs)
	}
	for _, name := range sh.order {
		if n := len(sh.files[name]); n != len(dirs) {
			var have []string
			for _, sm := range sh.files[name] {
				have = append(have, sm.dir)
			}
			return nil, fmt.Errorf("merge: method %s is in %d of %d result directories (%v); merging it would not cover the whole dataset", name, n, len(dirs), have)
		}
	}
	return sh, nil
}

// add records one method directory md of the result directory dir.
func (sh *shardSet) add(dir string, md methodDir) {
	if _, seen := sh.files[md.name]; !seen {
		sh.order = append(sh.order, md.name)
	}
	sm := shardMethod{dir: dir, metrics: filepath.Join(md.path, "metrics.json"), preds: filepath.Join(md.path, "predictions.jsonl")}
	if p := filepath.Join(md.path, "doc_counts.jsonl"); fileExists(p) {
		sm.docs = p
	}
	sh.files[md.name] = append(sh.files[md.name], sm)
}

// sumRunFigures sums the shards' run figures (earliest start, seconds,
// rows and documents) into merged.
func sumRunFigures(merged *Summary, summaries []*Summary) {
	for _, s := range summaries {
		if s == nil {
			continue
		}
		if merged.StartedAt.IsZero() || s.StartedAt.Before(merged.StartedAt) {
			merged.StartedAt = s.StartedAt
		}
		merged.Seconds += s.Seconds
		merged.RowsRead += s.RowsRead
		merged.RowsRejected += s.RowsRejected
		merged.Documents += s.Documents
	}
}

// mergeMethod sums one method's counts over the shards and writes its
// merged files under out/method.
func mergeMethod(ctx context.Context, experiment, method string, shards []shardMethod, out string) (score.Report, error) {
	haveDocs := true
	for _, sm := range shards {
		haveDocs = haveDocs && sm.docs != ""
	}
	acc, err := newScoreAccumulator(nil, "", haveDocs)
	if err != nil {
		return score.Report{}, err
	}
	beta, ciSettings, err := sumShards(acc, shards)
	if err != nil {
		return score.Report{}, err
	}
	dir := filepath.Join(out, method)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return score.Report{}, fmt.Errorf("merge: %w", err)
	}
	if haveDocs {
		docs, err := concatDocCounts(ctx, filepath.Join(dir, "doc_counts.jsonl"), shards)
		if err != nil {
			return score.Report{}, err
		}
		acc.keepDocCounts(docs)
	}
	spec := metricsSpec{experiment: experiment, model: method, beta: beta, path: filepath.Join(dir, "metrics.json")}
	if ciSettings != nil && haveDocs {
		spec.bootstrap = &score.BootstrapOptions{Iterations: ciSettings.Iterations,
			Confidence: ciSettings.Confidence, Seed: ciSettings.Seed, Beta: ciSettings.Beta}
		spec.ciMethod = ciSettings.Method
	}
	rep, err := acc.finish(ctx, spec)
	if err != nil {
		return score.Report{}, fmt.Errorf("merge: %w", err)
	}
	var preds []string
	for _, sm := range shards {
		preds = append(preds, sm.preds)
	}
	if err := concatFiles(ctx, filepath.Join(dir, "predictions.jsonl"), preds, ""); err != nil {
		return score.Report{}, err
	}
	return rep, nil
}

// sumShards sums the shards' metrics.json counts into acc and returns their
// beta (which must agree) and the first shard's bootstrap settings.
func sumShards(acc *scoreAccumulator, shards []shardMethod) (float64, *score.ConfidenceIntervals, error) {
	var beta float64
	var ciSettings *score.ConfidenceIntervals
	for i, sm := range shards {
		c, err := score.ReadMetricsCounts(sm.metrics)
		if err != nil {
			return 0, nil, fmt.Errorf("merge: %w", err)
		}
		if err := acc.addShard(c, sm.metrics, shards[0].metrics); err != nil {
			return 0, nil, fmt.Errorf("merge: %w", err)
		}
		var head struct {
			Beta float64                    `json:"beta"`
			CI   *score.ConfidenceIntervals `json:"confidence_intervals"`
		}
		data, err := os.ReadFile(sm.metrics)
		if err != nil {
			return 0, nil, fmt.Errorf("merge: %w", err)
		}
		if err := json.Unmarshal(data, &head); err != nil {
			return 0, nil, fmt.Errorf("merge: %s: invalid metrics JSON: %w", sm.metrics, err)
		}
		if i == 0 {
			beta, ciSettings = head.Beta, head.CI
		} else if head.Beta != beta {
			return 0, nil, fmt.Errorf("merge: %s: beta %g differs from %g in %s", sm.metrics, head.Beta, beta, shards[0].metrics)
		}
	}
	return beta, ciSettings, nil
}

// concatDocCounts concatenates the shards' doc_counts.jsonl into path,
// checking every line and that no document id appears twice. It stops
// between shards when ctx is cancelled.
func concatDocCounts(ctx context.Context, path string, shards []shardMethod) ([]score.DocCounts, error) {
	out, err := write.CreateAtomic(path)
	if err != nil {
		return nil, err
	}
	var all []score.DocCounts
	where := map[string]string{}
	for _, sm := range shards {
		if err := ctx.Err(); err != nil {
			out.Abort()
			return nil, err
		}
		data, err := os.ReadFile(sm.docs)
		if err != nil {
			out.Abort()
			return nil, fmt.Errorf("merge: %w", err)
		}
		docs, err := score.ReadDocCounts(bytes.NewReader(data), sm.docs)
		if err != nil {
			out.Abort()
			return nil, fmt.Errorf("merge: %w", err)
		}
		for _, d := range docs {
			if d.ID == "" {
				continue
			}
			if prev, dup := where[d.ID]; dup {
				out.Abort()
				return nil, fmt.Errorf("merge: document id %q is in both %s and %s: shards must not overlap", d.ID, prev, sm.docs)
			}
			where[d.ID] = sm.docs
		}
		all = append(all, docs...)
		if len(data) > 0 && data[len(data)-1] != '\n' {
			data = append(data, '\n')
		}
		if _, err := out.Write(data); err != nil {
			out.Abort()
			return nil, fmt.Errorf("merge: write %s: %w", path, err)
		}
	}
	return all, out.Commit()
}

// concatFiles concatenates dir/rel of every dir (rel may be "" when the
// dirs are files) into path when all of them exist; otherwise it writes
// nothing. It stops between files when ctx is cancelled.
func concatFiles(ctx context.Context, path string, dirs []string, rel string) error {
	for _, d := range dirs {
		if !fileExists(filepath.Join(d, rel)) {
			return nil
		}
	}
	out, err := write.CreateAtomic(path)
	if err != nil {
		return err
	}
	for _, d := range dirs {
		if err := ctx.Err(); err != nil {
			out.Abort()
			return err
		}
		f, err := os.Open(filepath.Join(d, rel))
		if err != nil {
			out.Abort()
			return fmt.Errorf("merge: %w", err)
		}
		_, err = io.Copy(out, f)
		f.Close()
		if err != nil {
			out.Abort()
			return fmt.Errorf("merge: copy %s: %w", filepath.Join(d, rel), err)
		}
	}
	return out.Commit()
}

// mergeMethodSummary sums one method's run figures over the shards.
func mergeMethodSummary(method string, summaries []*Summary, docs int64) MethodSummary {
	ms := MethodSummary{Name: method, Documents: docs}
	for _, s := range summaries {
		if s == nil {
			continue
		}
		for _, m := range s.Methods {
			if m.Name != method || m.Skipped != "" {
				continue
			}
			ms.Type = m.Type
			if ms.Classes == nil {
				ms.Classes = m.Classes
			}
			ms.Failures += m.Failures
			ms.DetectSeconds += m.DetectSeconds
			ms.PromptTokens += m.PromptTokens
			ms.OutputTokens += m.OutputTokens
			ms.Requests += m.Requests
			ms.CostUSD += m.CostUSD
			for k, v := range m.Diagnostics {
				if ms.Diagnostics == nil {
					ms.Diagnostics = map[string]int64{}
				}
				ms.Diagnostics[k] += v
			}
		}
	}
	if ms.DetectSeconds > 0 {
		ms.DocsPerSecond = float64(docs) / ms.DetectSeconds
	}
	return ms
}

// readSummary reads dir/summary.json, or returns nil when there is none.
func readSummary(dir string) (*Summary, error) {
	p := filepath.Join(dir, "summary.json")
	data, err := os.ReadFile(p)
	if errors.Is(err, fs.ErrNotExist) {
		if _, serr := os.Stat(dir); serr != nil {
			return nil, fmt.Errorf("merge: %w", serr)
		}
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("merge: %w", err)
	}
	var s Summary
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, fmt.Errorf("merge: %s: invalid summary JSON: %w", p, err)
	}
	return &s, nil
}

// methodDir is one method's directory in a result directory.
type methodDir struct{ name, path string }

// methodDirs lists the methods of a result directory: those of its summary
// that ran, or every sub-directory holding a metrics.json, or — for the
// output of piimask score — the directory itself when it holds a
// metrics.json (the method is its model_name).
func methodDirs(dir string, s *Summary) ([]methodDir, error) {
	var out []methodDir
	if s != nil {
		for _, m := range s.Methods {
			if m.Skipped == "" {
				out = append(out, methodDir{m.Name, filepath.Join(dir, m.Name)})
			}
		}
		return out, nil
	}
	if p := filepath.Join(dir, "metrics.json"); fileExists(p) {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("merge: %w", err)
		}
		var head struct {
			Model string `json:"model_name"`
		}
		if err := json.Unmarshal(data, &head); err != nil {
			return nil, fmt.Errorf("merge: %s: invalid metrics JSON: %w", p, err)
		}
		if head.Model == "" {
			return nil, fmt.Errorf("merge: %s: field model_name is empty", p)
		}
		return []methodDir{{head.Model, dir}}, nil
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("merge: %w", err)
	}
	for _, e := range entries {
		if e.IsDir() && fileExists(filepath.Join(dir, e.Name(), "metrics.json")) {
			out = append(out, methodDir{e.Name(), filepath.Join(dir, e.Name())})
		}
	}
	return out, nil
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
