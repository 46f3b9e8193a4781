package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"golang.org/x/term"

	"aiecon/data"
	"aiecon/hw"
	"aiecon/kernels"
	"aiecon/model"
)

func init() { register(newCalibrateCmd) }

// maxCalibratePasses bounds --passes: a pass times the whole grid, and a
// shape keeps its fastest, so passes past a few change little (--passes
// 1000000000 ran until interrupted).
const maxCalibratePasses = 20

func newCalibrateCmd(e *env) *cobra.Command {
	var quick, fresh bool
	var dtypes []string
	var passes int
	var seed uint64
	cmd := &cobra.Command{
		Use:   "calibrate",
		Short: "Measure GEMM efficiency on this machine and save a calibration profile",
		Long: `Calibrate times real batched matrix multiplies (gonum BLAS) over a grid of the
shapes LLM serving runs, probes this machine's roofline (peak GEMM rate and
STREAM-triad bandwidth), fits an efficiency model eta(M, N, K) to the timings
with 20% of the shapes held out, and saves everything as a versioned JSON profile in
$AIECON_CONFIG_DIR/calibration (default: your config directory, aiecon/calibration).
Runs keep using the built-in profile until asked for another: pass
--calibration latest (or a profile file) to run, sweep, optimize or validate,
or name it in the scenario (hardware.calibration).

The host's float32 efficiency stands in for the accelerators' bf16/fp16/fp8
engines (the transfer assumption, docs/calibration.md); float64 is measured as
a second data point. With real-device timings, "aiecon calibrate import"
replaces the assumption for that chip. The step-time constants (gemm_scale,
attn_scale and the rest) are not refitted here: they were fitted to the
published measurements under the built-in profile, and a run with another
profile prices its GEMMs with that profile's efficiency under them, unless
'aiecon hw fit --calibration PROFILE --save' fitted constants into it.

The new profile carries over the imported device timings and fitted serving
constants of the profile --calibration latest takes now, so that becoming
latest does not drop them (the constants were fitted under that profile's
host efficiency: it warns to refit them); --fresh leaves them out and says
what latest then lacks.

The full grid takes about 9 minutes on two idle cores, --quick about 15
seconds; both take longer on a loaded machine (--quick a minute or more).
A profile whose float32 held-out error passes 30% (a busy machine, or
--quick) is saved with a warning, and --calibration latest passes over it:
name its file to use it. Ctrl-C stops cleanly and saves nothing.`,
		Example: `  aiecon calibrate --quick
  aiecon calibrate --dtype float32
  aiecon calibrate show
  aiecon calibrate import timings.csv --hw Trainium2`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opt := kernels.Options{}
			if quick {
				opt = kernels.QuickOptions()
			}
			if err := parseCalibrateDTypes(&opt, dtypes); err != nil {
				return err
			}
			if cmd.Flags().Changed("passes") {
				if passes < 1 || passes > maxCalibratePasses {
					return badInput("--passes %d: want 1 to %d (each pass times the whole grid again)", passes, maxCalibratePasses)
				}
				opt.Passes = passes
			}
			opt.Seed = seed
			opt.Command = commandLine(cmd)
			if quick {
				opt.Note = "quick calibration (coarse grid, short timings): a first look, not a reference"
			}
			return runCalibrate(cmd.Context(), e, opt, fresh)
		},
	}
	cmd.Flags().BoolVar(&quick, "quick", false, "coarse grid (88 shapes), short timings: about 15 s on two idle cores, longer on a loaded machine")
	cmd.Flags().StringSliceVar(&dtypes, "dtype", nil, "host formats to calibrate: float32, float64 (default both)")
	cmd.Flags().IntVar(&passes, "passes", 0, "times over the grid, each in a new random order; a shape keeps its fastest (default 2, 1 with --quick)")
	cmd.Flags().Uint64Var(&seed, "seed", 1, "seed of the operand values, pass orders and hold-out split")
	cmd.Flags().BoolVar(&fresh, "fresh", false, "do not carry over the imported device timings and fitted serving constants of the profile --calibration latest takes")
	cmd.AddCommand(newCalibrateImportCmd(e), newCalibrateShowCmd(e), newCalibrateRefitCmd(e))
	return cmd
}

