package config

import (
	"fmt"
	"os"
	"reflect"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/parser"

	"github.com/piimask/piimask/stages/taxonomy"
)

// Job is a whole job config. Sections that belong to one job kind are
// pointers and only read by that kind.
type Job struct {
	// Kind selects the job: evaluate, prepare, …
	Kind string `yaml:"kind" required:"true"`
	// Name names the experiment in outputs (default: the file's base name).
	Name string `yaml:"name"`
	// Input says where documents come from.
	Input Input `yaml:"input"`
	// Filters select documents after reading.
	Filters Filters `yaml:"filters"`
	// Labels is the label set (default: every AI4Privacy class).
	Labels []string `yaml:"labels"`
	// LabelMap renames the gold labels of another taxonomy onto the 200k
	// classes: a shipped map's name (label_map: ai4privacy-400k), a .json
	// file, or a mapping (PERSON: FIRSTNAME). A mapping also applies to
	// predictions when prediction_label_map is not given.
	LabelMap LabelMap `yaml:"label_map"`
	// PredictionLabelMap renames the predicted labels (same shapes as
	// label_map): presidio for Presidio results, to-presidio to score a
	// piimask method in Presidio's types.
	PredictionLabelMap LabelMap `yaml:"prediction_label_map"`
	// Taxonomy is the label set scored: classes (default; the 200k classes,
	// or a to-NAME map's labels) or groups (gold and predictions are mapped
	// onto the entity groups of stages/taxonomy first).
	Taxonomy string `yaml:"taxonomy"`
	// IgnoreLabels are gold labels that count neither right nor wrong (the
	// ORG/LOC of NER sets that are not PII): such gold spans and the
	// predictions overlapping them are dropped before scoring.
	IgnoreLabels []string `yaml:"ignore_labels"`
	// Methods are the detection methods to run.
	Methods []Method `yaml:"methods"`
	// Output says where results go.
	Output Output `yaml:"output" required:"true"`
	// Concurrency bounds parallel work.
	Concurrency Concurrency `yaml:"concurrency"`
	// Scoring tunes the evaluation.
	Scoring Scoring `yaml:"scoring"`
	// MaxRejectRatio fails the run when rejected/read rows exceed it (0 = never).
	MaxRejectRatio float64 `yaml:"max_reject_ratio"`
	// Prepare holds the prepare job's settings.
	Prepare *Prepare `yaml:"prepare"`
	// Report configures the HTML/Markdown report (kind: report, and the
	// report written at the end of evaluate).
	Report *Report `yaml:"report"`
	// Finetune holds the finetune job's settings.
	Finetune *FinetuneJob `yaml:"finetune"`
	// Mask holds the mask job's settings.
	Mask *Mask `yaml:"mask"`
	// Train holds the train job's settings.
	Train *Train `yaml:"train"`
	// Metrics says where the run's Prometheus metrics go (see metrics.go).
	Metrics *Metrics `yaml:"metrics"`
	// Shard splits the input among several runs (see metrics.go).
	Shard *Shard `yaml:"shard"`
	// Bench holds the bench job's settings (see bench.go).
	Bench *Bench `yaml:"bench"`
	// Calibrate holds the calibrate job's settings (see calibrate.go).
	Calibrate *Calibrate `yaml:"calibrate"`
}

// Input is the job's data source: files, or synthetic data generated in-process.
type Input struct {
	// Paths are files, directories or globs (** allowed).
	Paths []string `yaml:"paths"`
	// Format is jsonl, parquet, text or conll; empty = from the file extension.
	Format string `yaml:"format"`
	// Schema is auto, ai4privacy-43k, ai4privacy-200k, ai4privacy-400k,
	// presidio, conll or plain.
	Schema string `yaml:"schema"`
	// Language is the language of documents whose data gives none (CoNLL
	// files, presidio-research sets).
	Language string `yaml:"language"`
	// TextField is the text column for the plain schema.
	TextField string `yaml:"text_field"`
	// Generate makes synthetic AI4Privacy-200k rows instead of reading files.
	Generate *Generate `yaml:"generate"`
}

