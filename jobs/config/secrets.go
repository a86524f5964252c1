package config

import (
	"strings"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// secretKey reports whether a config key holds a secret by its name.
func secretKey(key string) bool {
	k := strings.ToLower(key)
	switch k {
	case "api_key", "apikey", "api_token", "access_token", "auth_token", "token", "secret", "secret_key", "client_secret", "password":
		return true
	}
	return strings.HasSuffix(k, "_api_key") || strings.HasSuffix(k, "_secret")
}

// scanSecrets reports every secret-named key whose value in the raw config
// (before interpolation) is a literal rather than a ${VAR} reference:
// secrets come from the environment, never from files that end up in a
// repository. The problem names the key and line, never the value. It also
// returns the lines of the secret-named keys whose value is a ${VAR}
// reference.
func scanSecrets(file string, raw []byte) (Problems, map[int]bool) {
	refs := map[int]bool{}
	f, err := parser.ParseBytes(raw, 0)
	if err != nil {
		return nil, refs // the interpolated text is parsed (and reported) next
	}
	var ps Problems
	var walk func(n ast.Node, path string)
	walk = func(n ast.Node, path string) {
		switch v := n.(type) {
		case *ast.DocumentNode:
			walk(v.Body, path)
		case *ast.MappingNode:
			for _, mv := range v.Values {
				walk(mv, path)
			}
		case *ast.MappingValueNode:
			key := v.Key.String()
			p := join(path, key)
			if s, ok := scalarString(v.Value); ok && secretKey(key) && s != "" && !strings.Contains(s, "${") {
				ps = append(ps, Problem{File: file, Line: lineOf(v.Key), Path: p,
					Message: "a secret must not be written in a config file: use ${ENV_VAR} and set the variable in the environment"})
			}
			if s, ok := scalarString(v.Value); ok && secretKey(key) && strings.Contains(s, "${") {
				refs[lineOf(v.Value)] = true
			}
			walk(v.Value, p)
		case *ast.SequenceNode:
			for _, x := range v.Values {
				walk(x, path+"[]")
			}
		case *ast.AnchorNode:
			walk(v.Value, path)
		case *ast.TagNode:
			walk(v.Value, path)
		}
	}
	for _, d := range f.Docs {
		walk(d, "")
	}
	return ps, refs
}