// parseCalibrateDTypes adds the host formats --dtype names (comma-separated
// or repeated) to opt, refusing an unknown one and a list without float32,
// the format the transfer assumption uses.
func parseCalibrateDTypes(opt *kernels.Options, dtypes []string) error {
	for _, s := range dtypes {
		for part := range strings.SplitSeq(s, ",") {
			dt, err := kernels.ParseHostDType(strings.TrimSpace(part))
			if err != nil {
				return badInput("--dtype: %v", err)
			}
			opt.DTypes = append(opt.DTypes, dt)
		}
	}
	if len(opt.DTypes) > 0 && !containsDType(opt.DTypes, kernels.Float32) {
		return badInput("--dtype %s: float32 is required (it is the format the transfer assumption uses)", strings.Join(dtypes, ","))
	}
	return nil
}

// commandLine reconstructs the command and the flags the user set, to record
// how a profile was made.
func commandLine(cmd *cobra.Command) string {
	line := cmd.CommandPath()
	cmd.Flags().Visit(func(f *pflag.Flag) {
		if f.Value.Type() == "bool" {
			line += " --" + f.Name
			return
		}
		line += " --" + f.Name + "=" + strings.Trim(f.Value.String(), "[]")
	})
	return line
}

func containsDType(ds []kernels.HostDType, d kernels.HostDType) bool {
	for _, x := range ds {
		if x == d {
			return true
		}
	}
	return false
}

// calibrateProgress draws a bar with ETA on a terminal stderr and prints one
// line per phase (also when stderr is not a terminal); --quiet silences both.
type calibrateProgress struct {
	e        *env
	terminal bool
	bar      *progressbar.ProgressBar
}

func newCalibrateProgress(e *env) *calibrateProgress {
	f, ok := e.stderr.(*os.File)
	return &calibrateProgress{e: e, terminal: ok && term.IsTerminal(int(f.Fd()))}
}

func (p *calibrateProgress) update(pr kernels.Progress) {
	if p.e.quiet {
		return
	}
	if pr.Message != "" {
		if p.bar != nil {
			_ = p.bar.Clear()
		}
		fmt.Fprintln(p.e.stderr, pr.Message)
	}
	if !p.terminal || pr.Total <= 0 {
		return
	}
	if p.bar == nil {
		// Created on the first report, when the number of steps is known.
		p.bar = progressbar.NewOptions(pr.Total,
			progressbar.OptionSetWriter(p.e.stderr),
			progressbar.OptionSetDescription("calibrating"),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionShowCount(),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish(),
			progressbar.OptionFullWidth(),
		)
	}
	if pr.Phase == "grid" && pr.Shape.Batch > 0 {
		p.bar.Describe(fmt.Sprintf("%s %v", pr.DType, pr.Shape))
	}
	_ = p.bar.Set(pr.Done)
}

func (p *calibrateProgress) done() {
	if p.bar != nil {
		_ = p.bar.Finish()
	}
}

func runCalibrate(ctx context.Context, e *env, opt kernels.Options, fresh bool) error {
	dir, err := e.profileDir()
	if err != nil {
		return err
	}
	pr := newCalibrateProgress(e)
	opt.Progress = pr.update
	start := time.Now()
	p, err := kernels.Calibrate(ctx, opt)
	pr.done()
	if err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("calibration interrupted after %s, nothing saved: %w", time.Since(start).Round(time.Second), ctx.Err())
		}
		return fmt.Errorf("calibration failed, nothing saved: %w", err)
	}
	return saveCalibrated(ctx, e, dir, p, fresh, time.Since(start))
}

// saveCalibrated saves a profile calibrate measured, carrying over the
// imported device timings and fitted serving constants of the profile
// --calibration latest takes now unless fresh (carryOver), and prints it.
func saveCalibrated(ctx context.Context, e *env, dir string, p *hw.Profile, fresh bool, took time.Duration) error {
	carried, err := carryOver(e, dir, p, fresh)
	if err != nil {
		return err
	}
	path, err := saveProfile(ctx, e, dir, p, "host-cpu")
	if err != nil {
		return err
	}
	if err := printProfile(e.stdout, p); err != nil {
		return err
	}
	use := "runs use it when given --calibration latest (or the file)"
	if p.PoorFit() > 0 {
		use = "runs use it only when given the file: --calibration latest passes over it (see the warning)"
	}
	_, err = fmt.Fprintf(e.stdout, "\nsaved %s (%s); %s%s\n", path, took.Round(time.Second), use, carried)
	return err
}

