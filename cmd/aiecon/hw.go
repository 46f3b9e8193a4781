package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"aiecon/hw"
	"aiecon/model"
	"aiecon/model/format"
	"aiecon/model/llm"
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
		// Without RunE cobra prints the help for "hw bogus" and exits 0.
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return badInput("unknown command %q for \"aiecon hw\" (want list, show or fit)", args[0])
			}
			return cmd.Help()
		},
	}
	cmd.AddCommand(newHWListCmd(e), newHWShowCmd(e), newHWFitCmd(e))
	return cmd
}

func newHWListCmd(e *env) *cobra.Command {
	var asJSON, chips, markdown bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the instances (or, with --chips, the accelerators)",
		Long: `List the instances with their chips, TP devices, HBM, peak BF16 and prices
(or, with --chips, the accelerators). --markdown prints every fact of every
chip and instance with its source, the reference part of docs/hardware.md.`,
		Example: `  aiecon hw list
  aiecon hw list --chips
  aiecon hw list --json
  aiecon hw list --markdown`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if markdown {
				if asJSON || chips {
					return badInput("--markdown prints chips and instances as Markdown: give it without --json and --chips")
				}
				return writeHWMarkdown(e.stdout)
			}
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
	cmd.Flags().BoolVar(&markdown, "markdown", false, "print every chip and instance fact with its source as Markdown")
	return cmd
}

