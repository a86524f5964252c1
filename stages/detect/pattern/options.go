package pattern

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
)

// Type is the method type name used in job configs.
const Type = "patterns"

// Defaults of the context rule and the deny list (Presidio's).
const (
	DefaultContextWindow   = 5
	DefaultContextAfter    = 0
	DefaultContextBoost    = 0.35
	DefaultContextMinScore = 0.4
	DefaultDenyListScore   = 1.0
	// MaxContextWindow bounds context_window and context_after.
	MaxContextWindow = 100
)

// Options are the patterns method's YAML options.
type Options struct {
	// Recognizers are the custom recognizers, at least one.
	Recognizers []Recognizer `yaml:"recognizers" required:"true"`
}

// Recognizer is one custom recognizer.
type Recognizer struct {
	// Name identifies the recognizer in messages (unique in the method).
	Name string `yaml:"name" required:"true"`
	// Label is the class of what it finds (upper case, digits and _).
	Label string `yaml:"label" required:"true"`
	// Patterns are regular expressions (RE2 syntax) with their score.
	Patterns []Pattern `yaml:"patterns"`
	// Context words raise the score of a match they are near.
	Context []string `yaml:"context"`
	// ContextWindow is how many words before a match are searched for
	// context words (default 5).
	ContextWindow *int `yaml:"context_window"`
	// ContextAfter is how many words after a match are searched (default 0).
	ContextAfter *int `yaml:"context_after"`
	// ContextBoost is added to the score when a context word is found
	// (default 0.35).
	ContextBoost *float64 `yaml:"context_boost"`
	// ContextMinScore is the least score of a match with context (default 0.4).
	ContextMinScore *float64 `yaml:"context_min_score"`
	// Validator checks pattern matches: one of Validators().
	Validator string `yaml:"validator"`
	// Languages restricts the recognizer to documents in these languages
	// (default all; a document without a language is always searched).
	Languages []string `yaml:"languages"`
	// DenyList are terms always reported with this label.
	DenyList []string `yaml:"deny_list"`
	// DenyListScore is the score of a deny-list match (default 1).
	DenyListScore *float64 `yaml:"deny_list_score"`
	// CaseSensitive makes patterns and deny-list terms case-sensitive; by
	// default both ignore case, as Presidio's do (context words always do).
	CaseSensitive bool `yaml:"case_sensitive"`
}

// Pattern is one regular expression of a recognizer.
type Pattern struct {
	// Name names the pattern in messages (optional).
	Name string `yaml:"name"`
	// Regex is the expression (RE2 syntax).
	Regex string `yaml:"regex" required:"true"`
	// Score is the score of a match, in [0, 1].
	Score float64 `yaml:"score" required:"true"`
}

// Problem is one thing wrong with the options: Path is relative to the
// options (recognizers[1].patterns[0].regex).
type Problem struct {
	Path    string
	Message string
}

// Problems is a list of option problems; as an error it prints all of them.
type Problems []Problem

// Error gives every problem, one per line.
func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = "patterns: " + p.Path + ": " + p.Message
	}
	return strings.Join(lines, "\n")
}

var labelRe = regexp.MustCompile(`^[A-Z][A-Z0-9_]*$`)

// flags are the regexp flags a recognizer's patterns are compiled with:
// Presidio's DOTALL and MULTILINE, and IGNORECASE unless case-sensitive.
func flags(caseSensitive bool) string {
	if caseSensitive {
		return "(?ms)"
	}
	return "(?ims)"
}

// compilePattern compiles one pattern with the recognizer's flags; the
// error says what RE2 lacks when the syntax is Perl-only.
func compilePattern(expr string, caseSensitive bool) (*regexp.Regexp, error) {
	re, err := regexp.Compile(flags(caseSensitive) + "(?:" + expr + ")")
	if err != nil {
		// Compile the expression alone so the message quotes the user's text.
		_, err = regexp.Compile(expr)
		if err == nil {
			return nil, fmt.Errorf("not a valid RE2 expression")
		}
		msg := err.Error()
		if strings.Contains(msg, "Perl syntax") || strings.Contains(msg, "named capture") || strings.Contains(msg, "escape sequence") {
			msg += " (Go's regexp is RE2: no lookaround, no backreferences)"
		}
		return nil, fmt.Errorf("%s", msg)
	}
	if re.MatchString("") {
		return nil, fmt.Errorf("the expression matches the empty string")
	}
	return re, nil
}

