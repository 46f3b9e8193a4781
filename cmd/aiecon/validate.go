package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"aiecon/hw"
	"aiecon/runner"
)

func init() { register(newValidateCmd) }

func newValidateCmd(e *env) *cobra.Command {
	var asJSON bool
	var calibration string
	cmd := &cobra.Command{
		Use:   "validate FILE.csv",
		Short: "Compare the simulator's predictions with published serving measurements",
		Long: `Read serving measurements (columns model, instance, tp, batch, seq_len,
input_tokens, output_tokens, weight_dtype, ttft_ms, tpot_ms; extra columns are
ignored; '-' reads standard input) and, for each row, simulate a static batch of
'batch' identical requests arriving together on one replica of that TP degree on
that instance (the Neuron scheduler with buckets up to seq_len on Neuron
instances). Print the predicted and measured p50 TTFT and TPOT, the absolute
percentage error of each, and the mean absolute percentage error.

The exit code is 0 whatever the error (this is a measurement, not a test), and
2 for a malformed file.`,
		Example: `  aiecon validate ../shared/reference/neuron-calibration.csv
  aiecon validate points.csv --json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var r io.Reader = e.stdin
			name := "standard input"
			if args[0] != "-" {
				f, err := os.Open(args[0])
				if err != nil {
					return badInput("validate: %v", err)
				}
				defer f.Close()
				r, name = f, args[0]
			}
			points, err := hw.ReadServingPoints(r)
			if err != nil {
				return badInput("validate %s: %v", name, err)
			}
			sets, err := withCalibration(e, nil, calibration)
			if err != nil {
				return err
			}
			rep, err := runner.Validate(cmd.Context(), points, sets...)
			if err != nil {
				return err
			}
			if asJSON {
				return writeValidationJSON(e.stdout, rep)
			}
			return writeValidationTable(e.stdout, rep)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the rows and errors as JSON")
	addCalibrationFlag(cmd.Flags(), &calibration)
	return cmd
}

func writeValidationTable(out io.Writer, rep *runner.ValidationReport) error {
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "MODEL\tINSTANCE\tTP\tBATCH\tIN/OUT\tTTFT pred\tmeasured\terror\tTPOT pred\tmeasured\terror\t")
	for _, r := range rep.Rows {
		p := r.Point
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d/%d\t%.2f ms\t%.2f ms\t%.1f%%\t%.2f ms\t%.2f ms\t%.1f%%\t\n",
			p.Model, p.Instance, p.TP, p.Batch, p.InputTokens, p.OutputTokens,
			1e3*r.PredTTFTS, p.TTFTMs, 100*r.TTFTAPE, 1e3*r.PredTPOTS, p.TPOTMs, 100*r.TPOTAPE)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(out, "\nmean absolute percentage error: %.1f%% (TTFT %.1f%%, TPOT %.1f%%) over %d rows\ncalibration: %s\n",
		100*rep.MAPE, 100*rep.MAPETTFT, 100*rep.MAPETPOT, len(rep.Rows), rep.Calibration)
	return err
}

func writeValidationJSON(out io.Writer, rep *runner.ValidationReport) error {
	type row struct {
		Model        string  `json:"model"`
		Instance     string  `json:"instance"`
		TP           int     `json:"tp"`
		Batch        int     `json:"batch"`
		InputTokens  int     `json:"input_tokens"`
		OutputTokens int     `json:"output_tokens"`
		Scheduler    string  `json:"scheduler"`
		TTFTPredMs   float64 `json:"ttft_pred_ms"`
		TTFTMeasMs   float64 `json:"ttft_measured_ms"`
		TTFTAPE      float64 `json:"ttft_ape"`
		TPOTPredMs   float64 `json:"tpot_pred_ms"`
		TPOTMeasMs   float64 `json:"tpot_measured_ms"`
		TPOTAPE      float64 `json:"tpot_ape"`
	}
	var rows []row
	for _, r := range rep.Rows {
		p := r.Point
		rows = append(rows, row{p.Model, p.Instance, p.TP, p.Batch, p.InputTokens, p.OutputTokens, r.Scheduler,
			1e3 * r.PredTTFTS, p.TTFTMs, r.TTFTAPE, 1e3 * r.PredTPOTS, p.TPOTMs, r.TPOTAPE})
	}
	enc := json.NewEncoder(out)
	enc.SetIndent("", "  ")
	return enc.Encode(map[string]any{"rows": rows, "mape": rep.MAPE, "mape_ttft": rep.MAPETTFT, "mape_tpot": rep.MAPETPOT, "calibration": rep.Calibration})
}