// carryOver gives the new host profile p the imported device timings and
// serving constants of the profile --calibration latest takes now, and
// returns what the saved line adds about them. A calibration started from
// nothing, and once well fitted it became latest: every later run on an
// imported chip lost its device timings, and every family its fitted
// constants, without a word. The timings do not depend on the host; the
// constants were fitted under the old profile's host curve, which a
// warning says. With fresh it carries nothing and says what latest loses.
func carryOver(e *env, dir string, p *hw.Profile, fresh bool) (string, error) {
	prev, from, _, err := hw.NewestFitProfile(dir)
	if errors.Is(err, hw.ErrNoProfile) || errors.Is(err, hw.ErrPoorFit) {
		return "", nil // latest takes no saved profile: nothing to lose
	}
	if err != nil { // an unreadable newest profile: the measurement is still saved
		fmt.Fprintf(e.stderr, "aiecon: warning: carrying no device timings or serving constants over: %v\n", err)
		return "", nil
	}
	if len(prev.Imported) == 0 && len(prev.Serving) == 0 {
		return "", nil
	}
	what := profileExtras(prev)
	if fresh {
		return fmt.Sprintf("; --fresh: it lacks %s of %s, which runs with --calibration latest had", what, from), nil
	}
	p.Imported = slices.Clone(prev.Imported)
	p.Serving = slices.Clone(prev.Serving)
	if len(p.Serving) > 0 {
		fams := make([]string, len(p.Serving))
		for i, s := range p.Serving {
			fams[i] = s.Family
		}
		fmt.Fprintf(e.stderr, "aiecon: warning: the %s serving constants carried over from %s were fitted with that profile's host efficiency, not this one's; "+
			"refit them with aiecon hw fit --points FILE --calibration latest --save (or calibrate with --fresh to leave them out)\n",
			strings.Join(fams, ", "), from)
	}
	return fmt.Sprintf("; it carries %s over from %s (--fresh leaves them out)", what, from), nil
}

// profileExtras names what a profile holds beyond its host fit: its
// imported device timings (chip and dtype) and serving constants (family).
func profileExtras(p *hw.Profile) string {
	var parts []string
	if len(p.Imported) > 0 {
		var cs []string
		for _, c := range p.Imported {
			cs = append(cs, c.Chip+" "+string(c.DType))
		}
		parts = append(parts, "the imported device timings ("+strings.Join(cs, ", ")+")")
	}
	if len(p.Serving) > 0 {
		var fs []string
		for _, s := range p.Serving {
			fs = append(fs, s.Family)
		}
		parts = append(parts, "the fitted serving constants ("+strings.Join(fs, ", ")+")")
	}
	return strings.Join(parts, " and ")
}

// saveProfile writes p to the profile directory (what the simulator reads)
// and then records it in the DuckDB store of --db. A store that cannot be
// opened or written (locked by a running simulation, say) is reported on
// stderr but does not fail the command: the profile file is already saved.
func saveProfile(ctx context.Context, e *env, dir string, p *hw.Profile, device string) (string, error) {
	path, err := hw.SaveProfile(dir, p)
	if err != nil {
		return "", err
	}
	js, err := json.Marshal(p)
	if err != nil {
		return path, err
	}
	s, err := openStore(e, false)
	if err == nil {
		_, err = s.SaveCalibration(ctx, string(js), data.CalibrationMeta{
			Device: device, Host: p.Machine.CPUModel, Version: aieconVersion(), Note: p.Note,
		})
		err = errors.Join(err, s.Close())
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "aiecon: warning: profile saved to %s but not recorded in the store %s: %v\n", path, e.dbPath, err)
	}
	if bad := p.PoorFit(); bad > 0 { // a warning now, not only a note in the table above
		fmt.Fprintf(e.stderr, "aiecon: warning: POORLY FITTED: %s misses its held-out shapes by %.0f%%, past the %.0f%% --calibration latest accepts, "+
			"so latest passes over it and a run that names the file warns; rerun aiecon calibrate on a quieter machine (without --quick)\n",
			path, 100*bad, 100*hw.PoorFitMAPE)
	}
	return path, nil
}

// heldOutTarget is the target for the held-out error of the fit.
const heldOutTarget = 0.10

