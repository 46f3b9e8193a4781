package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"aiecon/hw"
)

func init() { register(newHWCmd) }

func newHWCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "hw",
		Short: "The hardware catalog: accelerators and instances, every number with its source",
		Long: `The hardware catalog: Trainium, Inferentia and GPU chips and the instances that
carry them, with specs and prices. Every number says where it comes from (a
source key, see "aiecon hw show") and how far to trust it: OFF (official vendor
material), 3P (third party) or EST (derived or unverified). A price the sources
do not give is "unknown"; a scenario that needs it must supply it.`,
	}
	cmd.AddCommand(newHWListCmd(e), newHWShowCmd(e), newHWFitCmd(e))
	return cmd
}

func newHWListCmd(e *env) *cobra.Command {
	var asJSON, chips bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the instances (or, with --chips, the accelerators)",
		Example: `  aiecon hw list
  aiecon hw list --chips
  aiecon hw list --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if chips {
				if asJSON {
					return writeJSON(e.stdout, hw.Chips())
				}
				return listChips(e.stdout)
			}
			if asJSON {
				return writeJSON(e.stdout, hw.Instances())
			}
			return listInstances(e.stdout)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON instead of a table")
	cmd.Flags().BoolVar(&chips, "chips", false, "list the accelerators instead of the instances")
	return cmd
}

func listInstances(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tCHIPS\tCHIP\tDEVICES\tHBM\tPEAK BF16\tON-DEMAND $/h (DATE)\tSRC\tRI $/h")
	for _, in := range hw.Instances() {
		c, err := in.ChipSpec()
		if err != nil {
			return err
		}
		n := in.Chips.Value
		fmt.Fprintf(tw, "%s\t%g\t%s\t%d\t%s\t%s\t%s\t%s\t%s\n",
			in.Name, n, c.Name, int(n)*c.Devices(), in.AccelMemory, flops(n*c.Peak.BF16.SI()),
			price(in.OnDemand), in.OnDemand.Source+" "+string(in.OnDemand.Label), priceOnly(in.RIEffective))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintln(w, "\nDevices are what a TP degree counts (logical NeuronCores, or GPUs). Prices are us-east-1 list prices unless\n"+
		"noted; they go stale. `aiecon hw show NAME` prints every fact with its source and label.")
	return err
}

func listChips(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tFAMILY\tCORES\tDEVICES/CHIP\tPEAK BF16\tPEAK FP8\tHBM\tHBM BW\tTP DEGREES")
	for _, c := range hw.Chips() {
		fmt.Fprintf(tw, "%s\t%s\t%s %s\t%s\t%s\t%s\t%s\t%s\t%s\n",
			c.Name, c.Family, c.Cores, c.CoreKind, c.DevicesPerChip, c.Peak.BF16, c.Peak.FP8, c.HBM, c.HBMBandwidth, ints(c.TP.Degrees))
	}
	return tw.Flush()
}

func newHWShowCmd(e *env) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "show NAME",
		Short: "Show every fact of an instance or a chip, with value, unit, label and source",
		Example: `  aiecon hw show trn2.48xlarge
  aiecon hw show Trainium2 --json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			name := args[0]
			if in, err := hw.InstanceByName(name); err == nil {
				c, err := in.ChipSpec()
				if err != nil {
					return err
				}
				if asJSON {
					return showInstanceJSON(e.stdout, in, c)
				}
				return showInstance(e.stdout, in, c)
			}
			if c, err := hw.ChipByName(name); err == nil {
				if asJSON {
					return writeJSON(e.stdout, struct {
						Chip    *hw.Chip    `json:"chip"`
						Sources []hw.Source `json:"sources"`
					}{c, usedSources(c.Facts(), c.TP.Ref, c.Tile.Ref)})
				}
				return showChip(e.stdout, c)
			}
			all := append(hw.InstanceNames(), hw.ChipNames()...)
			return badInput("hw show: no instance or chip named %q; nearest: %s (see `aiecon hw list` and `aiecon hw list --chips`)",
				name, strings.Join(hw.Nearest(name, all, 3), ", "))
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON instead of a table")
	return cmd
}

