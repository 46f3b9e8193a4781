package main

import (
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"aiecon/data"
	"aiecon/model/format"
)

func init() { register(newExportCmd) }

func newExportCmd(e *env) *cobra.Command {
	var format, out string
	cmd := &cobra.Command{
		Use:   "export RUN",
		Short: "Write a stored run's tables (all but its latency sketches) to Parquet or CSV files",
		Long: `Write the tables of a run into a folder, one file per table: TABLE.parquet
(zstd) or TABLE.csv (with a header). RUN is an id, any unique prefix of one,
or "last". The folder is created if missing; files in it are overwritten, and
left as they were when the export fails. Each file is written first as a
hidden .TABLE.FORMAT.RANDOM.aiecon-tmp beside it; an export stopped by a kill
leaves those behind, and the next export into the folder removes them (and
says so) when no other export is running there.

A run whose process died while it ran (the store not opened read-write since)
is exported as 'aiecon show' shows it: its runs row failed, with the
interrupted error and the counts of the records it wrote, beside those
records, which the next read-write open of the store deletes.

Tables: ` + strings.Join(data.ExportTables(), ", ") + `.
latency_sketches is left out: its encoded DDSketches are the source of the
percentile KPIs, which kpis holds and the completed requests reproduce
(docs/model.md).`,
		Example: `  aiecon export last --out baseline-run
  aiecon export 01jf3k9x --format csv --out /tmp/run-csv`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format, data.ExportFormats()...); err != nil {
				return err
			}
			if out == "" && cmd.Flags().Changed("out") { // an unset shell variable exported into the default folder without a word
				return badInput("--out: empty path (an unset shell variable?); give a folder, or leave --out out for aiecon-export-RUNID")
			}
			if err := checkExportOut(out); err != nil {
				return err
			}
			store, err := openStore(e, true)
			if err != nil {
				return err
			}
			defer store.Close()
			ids, err := resolveRuns(cmd.Context(), store, args)
			if err != nil {
				return err
			}
			dir := out
			if dir == "" {
				dir = "aiecon-export-" + ids[0]
			}
			files, err := store.Export(cmd.Context(), ids[0], format, dir)
			if err != nil {
				return err
			}
			warnIncomplete(cmd.Context(), e, store, ids)
			for _, f := range files {
				fmt.Fprintln(e.stdout, f)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "parquet", "file format: parquet or csv")
	cmd.Flags().StringVar(&out, "out", "", "output `folder` (default aiecon-export-RUNID)")
	return cmd
}

// checkExportOut refuses an --out that is not a folder, or that lies under
// a file, where no folder can be made: the system said "mkdir afile: not a
// directory" of --out afile/sub.
func checkExportOut(out string) error {
	if out == "" {
		return nil
	}
	if fi, err := os.Stat(out); err == nil && !fi.IsDir() {
		return exportOutNotFolder(out, fi.Mode())
	}
	if above, kind := data.NotFolderOnPath(out); above != "" {
		return badInput("--out %s: %s is %s, not a folder, so no folder can be made under it; give --out a folder path",
			format.Typed(out), format.Typed(above), kind)
	}
	return nil
}

// exportOutNotFolder refuses --out out, which is not a folder, naming what
// it is: a named pipe was called "a file", as plot -o names it.
func exportOutNotFolder(out string, mode fs.FileMode) error {
	kind := "a file"
	if !mode.IsRegular() {
		kind = "a " + format.FileKind(mode)
	}
	return badInput("--out %s: is %s; want a folder (export writes one file per table into it)", format.Typed(out), kind)
}
