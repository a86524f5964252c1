package detect

import (
	"fmt"

	"github.com/goccy/go-yaml"
)

// DecodeOptions decodes a method's option map into dst (a pointer to a struct
// with yaml tags). Unknown keys are errors.
func DecodeOptions(opts Options, dst any) error {
	if len(opts) == 0 {
		return nil
	}
	raw, err := yaml.Marshal(map[string]any(opts))
	if err != nil {
		return fmt.Errorf("options: %w", err)
	}
	if err := yaml.UnmarshalWithOptions(raw, dst, yaml.Strict()); err != nil {
		return fmt.Errorf("options: %s", yaml.FormatError(err, false, false))
	}
	return nil
}
