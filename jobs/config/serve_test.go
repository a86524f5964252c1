package config

import (
	"errors"
	"strings"
	"testing"
)

func TestServeOCR(t *testing.T) {
	const head = "methods:\n  - name: rules\n    type: rules\nserve:\n  addr: 127.0.0.1:0\n"
	tests := []struct {
		name, body string
		env        map[string]string
		want       string   // the OCR value read, when no problem
		problems   []string // substrings of the problems
	}{
		{name: "default", body: "", want: ""},
		{name: "tesseract", body: "  ocr: tesseract\n  ocr_languages: fra\n", want: "tesseract"},
		{name: "off", body: "  ocr: off\n", want: "off"},
		{name: "none", body: "  ocr: none\n", want: "none"},
		{name: "mistral with key", body: "  ocr: mistral\n  mistral_url: http://127.0.0.1:9\n", env: map[string]string{"MISTRAL_API_KEY": "k"}, want: "mistral"},
		{name: "mistral without key", body: "  ocr: mistral\n", problems: []string{"serve.yaml:6", "MISTRAL_API_KEY"}},
		{name: "mistral empty key", body: "  ocr: mistral\n", env: map[string]string{"MISTRAL_API_KEY": ""}, problems: []string{"serve.yaml:6", "MISTRAL_API_KEY"}},
		{name: "unknown engine", body: "  ocr: abbyy\n", problems: []string{"serve.yaml:6", `unknown OCR engine "abbyy"`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l, err := LoadServe("serve.yaml", []byte(head+tc.body), envOf(tc.env), []string{"rules"})
			if len(tc.problems) == 0 {
				if err != nil {
					t.Fatal(err)
				}
				if l.Config.Serve.OCR != tc.want {
					t.Errorf("ocr = %q, want %q", l.Config.Serve.OCR, tc.want)
				}
				return
			}
			var ps Problems
			if !errors.As(err, &ps) {
				t.Fatalf("err %v, want Problems", err)
			}
			for _, w := range tc.problems {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("problems %q lack %q", err, w)
				}
			}
		})
	}
}
