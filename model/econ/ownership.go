package econ

import (
	"fmt"
	"math"
)

// HoursPerYear is 365 x 24: depreciation and annual fees are spread over
// calendar hours, busy or idle (an owned server costs whether it serves or not).
const HoursPerYear = 8760

// Depreciation methods.
const (
	// StraightLine spreads capex minus residual evenly over the life.
	StraightLine = "straight-line"
	// DecliningBalance is double-declining balance (rate 2/life on the book
	// value), switching to straight line over the remaining life when that
	// charges more, so the book value reaches the residual exactly at the end.
	DecliningBalance = "declining-balance"
)

// Ownership is what an owned server costs: capital spent once and written
// down over its life, and the running costs of keeping it powered and housed.
type Ownership struct {
	CapexUSD    float64 // server price (accelerators and host) plus its share of the network; 0 for servers already owned
	ResidualUSD float64 // book value left at the end of the life (resale); 0..capex
	LifeYears   float64 // depreciation life, > 0
	Method      string  // StraightLine (default when "") or DecliningBalance
	// PowerKW is the server's maximum draw; DrawFraction the average share of
	// it actually drawn; PUE the facility overhead on IT power.
	PowerKW, DrawFraction, PUE float64
	ElectricityUSDPerKWh       float64
	// FacilityUSDPerKWMonth is space, cooling plant and building per kW of
	// server maximum power; OpsUSDPerYear staff, support and spares per server.
	FacilityUSDPerKWMonth float64
	OpsUSDPerYear         float64
}

// Validate reports an impossible ownership (the caller names where it came from).
func (o Ownership) Validate() error {
	switch {
	case !(o.CapexUSD >= 0): // 0: servers already owned or donated, no capital to write down
		return fmt.Errorf("capex %g: must be >= 0", o.CapexUSD)
	case o.ResidualUSD < 0 || o.ResidualUSD > o.CapexUSD:
		return fmt.Errorf("residual %g: must be between 0 and the capex %g", o.ResidualUSD, o.CapexUSD)
	case o.LifeYears <= 0:
		return fmt.Errorf("life %g years: must be > 0", o.LifeYears)
	case o.Method != "" && o.Method != StraightLine && o.Method != DecliningBalance:
		return fmt.Errorf("depreciation method %q: want %s or %s", o.Method, StraightLine, DecliningBalance)
	case o.PowerKW < 0 || o.DrawFraction < 0 || o.DrawFraction > 1 || o.PUE < 1 || o.ElectricityUSDPerKWh < 0:
		return fmt.Errorf("power %g kW x draw %g x PUE %g at %g USD/kWh: want power >= 0, draw in 0..1, PUE >= 1, price >= 0",
			o.PowerKW, o.DrawFraction, o.PUE, o.ElectricityUSDPerKWh)
	case o.FacilityUSDPerKWMonth < 0 || o.OpsUSDPerYear < 0:
		return fmt.Errorf("facility %g USD/kW-month and operations %g USD/year: must be >= 0", o.FacilityUSDPerKWMonth, o.OpsUSDPerYear)
	}
	return nil
}

// DepreciationUSD is the depreciation charged between ages fromY and toY
// years of one server (0 before service and after the life): the fall of its
// book value over that span.
func (o Ownership) DepreciationUSD(fromY, toY float64) float64 {
	return o.BookValueUSD(fromY) - o.BookValueUSD(toY)
}

// BookValueUSD is the server's book value at age ageY years: capex at 0,
// the residual from the end of its life on.
func (o Ownership) BookValueUSD(ageY float64) float64 {
	base := o.CapexUSD - o.ResidualUSD
	switch {
	case ageY <= 0:
		return o.CapexUSD
	case ageY >= o.LifeYears:
		return o.ResidualUSD
	case o.Method == DecliningBalance:
		return o.decliningBook(ageY)
	default:
		return o.CapexUSD - base*ageY/o.LifeYears
	}
}

// decliningBook is the book value under double-declining balance, charged
// by year of service: each year charges the larger of 2/life of the book
// value and the straight-line charge over the remaining life ((book -
// residual) / years left), so it never goes below the residual and reaches it
// at the end. Within a year the value falls linearly.
func (o Ownership) decliningBook(ageY float64) float64 {
	book := o.CapexUSD
	for y := 0.0; y < o.LifeYears; y++ {
		span := math.Min(1, o.LifeYears-y) // a fractional last year
		charge := math.Max(book*2/o.LifeYears*span, (book-o.ResidualUSD)*span/(o.LifeYears-y))
		charge = math.Min(charge, book-o.ResidualUSD)
		if ageY < y+span {
			return book - charge*(ageY-y)/span
		}
		book -= charge
	}
	return o.ResidualUSD
}

// PowerUSDPerHour is the electricity of one server for an hour: maximum kW x
// average draw fraction x PUE x price per kWh.
func (o Ownership) PowerUSDPerHour() float64 {
	return o.PowerKW * o.DrawFraction * o.PUE * o.ElectricityUSDPerKWh
}

// FacilityUSDPerHour is the facility charge per server-hour: USD per kW-month
// x kW x 12 months spread over the hours of a year.
func (o Ownership) FacilityUSDPerHour() float64 {
	return o.FacilityUSDPerKWMonth * o.PowerKW * 12 / HoursPerYear
}

// OpsUSDPerHour is the operations cost per server-hour.
func (o Ownership) OpsUSDPerHour() float64 { return o.OpsUSDPerYear / HoursPerYear }

// HourlyCost breaks down the internal cost of one owned server-hour.
type HourlyCost struct {
	DepreciationUSD, PowerUSD, FacilityUSD, OpsUSD float64
}

// TotalUSD is the internal cost per instance-hour.
func (h HourlyCost) TotalUSD() float64 {
	return h.DepreciationUSD + h.PowerUSD + h.FacilityUSD + h.OpsUSD
}

// LifetimeHourlyCost is the internal cost of an owned server-hour averaged
// over its life at full availability (the figure to set beside a rental list
// price): (capex - residual) / (life x 8760 h) plus the running costs. No
// cost of capital is charged.
func (o Ownership) LifetimeHourlyCost() HourlyCost {
	return HourlyCost{
		DepreciationUSD: (o.CapexUSD - o.ResidualUSD) / (o.LifeYears * HoursPerYear),
		PowerUSD:        o.PowerUSDPerHour(),
		FacilityUSD:     o.FacilityUSDPerHour(),
		OpsUSD:          o.OpsUSDPerHour(),
	}
}