// Generate configures in-process synthetic data.
type Generate struct {
	N         int      `yaml:"n" required:"true"`
	Seed      int64    `yaml:"seed"`
	Languages []string `yaml:"languages"`
	// Mode is templates (200k-style sentences, the default) or documents
	// (realistic, mostly PII-free documents: stages/generate/docs).
	Mode string `yaml:"mode"`
	// Prose is an optional PII-free prose file for the documents mode.
	Prose string `yaml:"prose"`
	// CleanShare is the documents mode's target share of PII-free
	// characters (0 = 0.88).
	CleanShare float64 `yaml:"clean_share"`
	// Kinds restricts the documents mode's document kinds (empty = all).
	Kinds []string `yaml:"kinds"`
}

// Filters select documents.
type Filters struct {
	Languages []string `yaml:"languages"`
	Limit     int      `yaml:"limit"`
	Sample    *Sample  `yaml:"sample"`
}

// Sample keeps a deterministic share of documents.
type Sample struct {
	Rate float64 `yaml:"rate" required:"true"`
	Seed int64   `yaml:"seed"`
}

// Method is one entry of `methods`.
type Method struct {
	Name string `yaml:"name" required:"true"`
	Type string `yaml:"type" required:"true"`
	// RequiresEnv lists environment variables the method needs; when one is
	// unset the method is skipped with a message and the rest runs.
	RequiresEnv []string       `yaml:"requires_env"`
	Options     map[string]any `yaml:"options"`
}

// Output says where and how results are written.
type Output struct {
	Dir     string   `yaml:"dir" required:"true"`
	Formats []string `yaml:"formats"`
}

// Concurrency bounds the engine.
type Concurrency struct {
	// Workers is the number of documents (or batches) processed at once per method.
	Workers int `yaml:"workers"`
	// BatchSize is how many documents one Detect call receives.
	BatchSize int `yaml:"batch_size"`
}

// Scoring tunes the evaluation.
type Scoring struct {
	// Beta for the F-beta score reported next to F1 (default 2).
	Beta float64 `yaml:"beta"`
	// Bootstrap is the number of bootstrap resamples (0 = off).
	Bootstrap int   `yaml:"bootstrap"`
	Seed      int64 `yaml:"seed"`
	// ScoringViews are iou and merge_adjacent (views.go).
	ScoringViews `yaml:",inline"`
}

// Prepare configures the prepare job: a token-classification dataset, an
// LLM fine-tuning file, or both.
type Prepare struct {
	// Split assigns documents to train/validation/test by a stable hash of their id.
	Split Split `yaml:"split"`
	// TokenClassification writes input_ids/labels datasets for BERT-like models.
	TokenClassification *TokenClassification `yaml:"token_classification"`
	// FineTune writes chat-format JSONL for LLM fine-tuning.
	FineTune *FineTune `yaml:"finetune"`
}

// Split holds the deterministic split settings.
type Split struct {
	Seed int64 `yaml:"seed"`
	// Ratios are train, validation, test (default 0.8, 0.1, 0.1).
	Ratios []float64 `yaml:"ratios"`
}

// TokenClassification configures the token-classification dataset.
type TokenClassification struct {
	// Tokenizer is a tokenizer.json file or a directory holding one.
	Tokenizer string `yaml:"tokenizer" required:"true"`
	// Strategy is first_subtoken (default) or all_subtokens.
	Strategy string `yaml:"strategy"`
	// MaxLength is the window size in tokens, special tokens included (default 128).
	MaxLength int `yaml:"max_length"`
	// Stride is the overlap between consecutive windows in tokens (default 16).
	Stride int `yaml:"stride"`
	// Formats are parquet and/or arrow (default both).
	Formats []string `yaml:"formats"`
	// TokenTypeIDs adds the token_type_ids column (BERT-style models).
	TokenTypeIDs bool `yaml:"token_type_ids"`
}

