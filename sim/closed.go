package sim

import (
	"fmt"

	"aiecon/model"
	"aiecon/sim/engine"
)

// closedLoop is a closed arrival process: a fixed population of clients, each
// with at most one request (or agent session) in flight. A client sends its
// next one a think time after the previous one ended, whether it completed,
// was dropped (queue full, timed out) or was abandoned; so the offered rate
// follows the service time, as in a benchmark with N concurrent users or an
// agent that waits for each answer.
//
// Start: client i of n joins at i x ramp / n (all at t = 0 without a ramp)
// and sends its first request after one think-time draw, so with
// exponential think times the population starts as it would be in steady
// state with an idle server. With equal requests and no think time, clients
// that start together stay in step (they are served alike and end in the
// same iteration); a ramp starts them out of step, as requests of varying
// length would leave them. Think times come from the workload's arrival stream, in the order
// clients ask for them, so a run is reproducible.
type closedLoop struct {
	src     *source
	think   sampler
	rampNs  int64
	clients []closedClient
}

// closedClient is one user of a closed loop; its event sends its next request.
type closedClient struct {
	loop *closedLoop
	ev   engine.Event
}

func (l *closedLoop) init(s *source, a model.Arrivals, traces *traceCache) error {
	l.src = s
	var err error
	if l.think, err = newSampler(a.ThinkTime, traces); err != nil {
		return fmt.Errorf("arrivals.think_time: %w", err)
	}
	l.rampNs = int64(a.Ramp)
	l.clients = make([]closedClient, a.Clients)
	for i := range l.clients {
		c := &l.clients[i]
		c.loop = l
		c.ev.Init(c, 0)
	}
	return nil
}

// start schedules every client's first request: client i joins at
// i x ramp / n, then thinks.
func (l *closedLoop) start() {
	for i := range l.clients {
		l.clients[i].thinkThenSendAfter(model.ClosedJoinNs(i, len(l.clients), model.Duration(l.rampNs)), false)
	}
}

// Handle sends the client's next request.
func (c *closedClient) Handle(*engine.Event) { c.loop.src.emit(c) }

// retryBackoff is the least a client waits after a request or session that
// failed (dropped, timed out, abandoned): with a zero think time and a full
// queue, or no replica up, an immediate retry would be dropped again at the
// same instant, forever.
const retryBackoff = int64(1e9)

// ended is called when the client's request or session has left the system
// for any reason (failed: it did not complete); a nil client (open arrivals,
// or an agent's model call, whose session carries the client) does nothing.
func (c *closedClient) ended(failed bool) {
	if c != nil {
		c.thinkThenSend(failed)
	}
}

// thinkThenSend schedules the next request after a think time (at least
// retryBackoff after a failure); none at or after the horizon (arrivals
// come in [0, horizon), as an open process's do). Even a zero think
// time goes through an event: the request that ended may still be inside its
// replica's iteration bookkeeping.
func (c *closedClient) thinkThenSend(failed bool) { c.thinkThenSendAfter(0, failed) }

// thinkThenSendAfter is thinkThenSend from delayNs after now.
func (c *closedClient) thinkThenSendAfter(delayNs int64, failed bool) {
	s := c.loop.src
	if delayNs >= s.w.horizon-s.w.eng.Now() {
		return // joins at or after the horizon
	}
	wait := c.loop.think.drawNs(s.rng)
	if failed {
		wait = max(wait, retryBackoff)
	}
	next := s.w.eng.Now() + delayNs + wait
	if next >= s.w.horizon {
		return
	}
	s.w.eng.Schedule(&c.ev, next)
}