func showInstance(w io.Writer, in *hw.Instance, c *hw.Chip) error {
	devices := int(in.Chips.Value) * c.Devices()
	tps, err := in.TPDegrees()
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%s: instance of %g x %s (%s), %d TP devices, TP degrees %s\n\n", in.Name, in.Chips.Value, c.Name, c.Family, devices, ints(tps))
	if err := factTable(w, factRows(in.Facts())); err != nil {
		return err
	}
	fmt.Fprintln(w)
	if err := chipTable(w, c); err != nil {
		return err
	}
	fmt.Fprintln(w)
	return sourceList(w, usedSources(slices.Concat(in.Facts(), c.Facts()), c.TP.Ref, c.Tile.Ref))
}

func showChip(w io.Writer, c *hw.Chip) error {
	if err := chipTable(w, c); err != nil {
		return err
	}
	fmt.Fprintln(w)
	return sourceList(w, usedSources(c.Facts(), c.TP.Ref, c.Tile.Ref))
}

// chipTable prints the chip's facts, its TP degrees and its tile geometry.
func chipTable(w io.Writer, c *hw.Chip) error {
	fmt.Fprintf(w, "%s: %s chip, %s x %s, %s TP device(s) per chip\n\n", c.Name, c.Family, c.Cores, c.CoreKind, c.DevicesPerChip)
	rows := factRows(c.Facts())
	waves := ""
	if c.Tile.Waves {
		waves = ", in waves over the SMs"
	}
	rows = append(rows,
		[]string{"tp_degrees", ints(c.TP.Degrees), string(c.TP.Label), ref(c.TP.Ref), "", c.TP.Note},
		[]string{"tile", fmt.Sprintf("%d x %d x %d (M x N x K)%s", c.Tile.M, c.Tile.N, c.Tile.K, waves), string(c.Tile.Label), ref(c.Tile.Ref), "", c.Tile.Note},
	)
	return factTable(w, rows)
}

func factRows(facts []hw.NamedFact) [][]string {
	rows := make([][]string, len(facts))
	for i, f := range facts {
		rows[i] = []string{f.Name, f.Fact.String(), string(f.Label), ref(f.Ref), f.Date, f.Note}
	}
	return rows
}

// factTable prints one fact per line: field, value with unit, label, source, date, note.
func factTable(w io.Writer, rows [][]string) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "FIELD\tVALUE\tLABEL\tSOURCE\tDATE\tNOTE")
	for _, r := range rows {
		fmt.Fprintln(tw, strings.Join(r, "\t"))
	}
	return tw.Flush()
}

func sourceList(w io.Writer, srcs []hw.Source) error {
	fmt.Fprintln(w, "Sources:")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, s := range srcs {
		fmt.Fprintf(tw, "  %s\t%s\n", s.Key, s.Description)
	}
	return tw.Flush()
}

// usedSources lists, in the catalog's order, the sources the facts and refs cite.
func usedSources(facts []hw.NamedFact, refs ...hw.Ref) []hw.Source {
	used := map[string]bool{}
	for _, f := range facts {
		used[f.Source] = true
	}
	for _, r := range refs {
		used[r.Source] = true
	}
	var out []hw.Source
	for _, s := range hw.Sources() {
		if used[s.Key] {
			out = append(out, s)
		}
	}
	return out
}

func showInstanceJSON(w io.Writer, in *hw.Instance, c *hw.Chip) error {
	devices := int(in.Chips.Value) * c.Devices()
	tps, err := in.TPDegrees()
	if err != nil {
		return err
	}
	srcs := usedSources(slices.Concat(in.Facts(), c.Facts()), c.TP.Ref, c.Tile.Ref)
	return writeJSON(w, struct {
		Instance  *hw.Instance `json:"instance"`
		Chip      *hw.Chip     `json:"chip"`
		Devices   int          `json:"devices"`
		TPDegrees []int        `json:"tp_degrees"`
		Sources   []hw.Source  `json:"sources"`
	}{in, c, devices, tps, srcs})
}

