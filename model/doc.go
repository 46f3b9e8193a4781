// Package model holds what a scenario says: the scenario schema, its strict
// YAML decoding and validation (errors name file, line and field), the
// embedded built-in scenarios, and the units (durations, rates, money) they use.
//
// Sub-packages hold the arithmetic a scenario needs: llm (architectures and the
// operations one scheduler iteration runs) and econ (prices, auctions,
// conversion, training and licensing formulas). Nothing here knows about the
// simulator, the database or the screen.
package model
