package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"aiecon/data"
)

func init() { register(newSchemaCmd) }

func newSchemaCmd(e *env) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "schema",
		Short: "Print the store's tables, views, columns and units",
		Long: `Print the schema of the DuckDB store, read from the database catalog: the
views analysts should query, then every table, each column with its type,
unit and meaning. It describes the schema this aiecon writes, and needs no
store file.

Views: ` + strings.Join(data.ViewNames(), ", ") + ".",
		Example: `  aiecon schema
  aiecon schema --format markdown > schema.md`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkFormat(format, "text", "markdown"); err != nil {
				return err
			}
			doc, err := data.DescribeSchema(cmd.Context())
			if err != nil {
				return err
			}
			if format == "markdown" {
				_, err = io.WriteString(e.stdout, doc.Markdown())
				return err
			}
			return printSchema(e.stdout, doc)
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or markdown")
	return cmd
}

func printSchema(out io.Writer, d *data.SchemaDoc) error {
	fmt.Fprintf(out, "aiecon store schema, version %d\n", d.Version)
	fmt.Fprintln(out, "Times are simulated nanoseconds since the run start (_ns) unless in seconds (_s); money is USD.")
	section := func(title string, rels []data.TableDoc) error {
		fmt.Fprintf(out, "\n%s\n", title)
		for _, t := range rels {
			fmt.Fprintf(out, "\n%s: %s\n", t.Name, t.Comment)
			tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
			for _, c := range t.Columns {
				typ := c.Type
				if strings.HasPrefix(typ, "ENUM(") {
					typ = "ENUM"
				}
				fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", c.Name, typ, c.Unit, c.Comment)
			}
			if err := tw.Flush(); err != nil {
				return err
			}
		}
		return nil
	}
	if err := section("VIEWS", d.Views); err != nil {
		return err
	}
	if err := section("TABLES", d.Tables); err != nil {
		return err
	}
	fmt.Fprintln(out, "\nTYPES")
	for _, en := range d.Enums {
		fmt.Fprintf(out, "  %s: %s\n", en.Name, strings.Join(en.Values, ", "))
	}
	return nil
}
