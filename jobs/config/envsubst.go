package config

import (
	"regexp"
	"sort"
	"strings"
)

var envPattern = regexp.MustCompile(`\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?\}`)

// LookupEnv finds an environment variable (os.LookupEnv in production; a map
// in tests).
type LookupEnv func(name string) (string, bool)

// MissingVar is a ${VAR} reference with no value and no default.
type MissingVar struct {
	Name string
	Line int
	// Secret is set when the reference is the value of a secret-named key
	// (api_key, token, …).
	Secret bool
}

// interpolate replaces ${VAR} and ${VAR:-default} in data; $${ escapes a
// literal "${". Line numbers are preserved (values with newlines are
// rejected by the caller's validation only if they break YAML).
func interpolate(data string, env LookupEnv) (string, []MissingVar) {
	var missing []MissingVar
	lines := strings.SplitAfter(data, "\n")
	for i, line := range lines {
		body, comment := splitComment(line)
		lines[i] = envPattern.ReplaceAllStringFunc(body, func(m string) string {
			if m == "$${" {
				return "${"
			}
			sub := envPattern.FindStringSubmatch(m)
			if v, ok := env(sub[1]); ok && v != "" {
				return v
			}
			if sub[2] != "" {
				return sub[3]
			}
			missing = append(missing, MissingVar{Name: sub[1], Line: i + 1})
			return ""
		}) + comment
	}
	sort.SliceStable(missing, func(a, b int) bool { return missing[a].Line < missing[b].Line })
	return strings.Join(lines, ""), missing
}

// splitComment cuts a YAML line before its comment: a '#' at the start of the
// line or after white space, outside single- and double-quoted strings.
// Comments are never interpolated.
func splitComment(line string) (body, comment string) {
	var quote byte
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case quote != 0:
			if c == '\\' && quote == '"' {
				i++
			} else if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '#' && (i == 0 || line[i-1] == ' ' || line[i-1] == '\t'):
			return line[:i], line[i:]
		}
	}
	return line, ""
}
