package sim

// TraceCut is the part of a workload's arrival trace the horizon left out:
// a trace that is not looped replays its rows in [0, horizon) and drops
// the rest, which a run would otherwise not say.
type TraceCut struct {
	Workload string
	Rows     int   // rows at or after the horizon, not replayed
	Total    int   // rows in the trace
	FirstNs  int64 // arrival time of the first row not replayed, time_scale applied
	LastNs   int64 // arrival time of the trace's last row, time_scale applied
}

// noteCut records, as the source stops at the horizon, the rows from pos
// on, the first of them due at next. A looped trace is meant to be cut
// wherever the horizon falls: nothing to say.
func (s *source) noteCut(next int64) {
	if s.trace == nil || s.pos >= s.trace.Len() || s.wl.spec.Arrivals.Trace.Loop {
		return
	}
	last := s.loopBase + int64(float64(s.trace.SpanNs())*s.timeScale)
	s.cut = &TraceCut{Workload: s.wl.spec.Name, Rows: s.trace.Len() - s.pos,
		Total: s.trace.Len(), FirstNs: next, LastNs: last}
}

// traceCuts are the workloads' TraceCuts, in scenario order.
func (w *World) traceCuts() []TraceCut {
	var out []TraceCut
	for _, wl := range w.workloads {
		if wl.src != nil && wl.src.cut != nil {
			out = append(out, *wl.src.cut)
		}
	}
	return out
}
