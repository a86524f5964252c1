package config

import (
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/goccy/go-yaml/ast"
)

// Problem is one thing wrong with a config, at a line of its file.
type Problem struct {
	File    string
	Line    int
	Path    string
	Message string
}

// String gives the problem as "file:line: path: message".
func (p Problem) String() string {
	loc := p.File
	if p.Line > 0 {
		loc = fmt.Sprintf("%s:%d", p.File, p.Line)
	}
	if p.Path != "" {
		return fmt.Sprintf("%s: %s: %s", loc, p.Path, p.Message)
	}
	return fmt.Sprintf("%s: %s", loc, p.Message)
}

// Problems is a list of config problems; as an error it prints all of them.
type Problems []Problem

// Error gives every problem, one per line.
func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// checker walks a YAML AST against a Go struct type, collecting every unknown
// key, wrong type and missing required field, and remembering the line of
// every path for later semantic checks.
type checker struct {
	problems Problems
	lines    map[string]int
	file     string
	// methodOptions gives a method type's declared options struct.
	methodOptions optionShapes
}

func (c *checker) add(line int, path, format string, args ...any) {
	c.problems = append(c.problems, Problem{File: c.file, Line: line, Path: path, Message: fmt.Sprintf(format, args...)})
}

func lineOf(n ast.Node) int {
	if n == nil || n.GetToken() == nil {
		return 0
	}
	return n.GetToken().Position.Line
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

var (
	durationType = reflect.TypeOf(time.Duration(0))
	labelMapType = reflect.TypeOf(LabelMap{})
)

// yamlFields maps a struct's yaml keys to fields (inline structs flattened).
func yamlFields(t reflect.Type) map[string]reflect.StructField {
	out := map[string]reflect.StructField{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("yaml")
		name, opts, _ := strings.Cut(tag, ",")
		if name == "-" {
			continue
		}
		if strings.Contains(opts, "inline") {
			for k, v := range yamlFields(f.Type) {
				out[k] = v
			}
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		out[name] = f
	}
	return out
}

// check checks node n against type t at path, recording the line of every
// path it meets.
func (c *checker) check(n ast.Node, t reflect.Type, path string) {
	n = unwrap(n)
	if n == nil {
		return
	}
	c.lines[path] = lineOf(n)
	if _, isNull := n.(*ast.NullNode); isNull {
		return
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == labelMapType:
		c.checkLabelMap(n, path)
		return
	case t == durationType:
		c.checkDuration(n, path)
		return
	}
	switch t.Kind() {
	case reflect.Struct:
		c.checkStruct(n, t, path)
	case reflect.Slice:
		seq, ok := n.(*ast.SequenceNode)
		if !ok {
			c.add(lineOf(n), path, "want a list, got %s", describe(n))
			return
		}
		for i, v := range seq.Values {
			c.check(v, t.Elem(), fmt.Sprintf("%s[%d]", path, i))
		}
	case reflect.Map:
		m := mappingValues(n)
		if m == nil {
			c.add(lineOf(n), path, "want a mapping (key: value), got %s", describe(n))
			return
		}
		for _, mv := range m {
			c.check(mv.Value, t.Elem(), join(path, mv.Key.String()))
		}
	case reflect.Interface:
		// Free-form (method options): checked by the method itself.
	default:
		c.checkScalar(n, t.Kind(), path)
	}
}

// unwrap gives the node a document, anchor or tag node stands for.
func unwrap(n ast.Node) ast.Node {
	for {
		switch v := n.(type) {
		case *ast.DocumentNode:
			n = v.Body
		case *ast.AnchorNode:
			n = v.Value
		case *ast.TagNode:
			n = v.Value
		default:
			return n
		}
	}
}

// checkLabelMap checks a label map: a map's name, or a mapping of labels.
func (c *checker) checkLabelMap(n ast.Node, path string) {
	if _, ok := scalarString(n); ok {
		return
	}
	m := mappingValues(n)
	if m == nil {
		c.add(lineOf(n), path, "want a label map name (such as ai4privacy-400k) or a mapping of label: label, got %s", describe(n))
		return
	}
	for _, mv := range m {
		if _, ok := scalarString(mv.Value); !ok {
			c.add(lineOf(mv.Value), join(path, mv.Key.String()), "want a label, got %s", describe(mv.Value))
		}
	}
}

// checkDuration checks a Go duration such as 30s.
func (c *checker) checkDuration(n ast.Node, path string) {
	s, ok := scalarString(n)
	if !ok {
		c.add(lineOf(n), path, "want a duration such as 30s or 2m, got %s", describe(n))
		return
	}
	if _, err := time.ParseDuration(s); err != nil {
		c.add(lineOf(n), path, "want a duration such as 30s or 2m, got %q", s)
	}
}

// checkStruct checks a mapping against struct t: unknown keys, the type of
// every value (a method's options against its declared shape) and the
// required keys.
func (c *checker) checkStruct(n ast.Node, t reflect.Type, path string) {
	m := mappingValues(n)
	if m == nil {
		c.add(lineOf(n), path, "want a mapping (key: value), got %s", describe(n))
		return
	}
	fields := yamlFields(t)
	seen := map[string]bool{}
	optType := c.optionsType(t, m) // a method type whose options have a known shape
	for _, mv := range m {
		key := mv.Key.String()
		f, ok := fields[key]
		if !ok {
			c.add(lineOf(mv.Key), join(path, key), "unknown key %q (known: %s)", key, knownKeys(fields))
			continue
		}
		seen[key] = true
		ft := f.Type
		if key == "options" && optType != nil {
			ft = optType
		}
		c.check(mv.Value, ft, join(path, key))
	}
	for name, f := range fields {
		if f.Tag.Get("required") == "true" && !seen[name] {
			c.add(lineOf(n), join(path, name), "required key %q is missing", name)
		}
	}
}

// checkScalar checks a string, boolean or number of kind k.
func (c *checker) checkScalar(n ast.Node, k reflect.Kind, path string) {
	switch k {
	case reflect.String:
		if _, ok := scalarString(n); !ok {
			c.add(lineOf(n), path, "want a string, got %s", describe(n))
		}
	case reflect.Bool:
		if _, ok := n.(*ast.BoolNode); !ok {
			c.add(lineOf(n), path, "want true or false, got %s", describe(n))
		}
	case reflect.Int, reflect.Int64, reflect.Int32:
		s, ok := scalarString(n)
		if _, err := strconv.ParseInt(strings.ReplaceAll(s, "_", ""), 0, 64); !ok || err != nil {
			c.add(lineOf(n), path, "want a whole number, got %s", describe(n))
		}
	case reflect.Float64, reflect.Float32:
		s, ok := scalarString(n)
		if _, err := strconv.ParseFloat(strings.ReplaceAll(s, "_", ""), 64); !ok || err != nil {
			c.add(lineOf(n), path, "want a number, got %s", describe(n))
		}
	}
}

func mappingValues(n ast.Node) []*ast.MappingValueNode {
	switch m := n.(type) {
	case *ast.MappingNode:
		return m.Values
	case *ast.MappingValueNode:
		return []*ast.MappingValueNode{m}
	}
	return nil
}

func scalarString(n ast.Node) (string, bool) {
	switch v := n.(type) {
	case *ast.StringNode:
		return v.Value, true
	case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode, *ast.LiteralNode, *ast.InfinityNode, *ast.NanNode:
		return v.GetToken().Value, true
	}
	return "", false
}

func describe(n ast.Node) string {
	switch n.(type) {
	case *ast.MappingNode, *ast.MappingValueNode:
		return "a mapping"
	case *ast.SequenceNode:
		return "a list"
	case *ast.NullNode:
		return "nothing"
	}
	if s, ok := scalarString(n); ok {
		return strconv.Quote(s)
	}
	return n.Type().String()
}

func knownKeys(fields map[string]reflect.StructField) string {
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return strings.Join(keys, ", ")
}
