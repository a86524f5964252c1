package config

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/goccy/go-yaml"

	"github.com/piimask/piimask/stages/taxonomy"
)

// LabelMap is the value of label_map and prediction_label_map: the name of
// a map piimask ships (ai4privacy-400k, presidio, to-presidio…, see
// stages/taxonomy), the path of a JSON file {"FROM": "TO"} (relative to the
// config file), or a mapping FROM: TO written in the config.
type LabelMap struct {
	// Name is a shipped map's name ("" when Map is given).
	Name string
	// Map is a user map (from the config or its file).
	Map map[string]string
	// File is the JSON file Map was read from, if any.
	File string
}

// IsZero reports whether no map was given.
func (m LabelMap) IsZero() bool { return m.Name == "" && m.Map == nil }

// Spec returns the map as a taxonomy.MapSpec.
func (m LabelMap) Spec() taxonomy.MapSpec { return taxonomy.MapSpec{Name: m.Name, Map: m.Map} }

// UnmarshalYAML reads a name (a string) or a mapping of strings.
func (m *LabelMap) UnmarshalYAML(data []byte) error {
	data = bytes.TrimSpace(data)
	var name string
	if err := yaml.Unmarshal(data, &name); err == nil {
		*m = LabelMap{Name: name}
		return nil
	}
	var mp map[string]string
	if err := yaml.Unmarshal(data, &mp); err != nil {
		return fmt.Errorf("want a label map name or a mapping of label: label: %w", err)
	}
	*m = LabelMap{Map: mp}
	return nil
}

// resolve checks a map's name and loads a map file, relative to the
// config file's directory.
func (m *LabelMap) resolve(configFile string) error {
	if m.Name == "" || taxonomy.ValidMapName(m.Name) {
		return nil
	}
	if strings.HasSuffix(strings.ToLower(m.Name), ".json") {
		p := m.Name
		if !filepath.IsAbs(p) {
			p = filepath.Join(filepath.Dir(configFile), p)
		}
		mp, err := taxonomy.LoadMapFile(p)
		if err != nil {
			return err
		}
		*m = LabelMap{Map: mp, File: p}
		return nil
	}
	return fmt.Errorf("unknown label map %q (shipped: %s; or a mapping FROM: TO, or a .json file)", m.Name, strings.Join(taxonomy.MapNames(), ", "))
}
