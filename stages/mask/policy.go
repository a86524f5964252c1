package mask

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Policy is a masking policy as a user writes it: the mask job's `mask:`
// section and the `policy` of a POST /v1/mask request share it, so both
// are checked by Validate and turned into a Masker by Config — one code
// path. A zero field means "not set" (an empty list that is set is a
// non-nil empty slice).
type Policy struct {
	// Ensemble combines several methods: union (default), majority or
	// priority (methods in the order listed).
	Ensemble string `yaml:"ensemble" json:"ensemble,omitempty"`
	// Operator is the default operator.
	Operator OperatorSpec `yaml:"operator" json:"operator,omitzero"`
	// Operators overrides the operator per class.
	Operators map[string]OperatorSpec `yaml:"operators" json:"operators,omitempty"`
	// Include, when set, masks only these classes; Exclude never masks these.
	Include []string `yaml:"include" json:"include,omitempty"`
	Exclude []string `yaml:"exclude" json:"exclude,omitempty"`
	// MinScore is a per-class minimum score in [0, 1] ("*" for every other
	// class).
	MinScore map[string]float64 `yaml:"min_score" json:"min_score,omitempty"`
	// Allow lists values never masked; Deny terms always masked.
	Allow []string   `yaml:"allow" json:"allow,omitempty"`
	Deny  []DenyTerm `yaml:"deny" json:"deny,omitempty"`
}

// Policy field names, as written in YAML and JSON.
const (
	FieldEnsemble  = "ensemble"
	FieldOperator  = "operator"
	FieldOperators = "operators"
	FieldInclude   = "include"
	FieldExclude   = "exclude"
	FieldMinScore  = "min_score"
	FieldAllow     = "allow"
	FieldDeny      = "deny"
)

// PolicyFields lists the policy's field names in a stable order.
func PolicyFields() []string {
	return []string{FieldEnsemble, FieldOperator, FieldOperators, FieldInclude, FieldExclude, FieldMinScore, FieldAllow, FieldDeny}
}

// FieldError is one problem of a policy: Field is a dotted path inside the
// policy (operators.EMAIL.type, min_score.*, deny[2].term) and Code a
// stable identifier (unknown_operator, operator_unavailable,
// invalid_operator, unknown_ensemble, invalid_threshold, invalid_deny).
type FieldError struct {
	Field   string
	Code    string
	Message string
}

// Error gives "field: message".
func (e FieldError) Error() string { return e.Field + ": " + e.Message }

// Set lists the fields set in p, in PolicyFields order.
func (p Policy) Set() []string {
	var out []string
	set := map[string]bool{
		FieldEnsemble: p.Ensemble != "", FieldOperator: p.Operator != (OperatorSpec{}), FieldOperators: p.Operators != nil,
		FieldInclude: p.Include != nil, FieldExclude: p.Exclude != nil, FieldMinScore: p.MinScore != nil,
		FieldAllow: p.Allow != nil, FieldDeny: p.Deny != nil,
	}
	for _, f := range PolicyFields() {
		if set[f] {
			out = append(out, f)
		}
	}
	return out
}

// Override returns p with every field set in o replacing p's (a field is
// replaced whole: operators given in o replace all of p's operators).
func (p Policy) Override(o Policy) Policy {
	if o.Ensemble != "" {
		p.Ensemble = o.Ensemble
	}
	if o.Operator != (OperatorSpec{}) {
		p.Operator = o.Operator
	}
	if o.Operators != nil {
		p.Operators = o.Operators
	}
	if o.Include != nil {
		p.Include = o.Include
	}
	if o.Exclude != nil {
		p.Exclude = o.Exclude
	}
	if o.MinScore != nil {
		p.MinScore = o.MinScore
	}
	if o.Allow != nil {
		p.Allow = o.Allow
	}
	if o.Deny != nil {
		p.Deny = o.Deny
	}
	return p
}

