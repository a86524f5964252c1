package read

import (
	"fmt"
	"os"

	"github.com/parquet-go/parquet-go"
)

// CountRows returns the number of rows in the given files when it can be
// known without reading them: Parquet files record it in their footer. ok is
// false when any file is of another format (a JSONL file would have to be
// scanned) or cannot be opened; callers then treat the total as unknown.
func CountRows(paths []string, opts Options) (total int64, ok bool) {
	for _, p := range paths {
		format := opts.Format
		if format == "" || format == "auto" {
			f, err := FormatOf(p)
			if err != nil {
				return 0, false
			}
			format = f
		}
		if format != FormatParquet {
			return 0, false
		}
		n, err := parquetRows(p)
		if err != nil {
			return 0, false
		}
		total += n
	}
	return total, len(paths) > 0
}

func parquetRows(path string) (int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return 0, err
	}
	pf, err := parquet.OpenFile(f, st.Size(), parquet.SkipPageIndex(true), parquet.SkipBloomFilters(true))
	if err != nil {
		return 0, fmt.Errorf("%s: %w", path, err)
	}
	return pf.NumRows(), nil
}
