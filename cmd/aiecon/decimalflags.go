package main

import (
	"errors"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// decimalInt makes an integer flag read its value in base 10 only. pflag's
// IntVar parses Go literal syntax (strconv.ParseInt base 0), so a
// zero-padded index, common in scripts (--vs $(printf %03d 10)), read as
// octal: --vs 010 was point 8, silently when in range, and 0x1, 0b1, 1_0
// were accepted. The value is checked and handed on in plain decimal.
type decimalInt struct {
	pflag.Value
	decimalKind
}

// decimalKind is what an integer flag type holds: one number or a list
// of them, signed or not.
type decimalKind struct {
	list     bool // an IntSlice: whole numbers separated by commas
	unsigned bool // a Uint64 (calibrate --seed): 0 or more, up to 2^64-1
}

// errNotDecimal and errNotDecimals are what a value that is not decimal
// is told; pflag puts them after `invalid argument "V" for "--FLAG" flag:`.
var (
	errNotDecimal  = errors.New("want a whole number in base 10")
	errNotDecimals = errors.New("want whole numbers in base 10, separated by commas")
	errNegative    = errors.New("want a whole number in base 10, 0 or more")
)

func (d *decimalInt) Set(v string) error {
	if !d.list {
		n, err := parseDecimal(v, d.unsigned)
		if err != nil {
			return err
		}
		return d.Value.Set(n)
	}
	parts := strings.Split(v, ",")
	for i, p := range parts {
		n, err := parseDecimal(p, d.unsigned)
		if errors.Is(err, errNotDecimal) {
			return errNotDecimals
		}
		if err != nil {
			return err
		}
		parts[i] = n
	}
	return d.Value.Set(strings.Join(parts, ","))
}

// parseDecimal returns v, a whole number in base 10 with an optional
// sign, in the plain form that pflag's own parsers read as base 10 (no
// leading zero), or errNotDecimal, or "out of range". An unsigned v
// refuses a minus sign and may go up to 2^64-1.
func parseDecimal(v string, unsigned bool) (string, error) {
	digits := strings.TrimLeft(v, "+-")
	if len(v)-len(digits) > 1 || digits == "" || strings.Trim(digits, "0123456789") != "" {
		return "", errNotDecimal
	}
	if unsigned {
		if v[0] == '-' {
			return "", errNegative
		}
		n, err := strconv.ParseUint(digits, 10, 64)
		if err != nil {
			return "", errors.New("out of range")
		}
		return strconv.FormatUint(n, 10), nil
	}
	n, err := strconv.ParseInt(v, 10, strconv.IntSize)
	if err != nil {
		return "", errors.New("out of range")
	}
	return strconv.FormatInt(n, 10), nil
}

// decimalFlagTypes are the integer flag types decimalInt wraps, and
// what each holds. The unsigned ones parse with ParseUint base 0 too:
// calibrate --seed 010 was seed 8 and --seed 08 was refused.
var decimalFlagTypes = map[string]decimalKind{
	"int": {}, "int8": {}, "int16": {}, "int32": {}, "int64": {},
	"intSlice": {list: true}, "int32Slice": {list: true}, "int64Slice": {list: true},
	"uint": {unsigned: true}, "uint8": {unsigned: true}, "uint16": {unsigned: true}, "uint32": {unsigned: true},
	"uint64": {unsigned: true}, "uintSlice": {list: true, unsigned: true}}

// decimalIntFlags wraps every integer flag of c and its subcommands in
// decimalInt, so that no IntVar added later parses Go literals either.
func decimalIntFlags(c *cobra.Command) {
	wrap := func(f *pflag.Flag) {
		if kind, ok := decimalFlagTypes[f.Value.Type()]; ok {
			if _, done := f.Value.(*decimalInt); !done {
				f.Value = &decimalInt{Value: f.Value, decimalKind: kind}
				emptyListNoDefault(f, kind)
			}
		}
	}
	c.Flags().VisitAll(wrap)
	c.PersistentFlags().VisitAll(wrap)
	for _, sub := range c.Commands() {
		decimalIntFlags(sub)
	}
}

// emptyListNoDefault blanks the default of a wrapped list flag that starts
// empty. pflag leaves "(default [])" out of help only for its own slice
// types, which the wrapper hides, so --tp printed "(default [])" after the
// default its usage states; a blank default is one pflag leaves out.
func emptyListNoDefault(f *pflag.Flag, kind decimalKind) {
	if kind.list && f.DefValue == "[]" {
		f.DefValue = ""
	}
}
