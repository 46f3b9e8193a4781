package data

// What only data's own tests call: the program reaches none of it
// (deadcode), so it lives with the tests rather than beside the code.

import (
	"fmt"
	"strings"
	"time"
)

// IDTime returns the creation time encoded in an id.
func IDTime(id string) (time.Time, error) {
	if len(id) != IDLength {
		return time.Time{}, fmt.Errorf("id %q: want %d characters, got %d", id, IDLength, len(id))
	}
	var ms int64
	for i := 0; i < idTimeChars; i++ {
		d := strings.IndexByte(idAlphabet, id[i])
		if d < 0 {
			return time.Time{}, fmt.Errorf("id %q: character %q is not in the id alphabet", id, id[i])
		}
		ms = ms<<5 | int64(d)
	}
	return time.UnixMilli(ms).UTC(), nil
}

// SQLValue is ParseColumnType(typ).Value(v).
func SQLValue(v any, typ string) any {
	return ParseColumnType(typ).Value(v)
}
