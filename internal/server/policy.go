package server

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/piimask/piimask/record"
	"github.com/piimask/piimask/stages/mask"
)

// FieldMethods names the request's methods in PolicyOptions.Overridable.
const FieldMethods = "methods"

// PolicyOptions configure the masking policy of POST /v1/mask: the policy
// applied when a request gives none, and what a request may change. A
// request's policy fields replace the default's (each field whole); the
// operator shorthand counts as the operator field, classes as include.
type PolicyOptions struct {
	// Default is the server's masking policy (the mask job's keys).
	Default mask.Policy
	// Methods are the methods /v1/mask runs when a request names none
	// (default: the first served method).
	Methods []string
	// Overridable lists the fields a request may set: mask.PolicyFields()
	// and FieldMethods. Nil: all of them; empty: none.
	Overridable []string
	// MaxEntries caps the list and map entries of a request's policy
	// (default 256).
	MaxEntries int
	// MaxTermChars caps one allow or deny term of a request, in code
	// points (default 256).
	MaxTermChars int
}

// policyInfo describes the policy in GET /v1/methods (the default policy's
// allow and deny terms are not shown).
type policyInfo struct {
	Operator     string   `json:"operator"`
	Methods      []string `json:"methods"`
	Overridable  []string `json:"overridable"`
	MaxEntries   int      `json:"max_entries"`
	MaxTermChars int      `json:"max_term_chars"`
}

// setupPolicy checks the default policy and builds its masker.
func (s *Server) setupPolicy() error {
	p := &s.opts.Policy
	if p.MaxEntries <= 0 {
		p.MaxEntries = 256
	}
	if p.MaxTermChars <= 0 {
		p.MaxTermChars = 256
	}
	s.overridable = map[string]bool{}
	all := append(mask.PolicyFields(), FieldMethods)
	if p.Overridable == nil {
		p.Overridable = all
	}
	for _, f := range p.Overridable {
		if !slices.Contains(all, f) {
			return fmt.Errorf("serve: policy: overridable field %q unknown (known: %s)", f, strings.Join(all, ", "))
		}
		s.overridable[f] = true
	}
	for _, m := range p.Methods {
		if _, ok := s.byName[m]; !ok {
			return fmt.Errorf("serve: policy.methods: no method named %q", m)
		}
	}
	mk, ae := s.masker(p.Default, "policy", "")
	if ae != nil {
		return fmt.Errorf("serve: %s: %s", ae.Field, ae.Message)
	}
	s.defaultMasker = mk
	return nil
}

// masker validates a policy and builds its masker. prefix names the
// policy's fields in errors; shorthand, when set, is the field the request's
// operator shorthand was given as.
func (s *Server) masker(p mask.Policy, prefix, shorthand string) (*mask.Masker, *apiError) {
	field := func(f string) string {
		if shorthand != "" && (f == mask.FieldOperator+".type" || f == mask.FieldOperator) {
			return shorthand
		}
		return prefix + "." + f
	}
	if fes := p.Validate(&s.opts.Keys); len(fes) > 0 {
		fe := fes[0] // the first problem is the one the response names
		ae := errorf(http.StatusBadRequest, fe.Code, "%s: %s", field(fe.Field), fe.Message)
		if fe.Code == "unknown_operator" {
			ae.Message = fmt.Sprintf("%s: %s; available on this server: %s", field(fe.Field), fe.Message, strings.Join(s.operators(), ", "))
		}
		ae.Field = field(fe.Field)
		return nil, ae
	}
	ops := map[string]string{mask.FieldOperator + ".type": p.Operator.Type}
	for c, o := range p.Operators {
		ops[mask.FieldOperators+"."+c+".type"] = o.Type
	}
	for _, f := range sortedKeys(ops) {
		t := ops[f]
		if t == "" {
			t = mask.OpPlaceholder
		}
		if !s.available[t] {
			ae := errorf(http.StatusBadRequest, "operator_unavailable", "%s: operator %q needs a key the server was not given", field(f), t)
			ae.Field = field(f)
			return nil, ae
		}
	}
	known := func(c string) bool { return s.known[c] || c == "CUSTOM" }
	deny := map[string]bool{}
	for _, d := range p.Deny {
		deny[d.Label] = true
	}
	for _, fc := range p.Classes() {
		if !known(fc[1]) && !deny[fc[1]] {
			ae := errorf(http.StatusBadRequest, "unknown_class", "%s: unknown class %q (GET /v1/methods lists the classes)", field(fc[0]), fc[1])
			ae.Field = field(fc[0])
			return nil, ae
		}
	}
	mk, err := mask.New(p.Config(s.opts.Keys))
	if err != nil {
		ae := errorf(http.StatusBadRequest, "invalid_policy", "%s: %v", prefix, err)
		ae.Field = prefix
		return nil, ae
	}
	return mk, nil
}