// FineTune configures the LLM fine-tuning file of the prepare job.
type FineTune struct {
	// Language of the instructions: auto (each document's), en or fr.
	Language string `yaml:"language"`
	// PricePerMTokens is the training price in USD per million tokens.
	PricePerMTokens float64 `yaml:"price_per_m_tokens"`
	// Epochs multiplies the training tokens for the cost estimate (default 1).
	Epochs float64 `yaml:"epochs"`
}

// Loaded is a parsed config with what validation learned about it.
type Loaded struct {
	Job  *Job
	File string
	// Skipped names methods left out because an env var they require is unset,
	// with the reason.
	Skipped map[string]string
	// Notes are what validate reports without failing: secrets referenced
	// but unset (with Rules.AllowUnsetSecrets; run needs them).
	Notes []string
	lines map[string]int
}

// Line returns the line of a dotted path such as "methods[1].type" (0 if unknown).
func (l *Loaded) Line(path string) int { return l.lines[path] }

// Problem builds a Problem at path's line.
func (l *Loaded) Problem(path, format string, args ...any) Problem {
	return Problem{File: l.File, Line: l.lines[path], Path: path, Message: fmt.Sprintf(format, args...)}
}

// Rules are the semantic checks the caller knows about (job kinds, method types).
type Rules struct {
	Kinds       []string
	MethodTypes []string
	// NoInput lists the kinds that read no documents (input may be absent).
	NoInput []string
	// MethodOptions gives the options struct a method type declared
	// (detect.Registry.OptionsType): every method's options are checked
	// against it with file:line, then its values when it has Check() error.
	MethodOptions func(typ string) reflect.Type
	// AllowUnsetSecrets turns a secret-named key whose ${VAR} is unset into
	// a note (Loaded.Notes) instead of a problem: validate checks a config
	// without the secrets that only run needs.
	AllowUnsetSecrets bool
}

// LoadFile reads and validates a job config. Every problem found is returned
// at once as Problems.
func LoadFile(path string, env LookupEnv, rules Rules) (*Loaded, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read job config: %w", err)
	}
	return Load(path, data, env, rules)
}

// Load validates config bytes; file names the source in messages.
func Load(file string, data []byte, env LookupEnv, rules Rules) (*Loaded, error) {
	if env == nil {
		env = os.LookupEnv
	}
	var job Job
	lines, missing, err := decodeChecked(file, data, env, &job, rules.MethodOptions)
	if err != nil {
		return nil, err
	}
	l := &Loaded{Job: &job, File: file, lines: lines, Skipped: map[string]string{}}
	if job.Name == "" {
		job.Name = nameFromFile(file)
	}
	problems := l.semantic(rules, missing, env)
	if len(problems) > 0 {
		return nil, problems
	}
	return l, nil
}

// decodeChecked interpolates ${ENV} in data, checks the YAML against dst's
// type (every unknown key, wrong type and missing required field, with
// lines) and decodes it into dst. It returns the line of every path and the
// ${VAR}s that had no value.
func decodeChecked(file string, data []byte, env LookupEnv, dst any, shapes optionShapes) (map[string]int, []MissingVar, error) {
	ps, secretLines := scanSecrets(file, data)
	if len(ps) > 0 {
		return nil, nil, ps
	}
	text, missing := interpolate(string(data), env)
	for i := range missing {
		missing[i].Secret = secretLines[missing[i].Line]
	}
	astFile, err := parser.ParseBytes([]byte(text), 0)
	if err != nil {
		return nil, nil, Problems{{File: file, Message: "not valid YAML: " + yaml.FormatError(err, false, true)}}
	}
	if len(astFile.Docs) != 1 {
		return nil, nil, Problems{{File: file, Message: fmt.Sprintf("want exactly one YAML document, found %d", len(astFile.Docs))}}
	}
	c := &checker{file: file, lines: map[string]int{}, methodOptions: shapes}
	c.check(astFile.Docs[0], reflect.TypeOf(dst).Elem(), "")
	if len(c.problems) > 0 {
		return nil, nil, c.problems
	}
	if err := yaml.Unmarshal([]byte(text), dst); err != nil {
		return nil, nil, Problems{{File: file, Message: yaml.FormatError(err, false, true)}}
	}
	return c.lines, missing, nil
}

