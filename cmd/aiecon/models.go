package main

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"aiecon/model"
	"aiecon/model/llm"
)

func init() { register(newModelsCmd) }

func newModelsCmd(e *env) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "models [NAME]",
		Short: "The model catalog: each architecture's published shape and its source",
		Long: `List the model architectures a scenario's 'model' field and a measurement
file's model column may name: parameters (total, and active per token for a
mixture of experts), layers, width, query and KV heads, MLP width, experts,
context and the KV cache one token takes in bf16. With NAME, print one in
full with the config.json or model card it comes from.

A Hugging Face id or a chat/instruct release of a catalog model is read as it
(meta-llama/Llama-3.1-8B-Instruct is llama-3.1-8b: a fine-tune keeps its base
model's shape); a quantised release is not (its weights differ: the error
says which model and format to give instead). A model the catalog lacks can
be given inline in a scenario (docs/scenarios.md).`,
		Example: `  aiecon models
  aiecon models llama-3.3-70b
  aiecon models meta-llama/Llama-3.1-8B-Instruct --json`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var archs []llm.Arch
			if len(args) == 1 {
				a, err := llm.Lookup(args[0])
				if err != nil {
					if h := llm.QuantisedHint(args[0]); h != "" {
						err = fmt.Errorf("%w; %s", err, h)
					}
					return model.AsInput(err)
				}
				archs = []llm.Arch{a}
			} else {
				for _, n := range llm.Names() {
					a, _ := llm.Lookup(n)
					archs = append(archs, a)
				}
			}
			switch {
			case asJSON:
				enc := json.NewEncoder(e.stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(archs)
			case len(args) == 1:
				return printModel(e.stdout, archs[0])
			}
			return printModels(e.stdout, archs)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the architectures as JSON (the inline-model fields of a scenario)")
	return cmd
}

// printModels is the catalog as a table, one architecture a line.
func printModels(out io.Writer, archs []llm.Arch) error {
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tPARAMS\tACTIVE\tLAYERS\tHIDDEN\tHEADS\tKV HEADS\tFFN\tEXPERTS\tCONTEXT\tKV/TOKEN")
	for _, a := range archs {
		total, active := a.Params()
		experts := "-"
		if a.IsMoE() {
			experts = fmt.Sprintf("%d (top %d)", a.NumExperts(), a.TopK())
			if a.SharedFFN > 0 {
				experts = fmt.Sprintf("%d (top %d, +shared)", a.NumExperts(), a.TopK())
			}
		}
		fmt.Fprintf(tw, "%s\t%.2fB\t%.2fB\t%d\t%d\t%d\t%d\t%d\t%s\t%d\t%s\n", a.Name, total/1e9, active/1e9, a.Layers, a.Hidden,
			a.Heads, a.KVHeads, a.FFN, experts, a.MaxContext, bytesPerToken(a.KVBytesPerToken(llm.BF16)))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintln(out, "\nParameters as counted from the shape (biases and learned position tables left out); KV cache per token in bf16.\n`aiecon models NAME` prints one with its source.")
	return err
}

// printModel is one architecture in full.
func printModel(out io.Writer, a llm.Arch) error {
	total, active := a.Params()
	mlp := "gated (SwiGLU: gate, up, down)"
	if a.MLP == llm.MLPPlain {
		mlp = "plain (two matrices, GELU)"
	}
	rows := [][2]string{
		{"parameters", publishedNote(total, a.PublishedParams)},
		{"layers", fmt.Sprint(a.Layers)},
		{"hidden", fmt.Sprint(a.Hidden)},
		{"heads", fmt.Sprintf("%d query, %d KV, %d wide", a.Heads, a.KVHeads, a.ResolvedHeadDim())},
		{"MLP", fmt.Sprintf("%s, %d wide", mlp, a.FFN)},
		{"vocabulary", fmt.Sprint(a.Vocab)},
		{"context", fmt.Sprintf("%d tokens", a.MaxContext)},
		{"KV cache", bytesPerToken(a.KVBytesPerToken(llm.BF16)) + " per token in bf16"},
	}
	if a.IsMoE() {
		rows = append(rows, [2]string{"experts", fmt.Sprintf("%d, top %d per token: %.3fB active", a.NumExperts(), a.TopK(), active/1e9)})
		if a.SharedFFN > 0 {
			rows = append(rows, [2]string{"shared expert", fmt.Sprintf("%d wide, run by every token in each MoE layer", a.SharedFFN)})
		}
		if a.DenseLayers > 0 {
			rows = append(rows, [2]string{"dense layers", fmt.Sprintf("%d of %d layers have a dense MLP, %d wide, instead of experts", a.DenseLayers, a.Layers, a.DenseFFN)})
		}
	}
	if a.SlidingLayers > 0 {
		rows = append(rows, [2]string{"attention", fmt.Sprintf("%d of %d layers over a %d-token window (GPU replicas hold about a window of their KV cache; Neuron and speculative replicas the whole context)", a.SlidingLayers, a.Layers, a.SlidingWindow)})
	}
	if a.ParallelBlock {
		rows = append(rows, [2]string{"block", "parallel attention and MLP (one all-reduce per layer under TP)"})
	}
	if a.TiedEmbeddings {
		rows = append(rows, [2]string{"embeddings", "tied (the LM head reuses the input embedding)"})
	}
	rows = append(rows, [2]string{"source", a.Source})
	fmt.Fprintln(out, a.Name)
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	for _, r := range rows {
		fmt.Fprintf(tw, "  %s\t%s\n", r[0], r[1])
	}
	return tw.Flush()
}

// publishedNote is the parameter count from the shape beside the published one.
func publishedNote(total, published float64) string {
	if published == 0 {
		return fmt.Sprintf("%.3fB from the shape (none published)", total/1e9)
	}
	return fmt.Sprintf("%.3fB from the shape (published %.4gB)", total/1e9, published/1e9)
}

// bytesPerToken formats a KV size per token in KiB or MiB.
func bytesPerToken(b float64) string {
	if b >= 1<<20 {
		return fmt.Sprintf("%.2f MiB", b/(1<<20))
	}
	return fmt.Sprintf("%.0f KiB", b/(1<<10))
}
