package ensemble

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/piimask/piimask/record"
	"github.com/piimask/piimask/stages/detect"
	"github.com/piimask/piimask/stages/mask"
)

// Type is the method type name used in job configs.
const Type = "ensemble"

// Member is one inline member method spec.
type Member struct {
	Name    string         `yaml:"name"`
	Type    string         `yaml:"type"`
	Options map[string]any `yaml:"options"`
}

// Options are the ensemble method's YAML options.
type Options struct {
	// Mode is union (default), majority or priority.
	Mode string `yaml:"mode"`
	// Methods are the members, in order (the order ranks them under
	// priority).
	Methods []Member `yaml:"methods"`
}

// Method runs its members and resolves their spans. It is safe for
// concurrent use when its members are.
type Method struct {
	name    string
	mode    string
	members []detect.Method
}

// Register adds the "ensemble" method type to reg. Members are built with
// reg itself, so any registered type (another ensemble included) can be one.
func Register(reg *detect.Registry) {
	reg.Register(Type, func(ctx context.Context, spec detect.Spec) (detect.Method, error) {
		var opts Options
		if err := detect.DecodeOptions(spec.Options, &opts); err != nil {
			return nil, err
		}
		return Build(ctx, reg, spec.Name, opts, spec.Labels)
	})
}

// Build checks opts and builds the members with reg; labels is the job's
// label set, passed to every member.
func Build(ctx context.Context, reg *detect.Registry, name string, opts Options, labels []string) (*Method, error) {
	if !mask.ValidEnsemble(opts.Mode) {
		return nil, fmt.Errorf("ensemble: mode %q: want union, majority or priority", opts.Mode)
	}
	if len(opts.Methods) == 0 {
		return nil, errors.New("ensemble: methods: at least one member method is needed")
	}
	if name == "" {
		name = Type
	}
	seen := map[string]bool{}
	m := &Method{name: name, mode: opts.Mode}
	for i, mb := range opts.Methods {
		if mb.Type == "" {
			m.Close()
			return nil, fmt.Errorf("ensemble: methods[%d]: type is required", i)
		}
		if mb.Name == "" {
			mb.Name = mb.Type
		}
		if seen[mb.Name] {
			m.Close()
			return nil, fmt.Errorf("ensemble: methods[%d]: name %q used twice (give each member a distinct name)", i, mb.Name)
		}
		seen[mb.Name] = true
		mm, err := reg.New(ctx, detect.Spec{Name: mb.Name, Type: mb.Type, Options: mb.Options, Labels: labels})
		if err != nil {
			m.Close()
			return nil, fmt.Errorf("ensemble: methods[%d]: %w", i, err)
		}
		m.members = append(m.members, mm)
	}
	return m, nil
}

// New wraps already built members (owned by the ensemble from then on).
func New(name, mode string, members ...detect.Method) (*Method, error) {
	if !mask.ValidEnsemble(mode) {
		return nil, fmt.Errorf("ensemble: mode %q: want union, majority or priority", mode)
	}
	if len(members) == 0 {
		return nil, errors.New("ensemble: at least one member method is needed")
	}
	if name == "" {
		name = Type
	}
	return &Method{name: name, mode: mode, members: members}, nil
}

// Name is the method's name in the job.
func (m *Method) Name() string { return m.name }

// Close closes every member.
func (m *Method) Close() error {
	var errs []error
	for _, mm := range m.members {
		if err := mm.Close(); err != nil {
			errs = append(errs, fmt.Errorf("ensemble member %s: %w", mm.Name(), err))
		}
	}
	return errors.Join(errs...)
}

// Detect runs every member on the batch and resolves their spans per
// document. A document on which a member failed gets that failure (member
// name first) and no spans: like the mask job, the ensemble never answers
// with less than all its members. Diagnostics are summed under
// "<member>/<kind>", usage is summed.
func (m *Method) Detect(ctx context.Context, batch []record.Record) ([]detect.Prediction, error) {
	all := make([][]detect.Prediction, len(m.members))
	for i, mm := range m.members {
		p, err := mm.Detect(ctx, batch)
		if err != nil {
			return nil, fmt.Errorf("ensemble member %s: %w", mm.Name(), err)
		}
		if len(p) != len(batch) {
			return nil, fmt.Errorf("ensemble member %s: %d predictions for %d documents", mm.Name(), len(p), len(batch))
		}
		all[i] = p
	}
	out := make([]detect.Prediction, len(batch))
	ms := make([]mask.MethodSpans, len(m.members))
	for d := range batch {
		var fails []string
		for i, mm := range m.members {
			p := all[i][d]
			ms[i] = mask.MethodSpans{Method: mm.Name(), Spans: p.Spans}
			if p.Failure != "" {
				fails = append(fails, mm.Name()+": "+p.Failure)
			}
			for k, v := range p.Diagnostics {
				if out[d].Diagnostics == nil {
					out[d].Diagnostics = map[string]int{}
				}
				out[d].Diagnostics[mm.Name()+"/"+k] += v
			}
			out[d].Usage.PromptTokens += p.Usage.PromptTokens
			out[d].Usage.CompletionTokens += p.Usage.CompletionTokens
			out[d].Usage.Requests += p.Usage.Requests
			out[d].Usage.CostUSD += p.Usage.CostUSD
		}
		if len(fails) > 0 {
			sort.Strings(fails)
			out[d].Failure = strings.Join(fails, "; ")
			continue
		}
		spans, err := Resolve(m.mode, batch[d].Text, ms)
		if err != nil {
			return nil, err
		}
		out[d].Spans = spans
	}
	return out, nil
}

// Resolve combines one document's per-method spans under mode and resolves
// their overlaps (mask.Combine then mask.ResolveCandidates): the spans the
// mask job would mask with no selection configured, sorted by start.
func Resolve(mode, text string, preds []mask.MethodSpans) ([]record.Span, error) {
	cands, err := mask.Combine(mode, preds)
	if err != nil {
		return nil, err
	}
	kept := mask.ResolveCandidates(cands, record.CodePointLen(text), mode == mask.EnsemblePriority)
	if len(kept) == 0 {
		return nil, nil
	}
	spans := make([]record.Span, len(kept))
	for i, c := range kept {
		spans[i] = c.Span
	}
	return spans, nil
}
