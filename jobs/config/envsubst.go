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
}

// interpolate replaces ${VAR} and ${VAR:-default} in data; $${ escapes a
// literal "${". Line numbers are preserved (values with newlines are
// rejected by the caller's validation only if they break YAML).
func interpolate(data string, env LookupEnv) (string, []MissingVar) {
	var missing []MissingVar
	lines := strings.SplitAfter(data, "\n")
	for i, line := range lines {
		lines[i] = envPattern.ReplaceAllStringFunc(line, func(m string) string {
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
		})
	}
	sort.SliceStable(missing, func(a, b int) bool { return missing[a].Line < missing[b].Line })
	return strings.Join(lines, ""), missing
}