// printProfile summarises a profile: machine, roofline, fitted model and
// error per host format, imported device calibrations, serving constants.
func printProfile(w io.Writer, p *hw.Profile) error {
	m := p.Machine
	fmt.Fprintf(w, "profile  %s, version %d\n", p.Created.UTC().Format(time.RFC3339), p.Version)
	if p.Note != "" {
		fmt.Fprintf(w, "note     %s\n", p.Note)
	}
	fmt.Fprintf(w, "machine  %s, %d cores, GOMAXPROCS %d, L3 %d MiB, %s %s/%s\n\n",
		m.CPUModel, m.Cores, m.GOMAXPROCS, m.L3Bytes>>20, m.GoVersion, m.OS, m.Arch)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "HOST\tPEAK GFLOP/s\tTRIAD GB/s\tSHAPES\tCONTENDED\tHELD OUT\tTRAIN MAPE\tHELD-OUT MAPE")
	var over []string
	for i := range p.Hosts {
		h := &p.Hosts[i]
		held, contended := 0, 0
		for _, x := range h.Measurements {
			if x.HeldOut {
				held++
			}
			if x.Contended {
				contended++
			}
		}
		fmt.Fprintf(tw, "%s\t%.1f\t%.1f\t%d\t%d\t%d\t%.1f%%\t%.1f%%\n", h.DType, h.PeakFLOPSPerS/1e9, h.BytesPerS/1e9,
			len(h.Measurements), contended, held, 100*h.TrainMAPE, 100*h.HeldOutMAPE)
		if h.HeldOutMAPE > heldOutTarget {
			over = append(over, h.DType)
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(over) > 0 {
		fmt.Fprintf(w, "\nnote: held-out error above the %.0f%% target for %s: a busy machine (see CONTENDED) or a coarse grid (--quick); rerun on a quieter machine\n",
			100*heldOutTarget, strings.Join(over, ", "))
	}
	fmt.Fprintln(w, "\nfitted model: t = overhead + per_product (batch-1) + (tc^blend + tm^blend)^(1/blend)")
	fmt.Fprintln(w, "  tc = flops/(peak compute_eff) (1+(m0/M)^m_exp) (1+(n0/N)^n_exp) (1+(k0/K)^k_exp),  tm = bytes/(triad mem_eff)")
	for i := range p.Hosts {
		g := p.Hosts[i].Model
		fmt.Fprintf(w, "  %s: overhead %.1f us, per_product %.2f us, compute_eff %.3f, m0 %.3g^%.2f, n0 %.3g^%.2f, k0 %.3g^%.2f, mem_eff %.3f, blend %.2f\n",
			p.Hosts[i].DType, g.OverheadS*1e6, g.PerProductS*1e6, g.ComputeEff, g.M0, g.MExp, g.N0, g.NExp, g.K0, g.KExp, g.MemEff, g.Blend)
	}
	if h := p.Host(hw.HostFloat32); h != nil {
		fmt.Fprintln(w, "\nfloat32 efficiency (fraction of the host roofline) at N = K = 4096, the transfer assumption's input:")
		for _, mm := range []int{1, 8, 64, 512, 4096} {
			fmt.Fprintf(w, "  M=%-5d eta %.2f\n", mm, h.Eta(1, mm, 4096, 4096))
		}
	}
	if len(p.Imported) > 0 {
		fmt.Fprintln(w, "\nimported device timings (take precedence for their chip and dtype):")
		for _, c := range p.Imported {
			fmt.Fprintf(w, "  %s %s: %d shapes, peak %.0f TFLOP/s, HBM %.0f GB/s per device (%s)\n",
				c.Chip, c.DType, len(c.Measurements), c.PeakFLOPSPerS/1e12, c.BytesPerS/1e9, c.Source)
		}
	}
	if len(p.Serving) > 0 {
		fmt.Fprintln(w, "\nserving constants fitted with this profile:")
		for _, s := range p.Serving {
			fmt.Fprintf(w, "  %s: prefill %.3g ms, %.1f%% of peak HBM bandwidth\n", s.Family, s.PrefillS*1e3, 100*s.HBMFrac)
		}
	}
	return nil
}

func newCalibrateShowCmd(e *env) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "show [FILE]",
		Short: "Print the newest saved calibration profile, else the built-in one (or FILE)",
		Example: `  aiecon calibrate show
  aiecon calibrate show --json > profile.json`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var p *hw.Profile
			source := ""
			if len(args) == 1 {
				var err error
				if p, err = hw.LoadProfile(args[0]); err != nil {
					return asUsage(err)
				}
				source = args[0]
			} else {
				var err error
				dir, err := e.profileDir()
				if err != nil {
					return err
				}
				if p, source, err = hw.NewestProfileOrBuiltin(dir); err != nil {
					return asUsage(err) // the newest saved profile cannot be read, as show FILE of it
				}
			}
			if asJSON {
				return writeJSON(e.stdout, p)
			}
			fmt.Fprintf(e.stdout, "source   %s\n", source)
			return printProfile(e.stdout, p)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the whole profile as JSON")
	return cmd
}