// Entries counts the policy's list and map entries (a bound on the work a
// request's policy makes).
func (p Policy) Entries() int {
	return len(p.Operators) + len(p.Include) + len(p.Exclude) + len(p.MinScore) + len(p.Allow) + len(p.Deny)
}

// Validate checks every field of p and returns every problem. With keys
// nil the keyed operators (hash, pseudonym, encrypt) are not checked for
// their key (a config checked before the environment is read); otherwise
// an operator whose key is missing is an operator_unavailable problem.
// Class names are not checked here (the caller knows its classes).
func (p Policy) Validate(keys *Keys) []FieldError {
	var out []FieldError
	add := func(field, code, format string, args ...any) {
		out = append(out, FieldError{Field: field, Code: code, Message: fmt.Sprintf(format, args...)})
	}
	if !ValidEnsemble(p.Ensemble) {
		add(FieldEnsemble, "unknown_ensemble", "unknown ensemble %q (union, majority, priority)", p.Ensemble)
	}
	checkOp := func(field string, s OperatorSpec) {
		s = s.withDefaults()
		if !slices.Contains(OperatorTypes(), s.Type) {
			add(field+".type", "unknown_operator", "unknown operator %q (known: %s)", s.Type, strings.Join(OperatorTypes(), ", "))
			return
		}
		k := Keys{Hash: []byte("k"), Pseudonym: []byte("k"), Encrypt: []byte("k")}
		if keys != nil {
			k = *keys
			need := map[string][]byte{OpHash: k.Hash, OpPseudonym: k.Pseudonym, OpEncrypt: k.Encrypt}
			if key, keyed := need[s.Type]; keyed && len(key) == 0 {
				add(field+".type", "operator_unavailable", "operator %q needs a key that was not given", s.Type)
				return
			}
		}
		if err := s.validate(k); err != nil {
			add(field, "invalid_operator", "%v", err)
		}
	}
	checkOp(FieldOperator, p.Operator)
	for _, class := range sortedKeys(p.Operators) {
		checkOp(FieldOperators+"."+class, p.Operators[class])
	}
	for _, class := range sortedKeys(p.MinScore) {
		if v := p.MinScore[class]; !(v >= 0 && v <= 1) {
			add(FieldMinScore+"."+class, "invalid_threshold", "must be in [0, 1], got %g", v)
		}
	}
	for i, d := range p.Deny {
		if strings.TrimSpace(d.Term) == "" {
			add(fmt.Sprintf("%s[%d].term", FieldDeny, i), "invalid_deny", "empty term")
		}
	}
	for i, a := range p.Allow {
		if strings.TrimSpace(a) == "" {
			add(fmt.Sprintf("%s[%d]", FieldAllow, i), "invalid_allow", "empty value")
		}
	}
	return out
}

// Classes lists the class names p refers to, each with its field: the
// operators' and min_score's keys ("*" left out), include and exclude.
func (p Policy) Classes() [][2]string {
	var out [][2]string
	for _, c := range sortedKeys(p.Operators) {
		out = append(out, [2]string{FieldOperators + "." + c, c})
	}
	for _, c := range sortedKeys(p.MinScore) {
		if c != "*" {
			out = append(out, [2]string{FieldMinScore + "." + c, c})
		}
	}
	for i, c := range p.Include {
		out = append(out, [2]string{fmt.Sprintf("%s[%d]", FieldInclude, i), c})
	}
	for i, c := range p.Exclude {
		out = append(out, [2]string{fmt.Sprintf("%s[%d]", FieldExclude, i), c})
	}
	return out
}

// Config is the Masker configuration of p with keys.
func (p Policy) Config(keys Keys) Config {
	c := Config{Default: p.Operator, PerClass: map[string]OperatorSpec{}, Ensemble: p.Ensemble, Keys: keys,
		Selection: Selection{Include: p.Include, Exclude: p.Exclude, MinScore: p.MinScore, Allow: p.Allow, Deny: p.Deny}}
	for class, o := range p.Operators {
		c.PerClass[class] = o
	}
	return c
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
