package config

import (
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// configs/reference.yaml shows every key with its default: each value it
// gives, unless its line says (example), equals the code's default
// (Defaults). Method options are left to each method.
func TestReferenceDefaults(t *testing.T) {
	const file = "../../configs/reference.yaml"
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	l, err := Load(file, raw, envOf(nil), Rules{})
	if err != nil {
		t.Fatal(err)
	}
	src := strings.Split(string(raw), "\n")
	def := Defaults()
	var leaves []string
	for p := range l.lines {
		if p == "" || strings.Contains(p, "[") || p == "methods" || strings.HasPrefix(p, "methods.") {
			continue
		}
		leaf := true
		for q := range l.lines {
			if strings.HasPrefix(q, p+".") {
				leaf = false
				break
			}
		}
		if leaf {
			leaves = append(leaves, p)
		}
	}
	sort.Strings(leaves)
	if len(leaves) < 50 {
		t.Fatalf("only %d keys found in %s", len(leaves), file)
	}
	checked := 0
	for _, p := range leaves {
		line := l.lines[p]
		if line > 0 && strings.Contains(src[line-1], "(example)") {
			continue
		}
		got, ok1 := fieldAt(reflect.ValueOf(*l.Job), p)
		want, ok2 := fieldAt(reflect.ValueOf(def), p)
		if !ok1 || !ok2 {
			t.Errorf("%s:%d: %s: not a config key", file, line, p)
			continue
		}
		checked++
		if !sameValue(got, want) {
			t.Errorf("%s:%d: %s is %v in reference.yaml but defaults to %v (fix the file, or mark the line (example))", file, line, p, got.Interface(), want.Interface())
		}
	}
	t.Logf("%d keys compared with their defaults", checked)
}

// fieldAt follows a dotted yaml path through v (nil pointers read as zero).
func fieldAt(v reflect.Value, path string) (reflect.Value, bool) {
	for _, key := range strings.Split(path, ".") {
		for v.Kind() == reflect.Pointer {
			if v.IsNil() {
				v = reflect.Zero(v.Type().Elem())
			} else {
				v = v.Elem()
			}
		}
		if v.Kind() != reflect.Struct {
			return v, false
		}
		f, ok := yamlFields(v.Type())[key]
		if !ok {
			return v, false
		}
		v = fieldByIndexZero(v, f)
	}
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			v = reflect.Zero(v.Type().Elem())
		} else {
			v = v.Elem()
		}
	}
	return v, true
}

// fieldByIndexZero finds f's field in v by name, through inline structs.
func fieldByIndexZero(v reflect.Value, f reflect.StructField) reflect.Value {
	if fv := v.FieldByName(f.Name); fv.IsValid() {
		return fv
	}
	return reflect.Zero(f.Type)
}

// sameValue compares two values, empty and nil slices alike.
func sameValue(a, b reflect.Value) bool {
	if a.Kind() == reflect.Slice && b.Kind() == reflect.Slice && a.Len() == 0 && b.Len() == 0 {
		return true
	}
	return reflect.DeepEqual(a.Interface(), b.Interface())
}