// requestMasker is the masker of one /v1/mask request: the default
// policy's, or the default overridden by what the request sets (checked
// against Overridable and the limits).
func (s *Server) requestMasker(req *apiRequest) (*mask.Masker, string, *apiError) {
	def := s.opts.Policy
	forbidden := func(field, what string) *apiError {
		ae := errorf(http.StatusForbidden, "policy_override_forbidden", "%s: this server does not let requests set %s (allowed: %s)", field, what, strings.Join(def.Overridable, ", "))
		ae.Field = field
		return ae
	}
	if len(req.Methods) > 0 && !s.overridable[FieldMethods] {
		return nil, "", forbidden("methods", "the methods")
	}
	if len(req.Classes) > 0 && !s.overridable[mask.FieldInclude] {
		return nil, "", forbidden("classes", "the classes masked (include)")
	}
	var o mask.Policy
	if req.Policy != nil {
		o = *req.Policy
	}
	shorthand := ""
	if req.Operator != "" {
		if o.Operator != (mask.OperatorSpec{}) {
			ae := errorf(http.StatusBadRequest, "conflicting_operator", "operator: give operator or policy.operator, not both")
			ae.Field = "operator"
			return nil, "", ae
		}
		o.Operator = mask.OperatorSpec{Type: req.Operator}
		shorthand = "operator"
	}
	set := o.Set()
	if len(set) == 0 {
		return s.defaultMasker, effectiveOperator(def.Default), nil
	}
	for _, f := range set {
		if !s.overridable[f] {
			name := "policy." + f
			if f == mask.FieldOperator && shorthand != "" {
				name = shorthand
			}
			return nil, "", forbidden(name, "policy field "+f)
		}
	}
	if n := o.Entries(); n > def.MaxEntries {
		ae := errorf(http.StatusRequestEntityTooLarge, "policy_too_large", "policy: %d entries (operators, include, exclude, min_score, allow, deny); the limit is %d", n, def.MaxEntries)
		ae.Field = "policy"
		return nil, "", ae
	}
	terms := map[string]string{}
	for i, a := range o.Allow {
		terms[fmt.Sprintf("policy.allow[%d]", i)] = a
	}
	for i, d := range o.Deny {
		terms[fmt.Sprintf("policy.deny[%d].term", i)] = d.Term
	}
	for _, f := range sortedKeys(terms) {
		if n := record.CodePointLen(terms[f]); n > def.MaxTermChars {
			ae := errorf(http.StatusRequestEntityTooLarge, "policy_too_large", "%s: %d characters; the limit is %d", f, n, def.MaxTermChars)
			ae.Field = f
			return nil, "", ae
		}
	}
	eff := def.Default.Override(o)
	mk, ae := s.masker(eff, "policy", shorthand)
	if ae != nil {
		return nil, "", ae
	}
	return mk, effectiveOperator(eff), nil
}

func effectiveOperator(p mask.Policy) string {
	if p.Operator.Type == "" {
		return mask.OpPlaceholder
	}
	return p.Operator.Type
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