// nameFromFile is a config's default name: its base name without .yaml/.yml.
func nameFromFile(file string) string {
	base := file[strings.LastIndex(file, "/")+1:]
	return strings.TrimSuffix(strings.TrimSuffix(base, ".yaml"), ".yml")
}

// checkMethods checks a methods list (unique names, known types) and decides
// which methods are skipped for an unset requires_env variable. It returns
// the problems, the names seen, and the variables a skip excuses.
func checkMethods(file string, lines map[string]int, methods []Method, methodTypes []string, env LookupEnv, skipped map[string]string) (Problems, map[string]bool, map[string]bool) {
	var ps Problems
	names := map[string]bool{}
	excused := map[string]bool{}
	at := func(path, format string, args ...any) Problem {
		return Problem{File: file, Line: lines[path], Path: path, Message: fmt.Sprintf(format, args...)}
	}
	for i, m := range methods {
		path := fmt.Sprintf("methods[%d]", i)
		if names[m.Name] {
			ps = append(ps, at(path+".name", "duplicate method name %q", m.Name))
		}
		names[m.Name] = true
		if len(methodTypes) > 0 && !oneOf(m.Type, methodTypes...) {
			ps = append(ps, at(path+".type", "unknown method type %q (known: %s)", m.Type, strings.Join(methodTypes, ", ")))
		}
		for _, v := range m.RequiresEnv {
			if val, ok := env(v); !ok || val == "" {
				skipped[m.Name] = fmt.Sprintf("environment variable %s is not set", v)
				excused[v] = true
			}
		}
	}
	return ps, names, excused
}

// missingVarProblems reports the unset ${VAR}s no skipped method excuses.
func missingVarProblems(file string, missing []MissingVar, excused map[string]bool) Problems {
	var ps Problems
	for _, mv := range missing {
		if excused[mv.Name] {
			continue
		}
		ps = append(ps, Problem{File: file, Line: mv.Line, Message: fmt.Sprintf("environment variable %s is not set (use ${%s:-default} for a default, or list it in the method's requires_env)", mv.Name, mv.Name)})
	}
	return ps
}

func oneOf(v string, allowed ...string) bool {
	for _, a := range allowed {
		if v == a {
			return true
		}
	}
	return false
}

// checkLabelMaps checks map names, loads map files and checks taxonomy.
func (l *Loaded) checkLabelMaps() Problems {
	var ps Problems
	j := l.Job
	for _, f := range []struct {
		path string
		m    *LabelMap
	}{{"label_map", &j.LabelMap}, {"prediction_label_map", &j.PredictionLabelMap}} {
		if err := f.m.resolve(l.File); err != nil {
			ps = append(ps, l.Problem(f.path, "%v", err))
		}
	}
	if j.Taxonomy != "" && !oneOf(j.Taxonomy, taxonomy.ModeClasses, taxonomy.ModeGroups) {
		ps = append(ps, l.Problem("taxonomy", "unknown taxonomy %q (classes or groups)", j.Taxonomy))
	}
	if len(ps) == 0 {
		if _, _, err := taxonomy.NewMappers(j.LabelMap.Spec(), j.PredictionLabelMap.Spec(), j.Taxonomy); err != nil {
			ps = append(ps, l.Problem("prediction_label_map", "%v", err))
		}
	}
	return ps
}

