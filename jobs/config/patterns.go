package config

import (
	"fmt"
	"reflect"

	"github.com/goccy/go-yaml/ast"

	"github.com/piimask/piimask/stages/detect"
	"github.com/piimask/piimask/stages/detect/pattern"
)

// methodOptionTypes are the method types whose options the config checker
// knows the shape of: their unknown keys, wrong types and missing fields
// are reported at their line like the rest of the config, and
// checkMethodOptions validates their values (regexes, validators, scores).
var methodOptionTypes = map[string]reflect.Type{
	pattern.Type: reflect.TypeOf(pattern.Options{}),
}

var methodType = reflect.TypeOf(Method{})

// optionsType returns the type to check a method's options against when the
// mapping m is a Method whose type has known options (nil otherwise).
func optionsType(t reflect.Type, m []*ast.MappingValueNode) reflect.Type {
	if t != methodType {
		return nil
	}
	for _, mv := range m {
		if mv.Key.String() == "type" {
			if s, ok := scalarString(mv.Value); ok {
				return methodOptionTypes[s]
			}
		}
	}
	return nil
}

// checkMethodOptions validates the options of the methods whose option
// types the config knows (type: patterns): every bad regex, unknown
// validator or out-of-range score, at its line.
func checkMethodOptions(file string, lines map[string]int, methods []Method) Problems {
	var ps Problems
	for i, m := range methods {
		if m.Type != pattern.Type {
			continue
		}
		base := fmt.Sprintf("methods[%d].options", i)
		var opts pattern.Options
		if err := detect.DecodeOptions(m.Options, &opts); err != nil {
			ps = append(ps, Problem{File: file, Line: lines[base], Path: base, Message: err.Error()})
			continue
		}
		if len(m.Options) == 0 {
			ps = append(ps, Problem{File: file, Line: lines[fmt.Sprintf("methods[%d]", i)], Path: base + ".recognizers", Message: "a patterns method needs options.recognizers"})
			continue
		}
		for _, p := range pattern.Validate(&opts) {
			path := base + "." + p.Path
			ps = append(ps, Problem{File: file, Line: lineNear(lines, path), Path: path, Message: p.Message})
		}
	}
	return ps
}

// lineNear is the line of path, or of its closest parent that has one.
func lineNear(lines map[string]int, path string) int {
	for path != "" {
		if l, ok := lines[path]; ok && l > 0 {
			return l
		}
		cut := -1
		for i := len(path) - 1; i >= 0; i-- {
			if path[i] == '.' || path[i] == '[' {
				cut = i
				break
			}
		}
		if cut < 0 {
			break
		}
		path = path[:cut]
	}
	return 0
}
