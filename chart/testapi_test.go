package chart

// What only chart's own tests call: the program reaches none of it
// (deadcode), so it lives with the tests rather than beside the code.

// Legends returns the legend labels of each panel, top panel first.
func (c *Chart) Legends() [][]string {
	out := make([][]string, len(c.panels))
	for i, p := range c.panels {
		for _, e := range p.legend {
			out[i] = append(out[i], e.label.String())
		}
	}
	return out
}