func newCalibrateImportCmd(e *env) *cobra.Command {
	var chip string
	cmd := &cobra.Command{
		Use:   "import FILE.csv --hw CHIP",
		Short: "Import kernel timings measured on a real accelerator",
		Long: `Import reads GEMM timings measured on a real device and stores them in a new
copy of the profile --calibration latest takes (else the built-in one), where
they replace the transfer assumption for that chip and dtype, and any
timings an earlier import gave that chip and dtype: an import is the whole
measurement of a chip and dtype, not an addition to it, and the command
says what it replaces. The CSV has a header row and the columns (any order):

  hw       the chip as "aiecon hw list --chips" names it; must match --hw
  dtype    one of ` + kernels.ImportDTypes() + `
  batch    independent products in the call (heads, experts), >= 1
  m,n,k    the product (m x k)(k x n), each >= 1
  seconds  time of one batched GEMM on one tensor-parallel device (a logical
           NeuronCore or one GPU), a median over repetitions, > 0

One row per dtype and shape, at most 100,000 rows and 16 MiB (a
gzip-compressed file is read too, known by its first bytes; the bound is on
what it decompresses to). Every bad row
is counted, the first 20 listed as FILE:LINE (FILE:LINE:COL for a CSV
syntax error), and then nothing is imported.`,
		Example: `  aiecon calibrate import trn2-gemm.csv --hw Trainium2`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if chip == "" {
				return badInput("--hw is required: the chip the timings were measured on (aiecon hw list --chips)")
			}
			source := fmt.Sprintf("%s, imported %s", filepath.Base(args[0]), time.Now().UTC().Format(time.RFC3339))
			add, err := model.ReadFileWith(args[0], func(r io.Reader) ([]hw.ImportedCalibration, error) {
				return kernels.ReadImportFile(r, args[0], chip, source)
			})
			if err != nil {
				// It names the file, FILE:LINE:COL where it has a place, as
				// validate's and hw fit's readers do, or is about --hw.
				return asUsage(err)
			}
			dir, err := e.profileDir()
			if err != nil {
				return err
			}
			base, from, err := importBase(e, dir)
			if err != nil {
				return err
			}
			np := *base.Successor(time.Now().UTC())
			np.Imported = kernels.MergeImported(base.Imported, add)
			np.Note = strings.TrimSpace(fmt.Sprintf("%s; imported %s for %s", base.Note, filepath.Base(args[0]), chip))
			np.Note = strings.TrimPrefix(np.Note, "; ")
			path, err := saveProfile(cmd.Context(), e, dir, &np, add[0].Chip) // the catalog's spelling of --hw
			if err != nil {
				return err
			}
			for _, c := range add {
				fmt.Fprintf(e.stdout, "imported %d %s shapes for %s (device peak %.0f TFLOP/s, HBM %.0f GB/s)\n",
					len(c.Measurements), c.DType, c.Chip, c.PeakFLOPSPerS/1e12, c.BytesPerS/1e9)
				if old := base.ImportedFor(c.Chip, c.DType); old != nil {
					timings := "timings"
					if len(old.Measurements) == 1 {
						timings = "timing"
					}
					fmt.Fprintf(e.stdout, "  replacing the %d %s %s for %s from %s (an import is the whole measurement of a chip and dtype, not an addition to it)\n",
						len(old.Measurements), old.DType, timings, old.Chip, old.Source)
				}
				if w := c.Thin(); w != "" {
					fmt.Fprintf(e.stderr, "aiecon: warning: %s\n", w)
				}
			}
			_, err = fmt.Fprintf(e.stdout, "saved %s (copy of %s with the imported timings)\n", path, from)
			return err
		},
	}
	cmd.Flags().StringVar(&chip, "hw", "", "chip the timings were measured on, e.g. Trainium2 (required)")
	return cmd
}

