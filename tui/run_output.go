package tui

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"aiecon/chart"
	"aiecon/data"
)

// outPrompt is the run screen's line for writing the run to a file: its
// tables (x: Parquet or CSV, as `aiecon export` writes them) or a chart
// (P: any kind of `aiecon plot`, PNG or SVG by the extension). tab cycles
// the format or the kind; enter writes, esc cancels. The default path is
// the field's placeholder, not its text: enter on the empty field writes
// it, and the first key typed replaces it (typed after a pre-filled
// default, p5.svg became RUNID-latency-cdf.pngp5.svg). The file is written
// in a Cmd and the footer says where.
type outPrompt struct {
	plot    bool     // a chart, else the run's tables
	choices []string // formats or chart kinds
	choice  int
	path    textinput.Model // empty: the default (its placeholder)
	active  bool
	runID   string
	width   int // of the line, set by the screen's resize
}

var outKeys = struct{ export, plot key.Binding }{
	export: key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "export tables")),
	plot:   key.NewBinding(key.WithKeys("P"), key.WithHelp("P", "plot to a file")),
}

func newOutPrompt(st *styles) outPrompt {
	return outPrompt{path: newLineInput(st, "", "")}
}

// open starts the prompt for a run: export (plot false) or plot.
func (o *outPrompt) open(runID string, plot bool) tea.Cmd {
	o.plot, o.runID, o.choice, o.active = plot, runID, 0, true
	o.choices = data.ExportFormats()
	if plot {
		o.choices = chart.KindNames()
	}
	o.setPrompt()
	setLine(&o.path, "")
	return o.path.Focus()
}

func (o *outPrompt) keys() []key.Binding {
	next := "next format"
	if o.plot {
		next = "next kind"
	}
	return []key.Binding{
		key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "write")),
		key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", next)),
		key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
	}
}

// setPrompt says what enter will write, and leaves the path the rest of
// the line; the default path, which follows the choice, is the
// placeholder.
func (o *outPrompt) setPrompt() {
	o.path.Prompt = "export " + o.choices[o.choice] + " tables to folder: "
	if o.plot {
		o.path.Prompt = "plot " + o.choices[o.choice] + " to: "
	}
	o.path.Placeholder = o.defaultPath()
	sizeLine(&o.path, o.width)
}

// target is the path enter writes: the one typed, else the default.
func (o *outPrompt) target() string {
	if p := strings.TrimSpace(o.path.Value()); p != "" {
		return p
	}
	return o.defaultPath()
}

// defaultPath is what the CLI would write: aiecon-export-RUNID for the
// tables, RUNID-KIND.png for a chart, in the directory aiecon tui was
// started in.
func (o *outPrompt) defaultPath() string {
	if o.plot {
		return o.runID + "-" + o.choices[o.choice] + ".png"
	}
	return "aiecon-export-" + o.runID
}

// update handles a key or paste while the prompt is open; the Cmd writes
// the file when enter is pressed.
func (o *outPrompt) update(c *conn, to int, m tea.Msg) tea.Cmd {
	if k, ok := m.(tea.KeyPressMsg); ok {
		switch k.String() {
		case "esc":
			o.close()
			return nil
		case "enter":
			o.close()
			return o.write(c, to, o.target())
		case "tab", "shift+tab":
			step := 1
			if k.String() == "shift+tab" {
				step = len(o.choices) - 1
			}
			o.choice = (o.choice + step) % len(o.choices)
			o.setPrompt()
			return nil
		}
	}
	var cmd tea.Cmd
	o.path, cmd = o.path.Update(m)
	return cmd
}

func (o *outPrompt) close() {
	o.active = false
	o.path.Blur()
}

// outputMsg is the outcome of writing a run's tables or chart.
type outputMsg struct {
	addr
	text string
	err  error
}

func (m outputMsg) loadErr() error { return m.err }

// outputPath is the absolute path a path typed in a prompt that writes a
// file (export, plot, the SQL console's export) names: ~ expanded
// (homePath), and a relative path relative to where the dashboard was
// started.
func outputPath(path string) (string, error) {
	path, err := homePath(path)
	if err != nil {
		return "", err
	}
	return filepath.Abs(path)
}

// homePath is path with a leading ~ or ~/ made the user's home directory,
// as in the shell that users type such paths in (~/x made a folder named
// ~ in the working directory, and the Launch screen's File field read no
// file ~/x.yaml); any other path is returned as typed, a relative one
// left relative. ~user is not expanded: it is taken as typed. Every path
// field of the dashboard expands ~ here.
func homePath(path string) (string, error) {
	if path != "~" && !strings.HasPrefix(path, "~/") {
		return path, nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("%s: ~ is the home directory, which is not known: %w", path, err)
	}
	return filepath.Join(home, path[1:]), nil
}

// write exports or plots into path (outputPath), through the same code as
// `aiecon export` and `aiecon plot`.
func (o *outPrompt) write(c *conn, to int, path string) tea.Cmd {
	abs, err := outputPath(path)
	if err != nil {
		return notice("writing "+path+": "+err.Error(), true)
	}
	if o.plot {
		if _, err := chart.FormatFor(abs); err != nil {
			return notice("plot: "+err.Error(), true)
		}
	}
	id, choice, plot := o.runID, o.choices[o.choice], o.plot
	return func() tea.Msg {
		ctx, cancel := c.queryCtx()
		defer cancel()
		msg := outputMsg{addr: addr{to}}
		msg.err = c.read(func(st *data.Store) error {
			if !plot {
				files, err := st.Export(ctx, id, choice, abs)
				msg.text = fmt.Sprintf("exported %d tables (%s) to %s", len(files), choice, abs)
				return err
			}
			ch, err := chart.Render(ctx, st, choice, []string{id}, chart.Options{})
			if err != nil {
				return err
			}
			msg.text = fmt.Sprintf("wrote %s: %s, %dx%d px", abs, ch.Title, ch.WidthPx, ch.HeightPx)
			return ch.Save(abs)
		})
		return msg
	}
}
