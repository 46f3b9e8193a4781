package sim

import "errors"

// Tee returns a Sink that hands every call to each sink in turn.
func Tee(sinks ...Sink) Sink { return tee(sinks) }

type tee []Sink

func (t tee) each(f func(Sink) error) error {
	var errs []error
	for _, s := range t {
		if err := f(s); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func (t tee) Begin(m RunMeta) error { return t.each(func(s Sink) error { return s.Begin(m) }) }
func (t tee) Requests(b []RequestRecord) error {
	return t.each(func(s Sink) error { return s.Requests(b) })
}
func (t tee) Sessions(b []SessionRecord) error {
	return t.each(func(s Sink) error { return s.Sessions(b) })
}
func (t tee) Auctions(b []AuctionRecord) error {
	return t.each(func(s Sink) error { return s.Auctions(b) })
}
func (t tee) Windows(b []WindowRecord) error {
	return t.each(func(s Sink) error { return s.Windows(b) })
}
func (t tee) End(sm Summary) error { return t.each(func(s Sink) error { return s.End(sm) }) }
