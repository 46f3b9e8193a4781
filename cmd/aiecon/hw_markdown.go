package main

import (
	"fmt"
	"io"
	"strings"

	"aiecon/hw"
)

// The catalog as Markdown, for docs/hardware.md: every chip and instance
// fact with its value, label, source, date and note, the pricing terms and
// the sources. A test keeps the page's generated part equal to this output,
// so the page never drifts from the numbers runs use.

var factHead = []string{"field", "value", "label", "source", "date", "note"}

// writeHWMarkdown writes the generated part of docs/hardware.md.
func writeHWMarkdown(w io.Writer) error {
	b := &strings.Builder{}
	b.WriteString("### Chips\n")
	for _, c := range hw.Chips() {
		fmt.Fprintf(b, "\n#### %s\n\n%s chip, %s x %s, %s TP device(s) per chip; step family %s.\n\n",
			c.Name, c.Family, c.Cores, c.CoreKind, c.DevicesPerChip, c.StepFamily)
		mdTable(b, factHead, chipRows(c))
	}
	b.WriteString("\n### Instances\n")
	for _, in := range hw.Instances() {
		c, err := in.ChipSpec()
		if err != nil {
			return err
		}
		tps, err := in.TPDegrees()
		if err != nil {
			return err
		}
		fmt.Fprintf(b, "\n#### %s\n\n%g x %s, %d TP devices, TP degrees %s.\n\n",
			in.Name, in.Chips.Value, c.Name, int(in.Chips.Value)*c.Devices(), ints(tps))
		mdTable(b, factHead, factRows(in.Facts()))
	}
	b.WriteString("\n### Commitment discounts\n\n")
	mdTable(b, factHead, factRows(hw.PricingTerms()))
	b.WriteString("\n### Sources\n\n")
	var srcs [][]string
	for _, s := range hw.Sources() {
		srcs = append(srcs, []string{s.Key, s.Description})
	}
	mdTable(b, []string{"key", "document"}, srcs)
	_, err := io.WriteString(w, b.String())
	return err
}

// mdTable writes a Markdown table; a cell's pipes are escaped and empty
// cells stay empty.
func mdTable(b *strings.Builder, head []string, rows [][]string) {
	line := func(cells []string) {
		esc := make([]string, len(cells))
		for i, c := range cells {
			esc[i] = strings.ReplaceAll(c, "|", `\|`)
		}
		b.WriteString("| " + strings.Join(esc, " | ") + " |\n")
	}
	line(head)
	b.WriteString(strings.Repeat("|---", len(head)) + "|\n")
	for _, r := range rows {
		line(r)
	}
}