// Validate checks the options: at least one recognizer, unique names,
// labels, every regex compiled (RE2), scores in [0, 1], context windows,
// validators and deny-list terms. Every problem is returned.
func Validate(o *Options) Problems {
	var ps Problems
	add := func(path, format string, args ...any) {
		ps = append(ps, Problem{Path: path, Message: fmt.Sprintf(format, args...)})
	}
	if len(o.Recognizers) == 0 {
		add("recognizers", "list at least one recognizer")
	}
	names := map[string]bool{}
	unit := func(path string, v *float64) {
		if v != nil && (*v < 0 || *v > 1) {
			add(path, "must be in [0, 1], got %g", *v)
		}
	}
	window := func(path string, v *int) {
		if v != nil && (*v < 0 || *v > MaxContextWindow) {
			add(path, "must be in [0, %d] words, got %d", MaxContextWindow, *v)
		}
	}
	for i, r := range o.Recognizers {
		at := fmt.Sprintf("recognizers[%d]", i)
		switch {
		case strings.TrimSpace(r.Name) == "":
			add(at+".name", "must not be empty")
		case names[r.Name]:
			add(at+".name", "duplicate recognizer name %q", r.Name)
		}
		names[r.Name] = true
		if !labelRe.MatchString(r.Label) {
			add(at+".label", "label %q must be upper-case letters, digits and _ (such as EMPLOYEE_ID or ACCOUNTNUMBER)", r.Label)
		}
		if len(r.Patterns) == 0 && len(r.DenyList) == 0 {
			add(at, "give patterns or a deny_list")
		}
		for j, p := range r.Patterns {
			pp := fmt.Sprintf("%s.patterns[%d]", at, j)
			if _, err := compilePattern(p.Regex, r.CaseSensitive); err != nil {
				add(pp+".regex", "%v", err)
			}
			if p.Score < 0 || p.Score > 1 {
				add(pp+".score", "must be in [0, 1], got %g", p.Score)
			}
		}
		for j, w := range r.Context {
			if strings.TrimSpace(w) == "" || strings.IndexFunc(w, func(c rune) bool { return !isWordRune(c) }) >= 0 {
				add(fmt.Sprintf("%s.context[%d]", at, j), "context word %q must be one word (letters and digits)", w)
			}
		}
		window(at+".context_window", r.ContextWindow)
		window(at+".context_after", r.ContextAfter)
		unit(at+".context_boost", r.ContextBoost)
		unit(at+".context_min_score", r.ContextMinScore)
		unit(at+".deny_list_score", r.DenyListScore)
		if len(r.Context) == 0 && (r.ContextWindow != nil || r.ContextAfter != nil || r.ContextBoost != nil || r.ContextMinScore != nil) {
			add(at+".context", "context_window, context_after, context_boost and context_min_score need context words")
		}
		if r.Validator != "" {
			if _, ok := validators[r.Validator]; !ok {
				add(at+".validator", "unknown validator %q (known: %s)", r.Validator, strings.Join(Validators(), ", "))
			} else if len(r.Patterns) == 0 {
				add(at+".validator", "a validator checks pattern matches: give patterns")
			}
		}
		for j, t := range r.DenyList {
			if strings.TrimSpace(t) == "" {
				add(fmt.Sprintf("%s.deny_list[%d]", at, j), "empty term")
			}
		}
		for j, l := range r.Languages {
			if strings.TrimSpace(l) == "" {
				add(fmt.Sprintf("%s.languages[%d]", at, j), "empty language")
			}
		}
	}
	return ps
}

// isWordRune reports whether c belongs to a word: a letter, a digit or a
// combining mark.
func isWordRune(c rune) bool {
	return unicode.IsLetter(c) || unicode.IsDigit(c) || unicode.Is(unicode.Mn, c)
}
