package config

import (
	"fmt"
	"slices"
	"strings"

	"github.com/piimask/piimask/stages/mask"
)

// ServePolicy is the serve config's `policy:` section: the masking policy
// POST /v1/mask applies when a request gives none (the mask job's policy
// keys: ensemble, operator, operators, include, exclude, min_score, allow,
// deny), the methods it uses, which fields a request may override, and
// bounds on a request's policy.
type ServePolicy struct {
	// Policy is the default masking policy.
	mask.Policy `yaml:",inline"`
	// Methods are the methods /v1/mask runs when a request names none
	// (default: the first configured method).
	Methods []string `yaml:"methods"`
	// Overridable lists what a request may set: policy fields (ensemble,
	// operator, operators, include, exclude, min_score, allow, deny) and
	// methods; the request's operator shorthand counts as operator and its
	// classes as include. Absent: everything; an empty list: nothing.
	Overridable []string `yaml:"overridable"`
	// Limits bound a request's policy.
	Limits PolicyLimits `yaml:"limits"`
}

// PolicyLimits bound the policy of one /v1/mask request.
type PolicyLimits struct {
	// MaxEntries caps the list and map entries of a request's policy
	// (operators + include + exclude + min_score + allow + deny; default 256).
	MaxEntries int `yaml:"max_entries"`
	// MaxTermChars caps one allow or deny term, in code points (default 256).
	MaxTermChars int `yaml:"max_term_chars"`
}

// OverridableFields are the names policy.overridable accepts.
func OverridableFields() []string { return append(mask.PolicyFields(), "methods") }

// checkPolicy checks the serve config's policy section.
func (l *LoadedServe) checkPolicy(methodNames map[string]bool) Problems {
	p := l.Config.Policy
	if p == nil {
		return nil
	}
	ps := policyProblems(l.File, l.lines, "policy", p.Policy)
	for i, m := range p.Methods {
		if !methodNames[m] {
			ps = append(ps, l.problem(fmt.Sprintf("policy.methods[%d]", i), "no method named %q", m))
		}
	}
	for i, f := range p.Overridable {
		if !slices.Contains(OverridableFields(), f) {
			ps = append(ps, l.problem(fmt.Sprintf("policy.overridable[%d]", i), "unknown field %q (known: %s)", f, strings.Join(OverridableFields(), ", ")))
		}
	}
	if p.Limits.MaxEntries < 0 || p.Limits.MaxTermChars < 0 {
		ps = append(ps, l.problem("policy.limits", "max_entries and max_term_chars must not be negative"))
	}
	return ps
}
