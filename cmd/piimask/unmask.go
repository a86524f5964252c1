package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/piimask/piimask/stages/mask"
	"github.com/piimask/piimask/stages/write"
)

func newUnmaskCmd(g *globalFlags) *cobra.Command {
	var vaultPath, in, out string
	cmd := &cobra.Command{
		Use:   "unmask",
		Short: "Restore original text from masked output and its vault",
		Long: `Restore the original text of a masked file (a JSONL file or a text/Markdown
file under the mask job's masked/ directory) from the job's vault.bin. The
vault key is read from the environment variable PIIMASK_VAULT_KEY; without the
right key nothing is restored. A document whose masked text was edited is
refused rather than restored wrongly.`,
		Example: `  PIIMASK_VAULT_KEY=… piimask unmask --vault out/mask/vault.bin --in out/mask/masked/generated.jsonl --out restored.jsonl`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if vaultPath == "" || in == "" {
				return fmt.Errorf("--vault and --in are required")
			}
			if ext := strings.ToLower(filepath.Ext(in)); ext == ".parquet" || ext == ".pq" {
				return fmt.Errorf("%s: unmask reads JSONL and text output; Parquet output cannot be restored yet", in)
			}
			v, err := mask.NewVault([]byte(os.Getenv(mask.EnvVaultKey)))
			if err != nil {
				return err
			}
			vf, err := os.Open(vaultPath)
			if err != nil {
				return err
			}
			defer vf.Close()
			idx, err := v.ReadVaultIndex(bufio.NewReader(vf))
			if err != nil {
				return fmt.Errorf("%s: %w", vaultPath, err)
			}
			doc, ok := idx.Document(in)
			if !ok {
				return fmt.Errorf("%s: the vault holds no document for this file", in)
			}
			var w io.Writer = cmd.OutOrStdout()
			var af *write.AtomicFile
			if out != "" {
				if af, err = write.CreateAtomic(out); err != nil {
					return err
				}
				defer af.Abort()
				w = af
			}
			bw := bufio.NewWriter(w)
			if err := unmaskFile(idx, doc, in, bw); err != nil {
				return err
			}
			if err := bw.Flush(); err != nil {
				return err
			}
			if af != nil {
				return af.Commit()
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&vaultPath, "vault", "", "vault file written by the mask job (vault.bin)")
	cmd.Flags().StringVar(&in, "in", "", "masked file (JSONL or text)")
	cmd.Flags().StringVar(&out, "out", "", "restored file (default: stdout)")
	return cmd
}

// unmaskFile restores in into w: JSONL line by line, other files whole.
func unmaskFile(idx *mask.VaultIndex, doc, in string, w io.Writer) error {
	data, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	if ext := strings.ToLower(filepath.Ext(in)); ext != ".jsonl" && ext != ".json" && ext != ".ndjson" {
		e, ok := idx.Entry(doc)
		if !ok {
			_, err := w.Write(data) // nothing was masked in this file
			return err
		}
		orig, err := mask.Unmask(string(data), e)
		if err != nil {
			return fmt.Errorf("%s: %w", in, err)
		}
		_, err = io.WriteString(w, orig)
		return err
	}
	lines := strings.SplitAfter(string(data), "\n")
	for i, line := range lines {
		if line == "" {
			continue
		}
		body := strings.TrimSuffix(line, "\n")
		if e, ok := idx.Entry(doc + "#" + strconv.Itoa(i+1)); ok {
			restored, err := mask.UnmaskRow([]byte(body), e)
			if err != nil {
				return fmt.Errorf("%s:%d: %w", in, i+1, err)
			}
			body = string(restored)
		}
		if _, err := io.WriteString(w, body+"\n"); err != nil {
			return err
		}
	}
	return nil
}