func listInstances(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tCHIPS\tCHIP\tDEVICES\tHBM GiB\tPEAK BF16\tON-DEMAND $/h (DATE)\tCAPACITY BLOCK $/h (DATE)\tRESERVED $/h (DATE)\tSPOT $/h (DATE)")
	for _, in := range hw.Instances() {
		c, err := in.ChipSpec()
		if err != nil {
			return err
		}
		n := in.Chips.Value
		fmt.Fprintf(tw, "%s\t%g\t%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\n",
			in.Name, n, c.Name, int(n)*c.Devices(), gib(in.AccelMemory), flops(n*c.Peak.BF16.SI()),
			price(in.OnDemand), price(in.CapacityBlock), price(in.RIEffective), price(in.Spot))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	var terms []string
	for _, t := range hw.PricingTerms() {
		terms = append(terms, fmt.Sprintf("%s up to %g%%", t.Detail, t.Value))
	}
	_, err := fmt.Fprintf(w, "\nDevices are what a TP degree counts (logical NeuronCores, or GPUs). Prices are us-east-1 Linux prices unless\n"+
		"another region (or \"region not stated\", where the source names none) is named beside the date, dated by the snapshot they come from; they go stale. Reserved is the Neuron SDK's RI-effective rate;\n"+
		"its term is taken as 3 years: it states none and fits 3-year terms, and no 1-year rate at today's prices is public for any instance;\n"+
		"AWS publishes commitment discounts only as ceilings: %s off on-demand (%s).\n"+
		"HBM is in GiB (2^30 bytes); a part whose source states GB is converted (hw show gives the source's figure).\n"+
		"`aiecon hw show NAME` prints every fact with its source, label and date.\n", strings.Join(terms, ", "), sourceSite(hw.PricingTerms()[0].Source))
	return err
}

// gib prints a memory size in GiB, one decimal at most, for a column
// whose header states the unit: the lists printed each part's memory in
// the unit its source states, 96 GB beside 640 GiB, easy to read as one
// unit (hw show keeps the source's figure and unit).
func gib(f hw.Fact) string {
	if !f.Known {
		return "unknown"
	}
	return strconv.FormatFloat(math.Round(f.SI()/(1<<30)*10)/10, 'f', -1, 64)
}

func listChips(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tFAMILY\tCORES\tDEVICES/CHIP\tPEAK BF16\tPEAK FP8\tHBM GiB\tHBM BW\tTP DEGREES")
	for _, c := range hw.Chips() {
		fmt.Fprintf(tw, "%s\t%s\t%s %s\t%s\t%s\t%s\t%s\t%s\t%s\n",
			c.Name, c.Family, c.Cores, c.CoreKind, c.DevicesPerChip, c.Peak.BF16, c.Peak.FP8, gib(c.HBM), c.HBMBandwidth, ints(c.TP.Degrees))
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
	return factTable(w, chipRows(c))
}

// chipRows are a chip's facts, then its TP degrees and tile geometry, as
// field, value, label, source, date and note.
func chipRows(c *hw.Chip) [][]string {
	waves := ""
	if c.Tile.Waves {
		waves = ", in waves over the SMs"
	}
	return append(factRows(c.Facts()),
		[]string{"tp_degrees", ints(c.TP.Degrees), string(c.TP.Label), ref(c.TP.Ref), "", c.TP.Note},
		[]string{"tile", fmt.Sprintf("%d x %d x %d (M x N x K)%s", c.Tile.M, c.Tile.N, c.Tile.K, waves), string(c.Tile.Label), ref(c.Tile.Ref), "", c.Tile.Note},
	)
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

// hwFitLong is hw fit's help text. The constants a fit can leave
// unexercised are listed from hw.ExercisedBy, as --save's refusal says
// them, so that the help cannot name fewer (it had left out kv_group_exp).
var hwFitLong = hwFitIntro + "\n" + strings.Join(wrapPhrases(`A constant that no row exercises shows as "not fitted": `+
	`it stays at its committed value. Rows may leave these unexercised: `+whatExercises(unexercisable())+".", 76), "\n") + hwFitOptionsHelp +
	strings.Join(hw.PricedAsPairings(), ", ") + "."

const hwFitIntro = `Fit the step-time constants of each accelerator family (prefill_s, layer_s,
collective_s, hbm_frac, kv_frac, gemm_scale, attn_scale, kv_group_exp,
link_frac: docs/calibration.md) to measured serving points, predicting each row as
validate's scheduler runs it and minimising squared log errors of TTFT and
TPOT with Nelder-Mead.

A points CSV has the columns model,instance,tp,batch,seq_len,input_tokens,
output_tokens,weight_dtype,ttft_ms,tpot_ms, and optionally metric_kind
("closed-loop concurrency=N"), stat, spec_decode, framework, source, hf_id,
kv_dtype (as validate reads them);
"-" reads standard input. A row may leave one of ttft_ms and tpot_ms empty
(its source publishes only the other); it is fitted on the one it gives.
A model is a catalog name, a Hugging Face id or a
chat/instruct release of one, or else the row's hf_id, or one --models FILE
gives by its shape (as validate's); cross-validation folds by the model a
row was read as. Rows of several families are fitted family by family;
--family keeps one. Rows the model cannot express (speculative decoding,
fake-weight MoE runs, open loops at a request rate, which validate
simulates) are listed as skipped. A static batch whose output_tok_s is
under 0.9 of batch x output_tokens / (ttft + (output_tokens-1) x tpot)
(its throughput and its latencies cannot describe one run) is listed as
not fitted: it is predicted, and cross-validated, but no fit learns from it.
A fit's time grows with its rows (some 15 ms a row on a busy 2-core machine:
minutes for the 10,000 a file may have, and --cv refits once per fold); past
two seconds a line on stderr says it is still fitting, unless -q.`

const hwFitOptionsHelp = `

--cv adds leave-one-model-out cross-validation: each model's rows predicted
by constants fitted without them, with MAPE and signed bias of TTFT and TPOT
per (instance, model, TP, weights) group, and the worst rows. Beside each
constant it prints its uncertainty (± FOLDS): the jackknife standard error
over the folds that see it, and which folds could not (their rows never
exercise it); --json carries it as cv.StdErr and, relative, serving.spread.
A cross-validation over fewer than 10 rows or 3 folds (models, TP degrees,
layer shapes) is too thin to carry an error figure: its MAPEs are printed
under a THIN CROSS-VALIDATION caveat, --json says why in cv.Thin ("" where
it carries one), and --save records no figure for run to quote.

--cv-by tp leaves one TP degree out instead (implies --cv): each degree's
rows predicted by constants fitted on the other degrees. It tests the
constants the TP degree shapes (collective_s, link_frac) where one model
carries every degree above 1 and leaving it out leaves them unseen.
--cv-by shape leaves one layer shape out: models whose blocks are the same,
differing only in their vocabulary (Llama-2-70B and Llama-3-70B), are one
fold, so that no fold keeps a twin of the model it predicts.

--calibration FILE (or latest) fits with that profile's GEMM efficiency
(imported device timings, or another host's curve) instead of the built-in
profile's, and --save writes the fitted constants into a copy of it: runs
given that profile (--calibration, or the scenario's hardware.calibration)
then price each fitted family with them, and say so. --save refuses, writing
nothing, where no row exercises a constant (above): a profile cannot say which
of its constants a fit set. Without --save nothing is written.

--priced-as FAMILY fits --family's rows with their graphs structured as
FAMILY structures its own (its norms and residual adds replicated or
sequence parallel), keeping the rows' weight formats: the fit FAMILY
inherits where it takes constants from --family's measurements but runs
other graphs (docs/calibration.md). COMMITTED is then the committed fit so
priced. It needs --family, takes no --cv (cross-validation prices rows as
their own family does) or --save (a profile has no place for such a fit),
and refuses any pairing but these (--family as --priced-as):
`

// hwFitOptions are hw fit's flags.
type hwFitOptions struct {
	asJSON, cv, save     bool
	points               []string
	family, cvBy, models string
	calibration          string
	pricedAs             string // hw fit --priced-as: the family whose graph structure prices the rows
}

func newHWFitCmd(e *env) *cobra.Command {
	var o hwFitOptions
	cmd := &cobra.Command{
		Use:   "fit --points FILE... [--family F [--priced-as F2]] [--cv [--cv-by model|tp|shape]]",
		Short: "Fit a step family's constants to published serving measurements, and cross-validate them",
		Long:  hwFitLong,
		Example: `  aiecon hw fit --points examples/validate/neuron-sample.csv --family neuron-v2 --cv
  aiecon hw fit --points my-measurements.csv --points more.csv --json
  aiecon hw fit --points gpu-static.csv --family gpu --cv-by tp
  aiecon hw fit --points neuron.csv --family neuron-v2 --priced-as neuron-v3`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o.cv = o.cv || cmd.Flags().Changed("cv-by")
			return runHWFit(cmd.Context(), e, o)
		},
	}
	cmd.Flags().BoolVar(&o.asJSON, "json", false, "print JSON instead of tables")
	cmd.Flags().BoolVar(&o.cv, "cv", false, "cross-validate, leaving one model out at a time")
	cmd.Flags().StringVar(&o.cvBy, "cv-by", string(hw.ByModel), "what each cross-validation fold leaves out: `model`, tp (a TP degree) or shape (a layer shape); implies --cv")
	cmd.Flags().StringArrayVar(&o.points, "points", nil, "serving measurements CSV `file` (- for stdin); repeat for several")
	cmd.Flags().StringVar(&o.family, "family", "", "fit only this step `family` ("+strings.Join(hw.StepFamilies(), ", ")+")")
	addModelsFlag(cmd.Flags(), &o.models)
	cmd.Flags().StringVar(&o.calibration, "calibration", "", "fit with this calibration profile's GEMM efficiency: a profile `FILE`, or latest; default: the built-in profile")
	cmd.Flags().BoolVar(&o.save, "save", false, "save the fitted constants into a copy of the --calibration profile, for runs given it")
	cmd.Flags().StringVar(&o.pricedAs, "priced-as", "", "price --family's rows as this step `family` structures its graphs: the fit it inherits ("+
		strings.Join(hw.PricedAsPairings(), ", ")+")")
	return cmd
}

// runHWFit fits (and cross-validates) each family of the points and prints
// the constants, as tables or JSON.
func runHWFit(ctx context.Context, e *env, o hwFitOptions) error {
	if len(o.points) == 0 {
		return badInput("hw fit: give --points FILE (one or more measurement CSVs; see aiecon hw fit --help)")
	}
	by := hw.CVBy(o.cvBy)
	if !slices.Contains(hw.CVBys(), by) {
		return badInput("--cv-by %q: give model (leave one model out), tp (leave one TP degree out) or shape (leave one layer shape out)", o.cvBy)
	}
	if err := checkFamily(o.family); err != nil { // first: --priced-as's refusals presume a known family
		return err
	}
	if err := checkPricedAs(o); err != nil {
		return err
	}
	extra, err := extraModels(o.models)
	if err != nil {
		return err
	}
	byFamily, order, err := readFamilies(e, o.points, o.family, extra)
	if err != nil {
		return err
	}
	if o.save && o.calibration == "" {
		return badInput("--save writes the constants into a copy of the --calibration profile: name one (a FILE, or latest); the built-in profile's are the committed constants")
	}
	prof, profPath := (*hw.Profile)(nil), "built-in"
	if o.calibration != "" {
		if profPath, prof, err = calibrationProfile(e, o.calibration); err != nil {
			return err
		}
	} else if prof, err = hw.BuiltinProfile(); err != nil {
		return err
	}
	prog := newFitProgress(e, time.Now())
	ticker := time.NewTicker(progressEvery / 2)
	results, errs, err := fitEach(ctx, byFamily, order, prof, fitHow{o.cv, by, o.pricedAs}, prog, ticker.C)
	ticker.Stop()
	prog.finish()
	if err != nil {
		return err
	}
	var out []fitResult
	var empty []string // what was said of the families that had nothing to fit
	for i, fam := range order {
		r, err := results[i], errs[i]
		if errors.Is(err, hw.ErrNothingToFit) {
			empty = append(empty, nothingFitted(fam, r.Report))
			continue
		}
		if err != nil {
			return asUsage(err)
		}
		out = append(out, r)
	}
	if len(out) == 0 {
		return badInput("hw fit: no row to fit\n%s", strings.TrimSuffix(strings.Join(empty, ""), "\n"))
	}
	for _, s := range empty {
		fmt.Fprint(e.stderr, s)
	}
	if o.save {
		// The fit is printed before the refusal: it took a while, and it
		// shows which constants no row reached.
		if err := refuseUnexercised(out); err != nil {
			return errors.Join(printFits(e, o.asJSON, out), err)
		}
		if err := saveFitted(ctx, e, prof, profPath, out); err != nil {
			return err
		}
	}
	return printFits(e, o.asJSON, out)
}

// saveFitted writes the fitted constants into a copy of the profile they
// were fitted with (replacing the family's earlier ones), saved beside the
// other profiles, and says where.
func saveFitted(ctx context.Context, e *env, prof *hw.Profile, from string, fits []fitResult) error {
	dir, err := e.profileDir()
	if err != nil {
		return err
	}
	np := *prof.Successor(time.Now().UTC())
	np.Serving = nil
	var fams []string
	for _, r := range fits {
		s := r.Serving
		s.Source = fmt.Sprintf("aiecon hw fit with the profile %s: %s", from, s.Source)
		s.Structure = hw.ServingStructure(s.Family) // Profile.Caveats warns once the family's graphs change
		if r.CV != nil {
			s.CV = r.CV.Summary(s.FittedRows) // no figure where the cross-validation is too thin to carry one
		}
		np.Serving = append(np.Serving, s)
		fams = append(fams, s.Family)
	}
	for _, s := range prof.Serving { // the profile's other families stand
		if !slices.Contains(fams, s.Family) {
			np.Serving = append(np.Serving, s)
		}
	}
	np.Note = strings.TrimPrefix(fmt.Sprintf("%s; serving constants of %s fitted with it", prof.Note, strings.Join(fams, ", ")), "; ")
	path, err := saveProfile(ctx, e, dir, &np, "fit")
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "saved %s: runs given it (--calibration, or hardware.calibration) price %s with these constants\n", path, strings.Join(fams, ", "))
	return nil
}

type fitResult struct {
	Serving hw.Serving   `json:"serving"`
	Default hw.Serving   `json:"committed_default"`
	Report  hw.FitReport `json:"report"`
	CV      *hw.CVReport `json:"cv,omitempty"`
	// NoCV says why --cv did not cross-validate this family (its points
	// are of one model or TP degree), where it did not.
	NoCV string `json:"no_cv,omitempty"`
}

// checkFamily refuses a --family that is no step family ("" is all of them).
func checkFamily(family string) error {
	if family != "" && !slices.Contains(hw.StepFamilies(), family) {
		return badInput("--family %q: known families are %s", family, strings.Join(hw.StepFamilies(), ", "))
	}
	return nil
}

// checkPricedAs refuses --priced-as where it means nothing: an unknown
// family, without --family, with --cv or --save, or a pairing
// hw.CheckPricedAs refuses. Checked before the points are read, so that a
// mistyped flag costs no fit.
func checkPricedAs(o hwFitOptions) error {
	if o.pricedAs == "" {
		return nil
	}
	pairs := strings.Join(hw.PricedAsPairings(), ", ")
	switch {
	case !slices.Contains(hw.StepFamilies(), o.pricedAs):
		return badInput("--priced-as %q: known families are %s (fits that mean something: %s)", o.pricedAs, strings.Join(hw.StepFamilies(), ", "), pairs)
	case o.family == "":
		return badInput("--priced-as %s prices one family's rows: give --family (fits that mean something: %s)", o.pricedAs, pairs)
	case o.cv:
		return badInput("--priced-as %s: --cv cross-validates rows priced as their own family structures its graphs; leave one of them out", o.pricedAs)
	case o.save:
		return badInput("--priced-as %s: --save has no place in a profile for %s's rows priced as %s; leave one of them out", o.pricedAs, o.family, o.pricedAs)
	}
	if err := hw.CheckPricedAs(o.family, o.pricedAs); err != nil {
		return badInput("--family %s --priced-as %s: %v", o.family, o.pricedAs, err)
	}
	return nil
}

// fitHow is how fitOne fits a family: cross-validated (cv, by), and
// priced as another family structures its graphs (pricedAs, "" for none).
type fitHow struct {
	cv       bool
	by       hw.CVBy
	pricedAs string
}

func fitOne(pts []hw.ServingPoint, prof *hw.Profile, how fitHow) (fitResult, error) {
	s, rep, err := hw.FitFamilyAs(pts, prof, how.pricedAs)
	if err != nil {
		return fitResult{Report: rep}, err
	}
	r := fitResult{Serving: s, Report: rep}
	// Beside a priced fit, the committed fit so priced (what the other
	// family inherits), not the family's own constants.
	if r.Default, err = hw.CommittedServingAs(rep.Family, how.pricedAs); err != nil {
		return fitResult{}, err
	}
	if how.cv {
		r.CV, err = hw.CrossValidateBy(pts, prof, how.by)
		switch {
		case errors.Is(err, hw.ErrTooFewFolds):
			r.NoCV = err.Error() // the fit stands; the other families cross-validate
		case err != nil:
			return fitResult{}, err
		default:
			r.Serving.Spread = r.CV.Spread(r.Serving)
		}
	}
	return r, nil
}

// fitEach runs fitOne for each family, in order, and stops with the
// context's error when it is cancelled (a stop signal): the optimiser does
// not watch it, so a fit in progress is abandoned, which loses nothing
// (hw fit writes only when done). At each tick, prog shows that it is
// still fitting.
func fitEach(ctx context.Context, byFamily map[string][]hw.ServingPoint, order []string, prof *hw.Profile, how fitHow,
	prog *fitProgress, ticks <-chan time.Time) ([]fitResult, []error, error) {
	type result struct {
		r   fitResult
		err error
	}
	out, errs := make([]fitResult, len(order)), make([]error, len(order))
	for i, fam := range order {
		done := make(chan result, 1)
		prog.begin(fam, len(byFamily[fam]), how.cv)
		go func() {
			r, err := fitOne(byFamily[fam], prof, how)
			done <- result{r, err}
		}()
	wait:
		for {
			select {
			case <-ctx.Done():
				return nil, nil, fmt.Errorf("hw fit: %w; stopped by a signal, nothing was written", ctx.Err())
			case t := <-ticks:
				prog.tick(t)
			case res := <-done:
				out[i], errs[i] = res.r, res.err
				break wait
			}
		}
	}
	return out, errs, nil
}

// readFamilies reads every points file and groups the rows by step family.
func readFamilies(e *env, paths []string, only string, extra map[string]llm.Arch) (map[string][]hw.ServingPoint, []string, error) {
	if err := checkFamily(only); err != nil {
		return nil, nil, err
	}
	if err := stdinOnce(paths); err != nil {
		return nil, nil, err
	}
	by := map[string][]hw.ServingPoint{}
	var order []string
	for _, path := range paths {
		pts, err := readPoints(e, path, extra)
		if err != nil {
			return nil, nil, err
		}
		for _, pt := range pts {
			inst, err := hw.InstanceByName(pt.Instance)
			if err != nil {
				return nil, nil, badInput("%s:%d: %v", path, pt.Line, err)
			}
			chip, err := inst.ChipSpec()
			if err != nil {
				return nil, nil, err
			}
			fam := chip.StepFamily
			if only != "" && fam != only {
				continue
			}
			if _, ok := by[fam]; !ok {
				order = append(order, fam)
			}
			by[fam] = append(by[fam], pt)
		}
	}
	if len(order) == 0 {
		return nil, nil, badInput("--family %s: none of the points is on a chip of that family", only)
	}
	slices.Sort(order)
	return by, order, nil
}

// readPoints reads a measurement file; extra (from --models) gives the
// architectures of models the catalog lacks.
// stdinOnce refuses '-' named more than once among a command's files:
// standard input reads once, so the second '-' read nothing and failed with
// exit 2 after the first file's report had printed.
func stdinOnce(paths []string) error {
	n := 0
	for _, p := range paths {
		if p == "-" {
			n++
		}
	}
	if n > 1 {
		return badInput("'-' (standard input) is named %d times: it can be read once; save it to a file to name it again", n)
	}
	return nil
}

func readPoints(e *env, path string, extra map[string]llm.Arch) ([]hw.ServingPoint, error) {
	// Ignored columns are one warning line on stderr; --quiet drops it.
	read := func(r io.Reader) ([]hw.ServingPoint, error) {
		return hw.ReadServingPointsWarn(r, path, func(msg string) {
			if !e.quiet {
				// msg names the header's columns: an escape sequence in one
				// rewrote the terminal.
				fmt.Fprintf(e.stderr, "aiecon: warning: %s\n", format.Visible(msg))
			}
		})
	}
	var pts []hw.ServingPoint
	var err error
	if path == "-" {
		pts, err = read(e.stdin)
	} else {
		// A pipe no process writes to waits only until Ctrl-C.
		pts, err = model.ReadFileWith(path, read)
	}
	if err != nil {
		// It begins with path:line, or names the file (both validate and
		// hw fit read them); a stop signal stays errors.Is-visible.
		return nil, badInput("%w", err)
	}
	withModels(pts, extra)
	return pts, nil
}

func printFit(w io.Writer, r fitResult) error {
	rep, s := r.Report, r.Serving
	fmt.Fprintf(w, "family %s: %s\n", rep.Family, hw.StepFamilyAbout(rep.Family))
	if rep.PricedAs != "" {
		fmt.Fprintf(w, "PRICED AS %s: the rows' graphs structured as %s structures its own, the fit %s inherits; COMMITTED is the committed fit so priced\n",
			rep.PricedAs, rep.PricedAs, rep.PricedAs)
	}
	fmt.Fprintf(w, "GEMM efficiency %s\n", rep.Efficiency)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	if r.CV != nil {
		fmt.Fprintln(tw, "CONSTANT	FITTED	± FOLDS	COMMITTED	UNIT")
	} else {
		fmt.Fprintln(tw, "CONSTANT	FITTED	COMMITTED	UNIT")
	}
	def := r.Default.Values()
	for i, v := range s.Values() {
		c := hw.ConstantNames[i]
		spread := ""
		if r.CV != nil {
			spread = "	" + formatStdErr(r.CV, i, v)
		}
		fitted := fmt.Sprintf("%.4g", v)
		if slices.Contains(rep.Unexercised, c.Name) {
			fitted = "not fitted" // held at the committed value, the next column
		}
		fmt.Fprintf(tw, "%s	%s%s	%.4g	%s\n", c.Name, fitted, spread, def[i], c.Unit)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if r.CV != nil {
		printFoldNotes(w, r.CV)
	}
	if r.NoCV != "" {
		fmt.Fprintf(w, "not cross-validated: %s\n", r.NoCV)
	}
	fmt.Fprintf(w, "RMS log error %.3f over %d rows (%d evaluations, %s)\n", rep.RMSLogErr, len(rep.Rows)-len(rep.Unfitted), rep.Evaluations, rep.Status)
	n, numbers := distinctRows(rep.Rows)
	if rep := len(rep.Rows) - n; rep > 0 {
		fmt.Fprintf(w, "REPEATED ROWS: %d rows repeat another exactly (the same configuration and measurements): the fit counts each copy "+
			"again, and they add nothing to what it knows\n", rep)
	}
	if n < hw.ThinFitRows {
		fmt.Fprintf(w, "THIN FIT: %d distinct rows (%d numbers) for %d free constants: the fit interpolates them, a small error says little, and "+
			"run calls constants fitted to under %d rows thinly fitted\n", n, numbers, rep.Free, hw.ThinFitRows)
	}
	if len(s.FittedShapes) > 0 {
		fmt.Fprintf(w, "measured at %s (active parameters; run warns outside 2x of them per device)\n", hw.DescribeShapes(s.FittedShapes))
	}
	if len(s.FittedWeights) > 0 {
		fmt.Fprintf(w, "weights measured in %s (run warns on other formats)\n", llm.JoinDTypes(s.FittedWeights))
	}
	if s.FittedMaxPrompt > 0 {
		fmt.Fprintf(w, "prompts measured to %s tokens and contexts (prompt plus output) to %s, %s\n",
			format.Thousands(int64(s.FittedMaxPrompt)), format.Thousands(int64(s.FittedMaxContext)), moeMeasured(s.FittedMoE))
	}
	if s.FittedMaxBatch > 0 {
		fmt.Fprintf(w, "batches measured from %s to %s sequences at once, %d of %d rows loops of clients%s (run warns when max_num_seqs is past 2x of them)\n",
			format.Thousands(int64(s.FittedMinBatch)), format.Thousands(int64(s.FittedMaxBatch)), s.FittedLoops, s.FittedRows, stacksServed(s.FittedStacks))
	}
	if len(rep.Unexercised) > 0 {
		fmt.Fprintf(w, "NOT FITTED: no row exercises %s (%s): held at the committed value; --save refuses it\n",
			strings.Join(rep.Unexercised, ", "), whatExercises(rep.Unexercised))
	}
	if len(rep.AtBound) > 0 {
		fmt.Fprintf(w, "at the bound 0: %s (the data leaves no room for them)\n", strings.Join(rep.AtBound, ", "))
	}
	// Each row's cells, and the reasons quoting them, come from the file: an
	// escape sequence in a spec_decode cell rewrote the terminal.
	for _, sk := range rep.Skipped {
		fmt.Fprintf(w, "skipped %s: %s\n", format.Visible(sk.Point.Where()), format.Visible(sk.Reason))
	}
	for _, sk := range rep.Unfitted {
		fmt.Fprintf(w, "not fitted %s: %s\n", format.Visible(sk.Point.Where()), format.Visible(sk.Reason))
	}
	if r.CV != nil {
		return printCV(w, r.CV)
	}
	return nil
}

// stacksServed names the serving stacks of a fit's rows (", served by
// TensorRT-LLM 0.9.0"), "" where no row said.
func stacksServed(stacks []string) string {
	if len(stacks) == 0 {
		return ""
	}
	return ", served by " + strings.Join(stacks, " and ")
}

// moeMeasured closes the lengths line of a fit: whether a mixture of
// experts was among the rows, and what run warns on.
func moeMeasured(moe bool) string {
	if moe {
		return "a mixture of experts among the models (run warns past the prompts and past 2x of the contexts)"
	}
	return "dense models only (run warns past the prompts, past 2x of the contexts, and on a mixture of experts)"
}

// formatStdErr prints constant i's standard error over the folds with its
// share of the value v: "held" for a constant the fit plan does not fit,
// "n/a" where fewer than 3 folds fit and see it, and how many folds it
// rests on when some could not see it.
func formatStdErr(cv *hw.CVReport, i int, v float64) string {
	name, se := hw.ConstantNames[i].Name, cv.StdErr[i]
	if slices.Contains(cv.Held, name) {
		return "held"
	}
	if math.IsNaN(se) {
		return "n/a"
	}
	out := fmt.Sprintf("±%.2g", se)
	if v > 1e-9 {
		out += fmt.Sprintf(" (%.0f%%)", 100*se/v)
	}
	unseen := 0
	for _, names := range cv.Unseen {
		if slices.Contains(names, name) {
			unseen++
		}
	}
	if unseen > 0 {
		out += fmt.Sprintf(", %d of %d folds", len(cv.Folds)-unseen, len(cv.Folds))
	}
	return out
}

// printFoldNotes says what the ± FOLDS column is and which folds could not
// see a constant (their predictions used the fit's prior for it).
func printFoldNotes(w io.Writer, cv *hw.CVReport) {
	fmt.Fprintf(w, "± FOLDS: jackknife standard error over the %s folds that see the constant (how much it moves with the %ss the fit sees); n/a under 3 such folds\n", cv.By.Name(), cv.By.Noun())
	folds := slices.Sorted(maps.Keys(cv.Unseen))
	for _, m := range folds {
		fmt.Fprintf(w, "the fold without %s has no row that exercises %s: left at the fit's prior there\n", m, strings.Join(cv.Unseen[m], ", "))
	}
}

func printCV(w io.Writer, cv *hw.CVReport) error {
	ttftRows, tpotRows := hw.MetricRows(cv.Groups)
	fmt.Fprintf(w, "\n%s cross-validation: MAPE TTFT %s, TPOT %s over %d rows\n", cv.By.Name(), pctOver(cv.TTFTMAPE, ttftRows), pctOver(cv.TPOTMAPE, tpotRows), len(cv.Rows))
	if cv.Thin != "" {
		fmt.Fprintf(w, "THIN CROSS-VALIDATION: %s: these MAPEs are the errors of a few predictions, not a validated error; "+
			"--save records no figure, and run does not quote one\n", cv.Thin)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "INSTANCE	MODEL	TP	WEIGHTS	ROWS	TTFT MAPE	BIAS	TPOT MAPE	BIAS")
	for _, g := range cv.Groups {
		fmt.Fprintf(tw, "%s	%s	%d	%s	%d	%s\n", g.Instance, g.Model, g.TP, g.WeightDType, g.Rows, groupErrors(g))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "worst rows (predicted without their %s):\n", cv.By.Noun())
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, r := range cv.Worst(5) {
		tpot := r.TPOTMs
		if r.Point.OutputTokens < 2 {
			tpot = math.NaN() // one output token: no time between tokens
		}
		fmt.Fprintf(tw, "  %s	%s	%s\n", r.Point, versus("TTFT", r.TTFTMs, r.Point.TTFTMs, r.TTFTRelErr, 1), versus("TPOT", tpot, r.Point.TPOTMs, r.TPOTRelErr, 2))
	}
	return tw.Flush()
}

// printEach prints each item with print, a blank line between them (a
// table per family, per file).
func printEach[T any](w io.Writer, items []T, print func(io.Writer, T) error) error {
	for i, it := range items {
		if i > 0 {
			fmt.Fprintln(w)
		}
		if err := print(w, it); err != nil {
			return err
		}
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
	return fmt.Sprintf("%s (%s)", strconv.FormatFloat(f.Value, 'f', -1, 64), hw.PriceWhen(f))
}

// sourceSite is the document a source key names, without its commentary.
func sourceSite(key string) string {
	src, _ := hw.SourceByKey(key)
	site, _, _ := strings.Cut(src.Description, ":")
	return site
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

// distinctRows counts the fit's rows that differ in configuration or
// measurement (a file concatenated with itself repeats every row), and the
// numbers (TTFT and TPOT) they publish.
func distinctRows(rows []hw.FitRow) (n, numbers int) {
	seen := map[string]bool{}
	for _, r := range rows {
		p := r.Point
		key := fmt.Sprintf("%s|%s|%d|%d|%d|%d|%d|%s|%s|%g|%g|%d|%g|%d|%s", p.Model, p.Instance, p.TP, p.Batch, p.SeqLen, p.InputTokens,
			p.OutputTokens, p.WeightDType, p.KVDType, p.TTFTMs, p.TPOTMs, p.Concurrency, p.RequestRate, p.Prompts, p.Stat)
		if seen[key] {
			continue
		}
		seen[key] = true
		n++
		if p.HasTTFT() {
			numbers++
		}
		if p.HasTPOT() {
			numbers++
		}
	}
	return n, numbers
}