func (l *Loaded) semantic(rules Rules, missing []MissingVar, env LookupEnv) Problems {
	var ps Problems
	j := l.Job
	if len(rules.Kinds) > 0 && !oneOf(j.Kind, rules.Kinds...) {
		ps = append(ps, l.Problem("kind", "unknown job kind %q (known: %s)", j.Kind, strings.Join(rules.Kinds, ", ")))
	}
	in := j.Input
	if len(in.Paths) == 0 && in.Generate == nil && !oneOf(j.Kind, rules.NoInput...) {
		ps = append(ps, l.Problem("input", "give input.paths or input.generate"))
	}
	if len(in.Paths) > 0 && in.Generate != nil {
		ps = append(ps, l.Problem("input.generate", "give input.paths or input.generate, not both"))
	}
	if in.Format != "" && !oneOf(in.Format, "auto", "jsonl", "parquet", "text", "conll") {
		ps = append(ps, l.Problem("input.format", "unknown format %q (jsonl, parquet, text, conll, or empty for the file extension)", in.Format))
	}
	if in.Schema != "" && !oneOf(in.Schema, "auto", "ai4privacy-43k", "ai4privacy-200k", "ai4privacy-400k", "presidio", "conll", "plain") {
		ps = append(ps, l.Problem("input.schema", "unknown schema %q (auto, ai4privacy-43k, ai4privacy-200k, ai4privacy-400k, presidio, conll, plain)", in.Schema))
	}
	if g := in.Generate; g != nil && g.N <= 0 {
		ps = append(ps, l.Problem("input.generate.n", "must be positive"))
	}
	if g := in.Generate; g != nil {
		if !oneOf(g.Mode, "", "templates", "documents") {
			ps = append(ps, l.Problem("input.generate.mode", "unknown mode %q (templates or documents)", g.Mode))
		}
		if g.Mode != "documents" && (g.Prose != "" || g.CleanShare != 0 || len(g.Kinds) > 0) {
			ps = append(ps, l.Problem("input.generate", "prose, clean_share and kinds need mode: documents"))
		}
		if g.CleanShare < 0 || g.CleanShare > 0.99 {
			ps = append(ps, l.Problem("input.generate.clean_share", "must be in [0, 0.99], got %g", g.CleanShare))
		}
	}
	if s := j.Filters.Sample; s != nil && (s.Rate <= 0 || s.Rate > 1) {
		ps = append(ps, l.Problem("filters.sample.rate", "must be in (0, 1], got %g", s.Rate))
	}
	if j.Filters.Limit < 0 {
		ps = append(ps, l.Problem("filters.limit", "must not be negative"))
	}
	for i, f := range j.Output.Formats {
		if !oneOf(f, "parquet", "arrow", "feather", "jsonl") {
			ps = append(ps, l.Problem(fmt.Sprintf("output.formats[%d]", i), "unknown format %q (parquet, arrow = Arrow IPC stream, feather = Arrow IPC file, jsonl)", f))
		}
	}
	if j.MaxRejectRatio < 0 || j.MaxRejectRatio > 1 {
		ps = append(ps, l.Problem("max_reject_ratio", "must be in [0, 1]"))
	}
	if j.Concurrency.Workers < 0 || j.Concurrency.BatchSize < 0 {
		ps = append(ps, l.Problem("concurrency", "workers and batch_size must not be negative"))
	}
	ps = append(ps, l.checkLabelMaps()...)
	ps = append(ps, l.checkMetrics()...)
	ps = append(ps, l.checkBench()...)
	ps = append(ps, l.checkCalibrate()...)
	ps = append(ps, l.checkViews()...)
	ps = append(ps, l.checkSections()...)
	mps, _, excused := checkMethods(l.File, l.lines, j.Methods, rules.MethodTypes, env, l.Skipped)
	ps = append(ps, mps...)
	ps = append(ps, checkMethodOptions(rules.MethodOptions, l.File, l.lines, j.Methods, l.Skipped)...)
	if rules.AllowUnsetSecrets {
		var rest []MissingVar
		for _, mv := range missing {
			if mv.Secret && !excused[mv.Name] {
				l.Notes = append(l.Notes, fmt.Sprintf("%s:%d: secret %s referenced but unset (run needs it)", l.File, mv.Line, mv.Name))
				continue
			}
			rest = append(rest, mv)
		}
		missing = rest
	}
	ps = append(ps, missingVarProblems(l.File, missing, excused)...)
	return ps
}