// importBase is the profile an import copies: the one --calibration latest
// takes (hw.NewestFitProfile, saying which poorly fitted ones it passed
// over), else the built-in one, so that the import's copy is the profile
// latest then picks, not one it passes over.
func importBase(e *env, dir string) (*hw.Profile, string, error) {
	p, path, passed, err := hw.NewestFitProfile(dir)
	for _, x := range passed {
		fmt.Fprintf(e.stderr, "aiecon: note: not building on %s: past the %.0f%% held-out error --calibration latest accepts\n", x, 100*hw.PoorFitMAPE)
	}
	if err == nil {
		return p, path, nil
	}
	if len(passed) == 0 && !errors.Is(err, hw.ErrNoProfile) {
		return nil, "", asUsage(err) // a saved profile that cannot be read, the user's to remove or repair
	}
	if p, err = hw.BuiltinProfile(); err != nil {
		return nil, "", err
	}
	return p, hw.BuiltinProfileSource, nil
}

// refitBase is the profile refit builds on without FILE: the one
// --calibration latest takes (hw.NewestFitProfile), said on stderr with why
// and with the poorly fitted ones it passed over, else the built-in one
// where none is saved. Where every saved profile is poorly fitted it
// refuses, naming each with its error: refit used to build on the newest
// whatever its fit, and falling back to the built-in profile (as import
// does) would hide that every calibration failed; naming a file still
// refits it.
func refitBase(e *env, dir string) (*hw.Profile, string, error) {
	p, path, passed, err := hw.NewestFitProfile(dir)
	switch {
	case errors.Is(err, hw.ErrPoorFit):
		return nil, "", badInput("calibrate refit: %v (aiecon calibrate refit FILE)", err)
	case errors.Is(err, hw.ErrNoProfile):
		fmt.Fprintf(e.stderr, "aiecon: note: refitting the built-in profile: %s holds no saved one\n", dir)
		p, err = hw.BuiltinProfile()
		return p, hw.BuiltinProfileSource, err
	case err != nil:
		return nil, "", asUsage(err) // a saved profile that cannot be read, as refit FILE of it
	}
	for _, x := range passed {
		fmt.Fprintf(e.stderr, "aiecon: note: not building on %s: past the %.0f%% held-out error --calibration latest accepts\n", x, 100*hw.PoorFitMAPE)
	}
	fmt.Fprintf(e.stderr, "aiecon: note: refitting %s: the newest saved profile whose held-out error is within %.0f%% (the one --calibration latest takes)\n",
		path, 100*hw.PoorFitMAPE)
	return p, path, nil
}

func newCalibrateRefitCmd(e *env) *cobra.Command {
	var seed uint64
	cmd := &cobra.Command{
		Use:   "refit [FILE]",
		Short: "Fit the efficiency model again to a profile's stored measurements",
		Long: fmt.Sprintf(`Refit fits the efficiency model again to the
measurements stored in a profile, with a new hold-out split if --seed
changes, and saves the result as a new profile. Nothing is timed. Without
FILE it builds on the profile --calibration latest takes (the newest saved
one whose held-out error is within %.0f%%, else the built-in one where none
is saved), and says which; where every saved profile misses by more, it
refuses and names them: name FILE to refit one of them anyway.`, 100*hw.PoorFitMAPE),
		Example: `  aiecon calibrate refit
  aiecon calibrate refit --seed 2 old-profile.json`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir, err := e.profileDir()
			if err != nil {
				return err
			}
			var p *hw.Profile
			var from string
			if len(args) == 1 {
				if p, err = hw.LoadProfile(args[0]); err != nil {
					return asUsage(err)
				}
				from = args[0]
			} else if p, from, err = refitBase(e, dir); err != nil {
				return err
			}
			np, err := kernels.Refit(p, 0.2, seed, strings.TrimPrefix(p.Note+"; refitted from "+from, "; "))
			if err != nil {
				return err
			}
			path, err := saveProfile(cmd.Context(), e, dir, np, "host-cpu")
			if err != nil {
				return err
			}
			if err := printProfile(e.stdout, np); err != nil {
				return err
			}
			_, err = fmt.Fprintf(e.stdout, "\nsaved %s (refit of %s)\n", path, from)
			return err
		},
	}
	cmd.Flags().Uint64Var(&seed, "seed", 1, "seed of the hold-out split")
	return cmd
}
