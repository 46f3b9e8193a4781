package hw

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// Instance is a rentable machine: a number of chips plus host, network and prices.
// Prices are list prices with the date of their snapshot; a price the sources do
// not give is unknown, and a scenario that needs it must supply it.
type Instance struct {
	Name string `json:"name"`
	// Chip names the accelerator (see ChipByName).
	Chip        string `json:"chip"`
	Chips       Fact   `json:"chips"`
	AccelMemory Fact   `json:"accel_memory"`
	VCPU        Fact   `json:"vcpu"`
	HostMemory  Fact   `json:"host_memory"`
	Network     Fact   `json:"network"`
	// OnDemand is the Linux on-demand list price (us-east-1 unless the note says otherwise).
	OnDemand Fact `json:"on_demand"`
	// RIEffective is the reserved-instance effective hourly rate the Neuron SDK lists.
	RIEffective Fact `json:"ri_effective"`
	// CapacityBlock is the EC2 Capacity Blocks for ML rate, where one is given:
	// capacity reserved for 1 to 182 days, paid up front.
	CapacityBlock Fact `json:"capacity_block"`
	// Spot is an observed spot price, where one was published (spot prices
	// move by the hour; a scenario prices spot as on-demand minus a discount).
	Spot Fact `json:"spot"`
	// Stated holds instance-level figures the sources state directly, kept to
	// cross-check the per-chip numbers (chips x per-chip must agree).
	Stated []NamedFact `json:"stated,omitempty"`
}

// Facts lists every fact of the instance in a fixed order, for display.
func (in *Instance) Facts() []NamedFact {
	fs := []NamedFact{
		{"chips", in.Chips},
		{"accel_memory", in.AccelMemory},
		{"vcpu", in.VCPU},
		{"host_memory", in.HostMemory},
		{"network", in.Network},
		{"on_demand", in.OnDemand},
		{"ri_effective", in.RIEffective},
		{"capacity_block", in.CapacityBlock},
		{"spot", in.Spot},
	}
	for _, s := range in.Stated {
		fs = append(fs, NamedFact{"stated_" + s.Name, s.Fact})
	}
	return fs
}

// Pricing models a fleet can be paid under that map to one catalog price each
// (spot is priced from on-demand, see model.Spot).
const (
	PricingOnDemand      = "on-demand"      // the AWS list price
	PricingReserved      = "reserved"       // the Neuron SDK's RI-effective rate (committed)
	PricingCapacityBlock = "capacity-block" // EC2 Capacity Blocks for ML
)

// PricingSpot is spot capacity: priced as on-demand less a discount
// (HourlyPrice), so no catalog price answers for it.
const PricingSpot = "spot"

// PricingOwned is a fleet of servers its operator owns: the scenario's
// price_usd_per_hour is their cost per server-hour (depreciation, power,
// facility and operations, as a forecast's owned variant works it out), and
// the catalog has no figure for it.
const PricingOwned = "owned"

// RegionNotStated begins the note of a price whose source names no region.
const RegionNotStated = "region not stated"

// regionRE is an AWS region at the start of a price's note, or regions
// that share a number (us-east-1/2: p5's Capacity Blocks rate, which read
// as us-east-1's, unlabelled).
var regionRE = regexp.MustCompile(`^(us|eu|ap|sa|ca|me|af)-[a-z]+-\d(/\d)?\b`)

// PriceRegion is the region a catalog price is quoted for when it is not
// us-east-1, the catalog's default: the region its note begins with, or
// RegionNotStated where the source names none; "" for us-east-1. A price's
// note says its region first, so that this finds it (a test holds the
// catalog to it).
func PriceRegion(f Fact) string {
	if strings.HasPrefix(f.Note, RegionNotStated) {
		return RegionNotStated
	}
	if r := regionRE.FindString(f.Note); r != "us-east-1" {
		return r
	}
	return ""
}

// PriceWhen is a catalog price's region (where not us-east-1) and date, as
// hw list prints them beside the price: "us-east-2, 2026-05-21".
func PriceWhen(f Fact) string {
	if r := PriceRegion(f); r != "" {
		return r + ", " + f.Date
	}
	return f.Date
}

// PricingModels lists the models Price answers for, in display order.
func PricingModels() []string {
	return []string{PricingOnDemand, PricingCapacityBlock, PricingReserved}
}

// Price returns the catalog price of the instance under a pricing model, and
// false when the model is unknown or the sources give no such price.
func (in *Instance) Price(pricing string) (Fact, bool) {
	var f Fact
	switch pricing {
	case PricingOnDemand:
		f = in.OnDemand
	case PricingReserved:
		f = in.RIEffective
	case PricingCapacityBlock:
		f = in.CapacityBlock
	default:
		return Fact{}, false
	}
	return f, f.Known
}

// HourlyPrice is what one instance costs an hour, and where the price
// comes from: *priceUSD when the scenario sets one (0 included: capacity
// already paid for, or free), else (nil) the catalog's
// price for the pricing model; spot is the on-demand price less
// spotDiscount (a fraction). The simulator charges it and the optimizer
// prices candidates with it, so the two cannot drift apart.
func (in *Instance) HourlyPrice(pricing string, priceUSD *float64, spotDiscount float64) (usd float64, source string, err error) {
	if priceUSD != nil {
		usd, source = *priceUSD, "scenario"
	} else {
		key := pricing
		if key == PricingSpot { // spot is on-demand minus its discount, below
			key = PricingOnDemand
		}
		p, ok := in.Price(key)
		if !ok {
			return 0, "", fmt.Errorf("fleet: %s has no %s price in the catalog; set fleet.price_usd_per_hour", in.Name, key)
		}
		usd, source = p.SI(), "catalog "+key
	}
	if pricing == PricingSpot && spotDiscount != 0 {
		usd *= 1 - spotDiscount
		source += fmt.Sprintf(" minus %.0f%% spot discount", 100*spotDiscount)
	}
	return usd, source, nil
}

// ChipSpec returns the instance's accelerator from the catalog.
func (in *Instance) ChipSpec() (*Chip, error) {
	c, err := ChipByName(in.Chip)
	if err != nil {
		return nil, fmt.Errorf("instance %s: %w", in.Name, err)
	}
	return c, nil
}

// Devices is the number of TP devices in the instance (chips x devices per chip).
func (in *Instance) Devices() (int, error) {
	c, err := in.ChipSpec()
	if err != nil {
		return 0, err
	}
	return int(in.Chips.Value) * c.Devices(), nil
}

// TPDegrees lists the chip's supported TP degrees that fit in the instance.
func (in *Instance) TPDegrees() ([]int, error) {
	c, err := in.ChipSpec()
	if err != nil {
		return nil, err
	}
	n := int(in.Chips.Value) * c.Devices()
	var out []int
	for _, d := range c.TP.Degrees {
		if d <= n {
			out = append(out, d)
		}
	}
	return out, nil
}

func (in *Instance) clone() *Instance {
	cp := *in
	cp.Stated = slices.Clone(in.Stated)
	return &cp
}
