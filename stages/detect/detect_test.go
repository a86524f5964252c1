package detect_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"reflect"
	"strings"
	"testing"

	"github.com/piimask/piimask/record"
	"github.com/piimask/piimask/stages/detect"
)

type nopMethod struct{ name string }

func (m nopMethod) Name() string { return m.name }
func (m nopMethod) Detect(_ context.Context, b []record.Record) ([]detect.Prediction, error) {
	return make([]detect.Prediction, len(b)), nil
}
func (m nopMethod) Close() error { return nil }

type nopOptions struct {
	Level int `yaml:"level"`
}

func TestRegistry(t *testing.T) {
	reg := detect.NewRegistry()
	var got []detect.Spec
	build := func(_ context.Context, s detect.Spec) (detect.Method, error) {
		got = append(got, s)
		if s.Name == "bad" {
			return nil, errors.New("boom")
		}
		return nopMethod{s.Name}, nil
	}
	reg.Register("b", build)
	reg.RegisterOptions("a", nopOptions{}, build)
	if ts := reg.Types(); !reflect.DeepEqual(ts, []string{"a", "b"}) {
		t.Fatalf("Types = %v", ts)
	}
	if !reg.Has("a") || reg.Has("c") {
		t.Fatal("Has")
	}
	if reg.OptionsType("a") != reflect.TypeOf(nopOptions{}) || reg.OptionsType("b") != nil {
		t.Fatalf("OptionsType a=%v b=%v", reg.OptionsType("a"), reg.OptionsType("b"))
	}
	m, err := reg.New(context.Background(), detect.Spec{Name: "x", Type: "a", Options: detect.Options{"level": 1}})
	if err != nil || m.Name() != "x" {
		t.Fatalf("New = %v, %v", m, err)
	}
	if len(got) != 1 || got[0].Options["level"] != 1 {
		t.Fatalf("constructor got %+v", got)
	}
	if _, err := reg.New(context.Background(), detect.Spec{Name: "y", Type: "c"}); err == nil || !strings.Contains(err.Error(), `unknown type "c" (known: [a b])`) {
		t.Fatalf("unknown type: %v", err)
	}
	if _, err := reg.New(context.Background(), detect.Spec{Name: "bad", Type: "b"}); err == nil || err.Error() != `method "bad" (type b): boom` {
		t.Fatalf("constructor error: %v", err)
	}
	for name, f := range map[string]func(){
		"twice":      func() { reg.Register("a", build) },
		"not struct": func() { reg.DeclareOptions("b", 3) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			f()
		}()
	}
}

// Every constructor gets complete Resources: the job's logger tagged with
// the method's name, no-ops where the job gave none, and a method built by
// another constructor (an ensemble member) inherits the outer resources.
func TestRegistryResources(t *testing.T) {
	reg := detect.NewRegistry()
	var seen []detect.Resources
	reg.Register("leaf", func(_ context.Context, s detect.Spec) (detect.Method, error) {
		seen = append(seen, s.Resources)
		s.Resources.Logger.Info("built")
		return nopMethod{s.Name}, nil
	})
	reg.Register("outer", func(ctx context.Context, s detect.Spec) (detect.Method, error) {
		seen = append(seen, s.Resources)
		return reg.New(ctx, detect.Spec{Name: s.Name + "/member", Type: "leaf"})
	})
	if _, err := reg.New(context.Background(), detect.Spec{Name: "bare", Type: "leaf"}); err != nil {
		t.Fatal(err)
	}
	if r := seen[0]; r.Logger == nil || r.Events == nil || r.CacheDir != "" {
		t.Fatalf("bare resources %+v", r)
	}
	var buf bytes.Buffer
	res := detect.Resources{Logger: slog.New(slog.NewTextHandler(&buf, nil)), CacheDir: "/cache"}
	if _, err := reg.New(context.Background(), detect.Spec{Name: "ens", Type: "outer", Resources: res}); err != nil {
		t.Fatal(err)
	}
	if r := seen[2]; r.CacheDir != "/cache" || r.Events == nil {
		t.Fatalf("member resources %+v", r)
	}
	if !strings.Contains(buf.String(), `msg=built method=ens/member`) {
		t.Fatalf("member log %q", buf.String())
	}
}

func TestDecodeOptions(t *testing.T) {
	var o nopOptions
	if err := detect.DecodeOptions(detect.Options{"level": 3}, &o); err != nil || o.Level != 3 {
		t.Fatalf("decode: %+v %v", o, err)
	}
	if err := detect.DecodeOptions(detect.Options{"levl": 3}, &o); err == nil {
		t.Fatal("unknown key accepted")
	}
	if err := detect.DecodeOptions(nil, &o); err != nil {
		t.Fatal(err)
	}
}