func newHWFitCmd(e *env) *cobra.Command {
	var (
		asJSON     bool
		pointsPath string
		constEff   float64
	)
	cmd := &cobra.Command{
		Use:   "fit",
		Short: "Fit the Neuron serving constants (per-iteration overhead, bandwidth fraction) to published serving points",
		Long: `Fit the serving constants of an accelerator family (the fixed per-iteration
overhead and the achieved fraction of HBM bandwidth) to measured serving points,
by predicting each point with the static-batch Neuron scheduler model and
minimising squared log errors of TTFT and TPOT (see docs/calibration.md).

Without --points it uses the published points in the catalog. A points CSV has
the columns model,instance,tp,batch,seq_len,input_tokens,output_tokens,
weight_dtype,ttft_ms,tpot_ms (extra columns are ignored); "-" reads stdin.`,
		Example: `  aiecon hw fit
  aiecon hw fit --points ../shared/reference/neuron-calibration.csv --json
  aiecon hw fit --efficiency 0.5`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			pts := hw.PublishedServingPoints()
			if pointsPath != "" {
				var err error
				if pts, err = readPoints(e, pointsPath); err != nil {
					return err
				}
			}
			var eff hw.Efficiency = hw.DefaultEfficiency
			if cmd.Flags().Changed("efficiency") {
				if !(constEff > 0 && constEff <= 1) {
					return badInput("--efficiency %g: must be in (0, 1]", constEff)
				}
				eff = hw.ConstantEfficiency(constEff)
			}
			s, rep, err := hw.FitServing(pts, eff)
			if err != nil {
				return asUsage(err)
			}
			if asJSON {
				return writeJSON(e.stdout, struct {
					Serving hw.Serving   `json:"serving"`
					Report  hw.FitReport `json:"report"`
				}{s, rep})
			}
			return printFit(e.stdout, s, rep)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON instead of a table")
	cmd.Flags().StringVar(&pointsPath, "points", "", "serving points CSV `file` (- for stdin); default: the published points")
	cmd.Flags().Float64Var(&constEff, "efficiency", 0, "use a constant GEMM `efficiency` in (0, 1] instead of the default")
	return cmd
}

func readPoints(e *env, path string) ([]hw.ServingPoint, error) {
	r := e.stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return nil, badInput("--points: %v", err)
		}
		defer f.Close()
		r = f
	}
	pts, err := hw.ReadServingPoints(r)
	if err != nil {
		return nil, badInput("--points %s: %v", path, err)
	}
	return pts, nil
}

func printFit(w io.Writer, s hw.Serving, rep hw.FitReport) error {
	fmt.Fprintf(w, "family %s, GEMM efficiency %s\n", rep.Family, rep.Efficiency)
	fmt.Fprintf(w, "overhead_s  %.4g s per iteration\n", s.OverheadS)
	fmt.Fprintf(w, "bw_frac     %.4f of peak HBM bandwidth\n", s.BWFrac)
	fmt.Fprintf(w, "RMS log error %.3f over %d points (%d evaluations, %s)\n", rep.RMSLogErr, len(rep.Rows), rep.Evaluations, rep.Status)
	if len(rep.AtBound) > 0 {
		fmt.Fprintf(w, "at the bound: %s (the best fit would go below it; see docs/calibration.md)\n", strings.Join(rep.AtBound, ", "))
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "TTFT ms\tpredicted\terror\tTPOT ms\tpredicted\terror\t  POINT")
	for _, r := range rep.Rows {
		fmt.Fprintf(tw, "%.2f\t%.2f\t%+.1f%%\t%.2f\t%.3f\t%+.1f%%\t  %s\n",
			r.Point.TTFTMs, r.TTFTMs, 100*r.TTFTRelErr, r.Point.TPOTMs, r.TPOTMs, 100*r.TPOTRelErr, r.Point)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if def, err := hw.DefaultServing(rep.Family); err == nil {
		fmt.Fprintf(w, "\ncommitted default (%s): overhead_s %.4g s, bw_frac %.4f\n", rep.Family, def.OverheadS, def.BWFrac)
	}
	return nil
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// price formats a price with its date, or "unknown".
func price(f hw.Fact) string {
	if !f.Known {
		return "unknown"
	}
	return fmt.Sprintf("%s (%s)", strconv.FormatFloat(f.Value, 'f', -1, 64), f.Date)
}

func priceOnly(f hw.Fact) string {
	if !f.Known {
		return "unknown"
	}
	return strconv.FormatFloat(f.Value, 'f', -1, 64)
}

// ref formats a source reference as "KEY detail".
func ref(r hw.Ref) string {
	if r.Detail == "" {
		return r.Source
	}
	return r.Source + " " + r.Detail
}

// flops formats FLOP/s with a T or P prefix.
func flops(v float64) string {
	if v >= 1e15 {
		return strconv.FormatFloat(v/1e15, 'f', -1, 64) + " PFLOP/s"
	}
	return strconv.FormatFloat(v/1e12, 'f', -1, 64) + " TFLOP/s"
}

func ints(xs []int) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = strconv.Itoa(x)
	}
	return strings.Join(s, ",")
}
