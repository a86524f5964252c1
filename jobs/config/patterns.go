package config

import (
	"fmt"
	"reflect"

	"github.com/goccy/go-yaml/ast"

	"github.com/piimask/piimask/stages/detect"
	"github.com/piimask/piimask/stages/detect/pattern"
)

// builtinOptionTypes are the option shapes the config knows without a
// registry (LoadServe callers that pass none): the patterns method's.
var builtinOptionTypes = map[string]reflect.Type{
	pattern.Type: reflect.TypeOf(pattern.Options{}),
}

// optionsTypeOf is the options struct type of a method type: the one its
// registration declared (Rules.MethodOptions), else a built-in one, else
// nil (free-form options, checked by the constructor only).
func (o optionShapes) typeOf(typ string) reflect.Type {
	if o != nil {
		if t := o(typ); t != nil {
			return t
		}
	}
	return builtinOptionTypes[typ]
}

// optionShapes gives a method type's declared options struct type (nil:
// none declared); detect.Registry.OptionsType is one.
type optionShapes func(typ string) reflect.Type

// optionsType returns the type to check the options of a method spec
// against: t is a struct with `type` and `options` keys (a job's method, an
// ensemble member) and m its mapping; nil when the type's options have no
// declared shape.
func (c *checker) optionsType(t reflect.Type, m []*ast.MappingValueNode) reflect.Type {
	fields := yamlFields(t)
	if _, ok := fields["options"]; !ok {
		return nil
	}
	if _, ok := fields["type"]; !ok {
		return nil
	}
	for _, mv := range m {
		if mv.Key.String() == "type" {
			if s, ok := scalarString(mv.Value); ok {
				return c.methodOptions.typeOf(s)
			}
		}
	}
	return nil
}

// Checker is implemented by method options that can check their own
// values (after the shape is checked): the error names the option.
type Checker interface{ Check() error }

// checkMethodOptions validates option values: the patterns method's (every
// bad regex, unknown validator or out-of-range score, at its line) and,
// for a method type whose declared options implement Checker, its Check.
func checkMethodOptions(shapes optionShapes, file string, lines map[string]int, methods []Method, skipped map[string]string) Problems {
	var ps Problems
	for i, m := range methods {
		base := fmt.Sprintf("methods[%d].options", i)
		if m.Type != pattern.Type {
			if _, skip := skipped[m.Name]; skip {
				continue // its values may come from the unset variables
			}
			t := shapes.typeOf(m.Type)
			if t == nil {
				continue
			}
			v := reflect.New(t)
			if err := detect.DecodeOptions(m.Options, v.Interface()); err != nil {
				ps = append(ps, Problem{File: file, Line: lineNear(lines, base), Path: base, Message: err.Error()})
				continue
			}
			if ck, ok := v.Interface().(Checker); ok {
				if err := ck.Check(); err != nil {
					ps = append(ps, Problem{File: file, Line: lineNear(lines, base), Path: base, Message: err.Error()})
				}
			}
			continue
		}
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
