package main

import (
	"bytes"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/piimask/piimask/stages/generate/docs"
	"github.com/piimask/piimask/stages/write"
)

func newExtractProseCmd(g *globalFlags) *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "extract-prose --out prose.txt",
		Short: "Extract PII-free English and French sentences from Debian packages for generate --mode documents",
		Long: `Extract PII-free sentences from the Debian packages fortunes (English
quotations, attributions removed), wordnet-base (the example sentences of the
WordNet glosses) and manpages-fr (French prose of the man pages, troff
stripped), keeping only sentences with no digit, e-mail, URL or markup whose
every word is in the wamerican / wfrench word lists and with no capitalised
word inside the sentence (names and places are dropped). Writes
"en|fr<TAB>sentence" lines for generate --prose. Used at model-build time
only (scripts/make-prose.sh installs the packages and runs this); the same
package versions give the same file.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if out == "" {
				return fmt.Errorf("--out is required")
			}
			src, err := docs.DefaultProseSources()
			if err != nil {
				return err
			}
			var buf bytes.Buffer
			st, err := docs.ExtractProse(cmd.Context(), src, &buf)
			if err != nil {
				return fmt.Errorf("%w (install: apt-get install fortunes wordnet-base manpages-fr wamerican wfrench)", err)
			}
			if err := write.WriteFileAtomic(out, buf.Bytes()); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "wrote %s: %d English sentences from fortunes, %d from WordNet, %d French from man pages (%d of %d candidates dropped)\n",
				out, st.Fortunes, st.WordNet, st.ManFR, st.Dropped, st.Candidates)
			return nil
		},
	}
	cmd.Flags().StringVarP(&out, "out", "o", "", "output prose file")
	return cmd
}
