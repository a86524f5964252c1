package read

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
)

// Expand turns input patterns into a sorted list of distinct files. A
// pattern may be a file, a directory (searched recursively for files with a
// supported extension) or a glob, where "**" matches any number of
// directories. A pattern that matches nothing is an error naming it.
func Expand(patterns []string) ([]string, error) {
	seen := map[string]bool{}
	var out []string
	add := func(p string) {
		p = filepath.Clean(p)
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	for _, pat := range patterns {
		if pat == "" {
			return nil, fmt.Errorf("input: empty path")
		}
		var matches []string
		if _, err := os.Stat(pat); err == nil {
			matches = []string{pat}
		} else if hasMeta(pat) {
			m, err := doublestar.FilepathGlob(pat)
			if err != nil {
				return nil, fmt.Errorf("input %q: %w", pat, err)
			}
			matches = m
		}
		n := 0
		for _, m := range matches {
			st, err := os.Stat(m)
			if err != nil {
				return nil, fmt.Errorf("input %q: %w", pat, err)
			}
			if !st.IsDir() {
				add(m)
				n++
				continue
			}
			files, err := walkSupported(m)
			if err != nil {
				return nil, fmt.Errorf("input %q: %w", pat, err)
			}
			for _, f := range files {
				add(f)
				n++
			}
		}
		if n == 0 {
			return nil, fmt.Errorf("input %q matches no file", pat)
		}
	}
	sort.Strings(out)
	return out, nil
}

func hasMeta(p string) bool { return strings.ContainsAny(p, "*?[{") }

// walkSupported lists the files under dir whose extension a reader knows.
// Hidden files and directories (a leading dot) are skipped.
func walkSupported(dir string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != dir && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		if _, err := FormatOf(p); err == nil {
			files = append(files, p)
		}
		return nil
	})
	return files, err
}
