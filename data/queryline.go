package data

import "strings"

// UserLine is err, DuckDB's error for a query run inside a wrapper that
// ends "FROM (" on the query's first line (BoundQuery's Select, a count
// over the query, an export's COPY), with its "LINE 1:" quoting q's first
// line as the user wrote it and the caret under it moved to match: it
// quoted the wrapper ("LINE 1: SELECT * FROM (select nope from runs"),
// text the user never typed, and the caret's column was the wrapped
// line's. Other errors, and one whose LINE 1 does not quote the wrapper
// (an error in a later line, or a line DuckDB shortened), are returned as
// they are. The error returned wraps err.
func UserLine(err error, q string) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	const tag = "LINE 1: "
	at := strings.Index(msg, "\n"+tag)
	if at < 0 {
		return err
	}
	at++ // the start of the LINE 1 line
	end := strings.IndexByte(msg[at:], '\n')
	if end < 0 {
		return err
	}
	end += at
	line := msg[at+len(tag) : end]
	// The line as typed (the console wraps it so), else with its leading
	// blanks trimmed (BoundQuery trims the query).
	k := -1
	for _, first := range []string{q, strings.TrimLeft(q, " \t\r\n")} {
		first, _, _ = strings.Cut(first, "\n")
		if strings.TrimSpace(first) != "" && k < 0 {
			k = strings.LastIndex(line, "FROM ("+first)
		}
	}
	if k < 0 {
		return err
	}
	cut := k + len("FROM (")
	caretEnd := strings.IndexByte(msg[end+1:], '\n')
	if caretEnd < 0 {
		caretEnd = len(msg) - end - 1
	}
	caret := msg[end+1 : end+1+caretEnd]
	pad := len(caret) - len(strings.TrimLeft(caret, " "))
	if strings.TrimSpace(caret) != "^" || pad < len(tag)+cut {
		return err // no caret, or one under the wrapper: leave DuckDB's words
	}
	fixed := msg[:at] + tag + line[cut:] + "\n" + caret[cut:] + msg[end+1+caretEnd:]
	return &userLineError{msg: fixed, err: err}
}

// userLineError is an error with DuckDB's LINE 1 reworded (UserLine); it
// unwraps to the driver's error, which callers classify.
type userLineError struct {
	msg string
	err error
}

func (e *userLineError) Error() string { return e.msg }
func (e *userLineError) Unwrap() error { return e.err }
