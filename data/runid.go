package data

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
)

// Run (and sweep and calibration) ids are 15 characters of lowercase
// Crockford base32: 9 for the creation time in milliseconds since 1970 (45
// bits, enough until the year 3084) and 6 for 30 random bits. They sort by
// time as strings, need no coordination between the machines whose shards
// are merged later (two ids of the same millisecond collide with probability
// 2^-30), and avoid i, l, o and u so they read back unambiguously.
const (
	idAlphabet   = "0123456789abcdefghjkmnpqrstvwxyz"
	idTimeChars  = 9
	idRandChars  = 6
	IDLength     = idTimeChars + idRandChars
	idRandMask   = 1<<(5*idRandChars) - 1
	latestRunRef = "last" // names the most recent run; not a prefix of any id ('l' is not in the alphabet)
)

var idState struct {
	sync.Mutex
	ms   int64
	rand uint64
}

// NewID returns a new time-sortable id. Ids made by one process are strictly
// increasing, even within a millisecond (the random part counts up then).
func NewID() string { return newIDAt(time.Now()) }

func newIDAt(t time.Time) string {
	ms := t.UnixMilli()
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(fmt.Sprintf("data: reading random bytes for an id: %v", err)) // crypto/rand does not fail on supported platforms
	}
	r := binary.LittleEndian.Uint64(b[:]) & idRandMask
	idState.Lock()
	if ms <= idState.ms {
		ms = idState.ms
		r = idState.rand + 1
		if r > idRandMask {
			ms++
			r = 0
		}
	}
	idState.ms, idState.rand = ms, r
	idState.Unlock()
	return encodeID(uint64(ms), r)
}

func encodeID(ms, r uint64) string {
	var out [IDLength]byte
	for i := idTimeChars - 1; i >= 0; i-- {
		out[i] = idAlphabet[ms&31]
		ms >>= 5
	}
	for i := IDLength - 1; i >= idTimeChars; i-- {
		out[i] = idAlphabet[r&31]
		r >>= 5
	}
	return string(out[:])
}

// FormatRunID shortens an id for display to its first n characters (the
// whole id when n <= 0 or n >= its length). Any unique prefix names the run.
func FormatRunID(id string, n int) string {
	if n <= 0 || n >= len(id) {
		return id
	}
	return id[:n]
}

// ErrRunNotFound and ErrAmbiguousRun are wrapped by ResolveRun.
var (
	ErrRunNotFound  = errors.New("no such run")
	ErrAmbiguousRun = errors.New("ambiguous run id prefix")
)

// ResolveRun turns what a user typed (a whole run id, a unique prefix of
// one, an id cut in its middle as the dashboard shows it, or "last" for
// the most recent run outside a forecast) into a run id.
func (s *Store) ResolveRun(ctx context.Context, ref string) (string, error) {
	ref = strings.ToLower(strings.TrimSpace(ref))
	if ref == latestRunRef {
		var id string
		// The newest run `aiecon runs` lists: a forecast's runs, which it
		// hides, only when the store holds nothing else. After a forecast,
		// "last" named one slice of it, not the run the user had made.
		err := s.db.QueryRowContext(ctx, `SELECT run_id FROM runs
			ORDER BY run_id IN (SELECT run_id FROM forecast_runs), run_id DESC LIMIT 1`).Scan(&id)
		if err != nil {
			if isNoRows(err) {
				return "", fmt.Errorf("run %q: %w: the store %s holds no runs", ref, ErrRunNotFound, s.path)
			}
			return "", fmt.Errorf("finding the last run: %w", err)
		}
		return id, nil
	}
	if ref == "" {
		return "", fmt.Errorf("empty run id: %w", ErrRunNotFound)
	}
	if !validIDRef(ref) {
		return "", fmt.Errorf("run %q: %w: %s", ref, ErrRunNotFound, idRefAdvice("run", ref))
	}
	ids, err := s.idsWithPrefix(ctx, "runs", "run_id", ref)
	if err != nil {
		return "", fmt.Errorf("resolving run %q: %w", ref, err)
	}
	switch len(ids) {
	case 0:
		return "", fmt.Errorf("run %q: %w in %s (see `aiecon runs`)", ref, ErrRunNotFound, s.path)
	case 1:
		return ids[0], nil
	}
	more := ""
	if len(ids) > 5 {
		ids, more = ids[:5], ", ..."
	}
	return "", fmt.Errorf("run %q: %w: it matches %s%s; type more characters", ref, ErrAmbiguousRun, strings.Join(ids, ", "), more)
}

// idsWithPrefix lists, in order, up to six distinct ids in column col of
// table that start with prefix: one is a match, several let the caller name the
// candidates. table and col come from this package, never from the user.
// A prefix cut in its middle (cutIDRef: "1m98h…34s9p8", as the dashboard
// shows an id too long for its column) matches the ids that start with
// its head and end with its tail: the dashboard showed such an id, and the
// user could not type it back to open the run.
func (s *Store) idsWithPrefix(ctx context.Context, table, col, prefix string) ([]string, error) {
	where, args := "starts_with("+col+", ?)", []any{prefix}
	if head, tail, cut := cutIDRef(prefix); cut {
		where = "starts_with(" + col + ", ?) AND ends_with(" + col + ", ?) AND length(" + col + ") >= ?"
		args = []any{head, tail, len(head) + len(tail)}
	}
	q := "SELECT DISTINCT " + col + " FROM " + table + " WHERE " + where + " ORDER BY " + col + " LIMIT 6"
	return queryStrings(ctx, s.db, q, args...)
}

// idCutMarks are what stands for the cut middle of an id: the ellipsis
// the dashboard shows, and three dots, which a keyboard types.
var idCutMarks = []string{"…", "..."}

// cutIDRef splits an id reference cut in its middle ("1m98h…34s9p8" or
// "1m98h...34s9p8") into the head and tail the id starts and ends with;
// cut is false for a plain prefix.
func cutIDRef(ref string) (head, tail string, cut bool) {
	for _, mark := range idCutMarks {
		if head, tail, cut = strings.Cut(ref, mark); cut {
			return head, tail, true
		}
	}
	return ref, "", false
}

// MatchesIDRef says whether ref, as a user types it (lower case, a prefix
// or an id cut in its middle: cutIDRef), names id: what the resolvers
// would match, for a list that narrows as the user types.
func MatchesIDRef(id, ref string) bool {
	head, tail, cut := cutIDRef(ref)
	if !cut {
		return strings.HasPrefix(id, ref)
	}
	return len(id) >= len(head)+len(tail) && strings.HasPrefix(id, head) && strings.HasSuffix(id, tail)
}

// validIDRef says whether ref can name an id: a non-empty prefix in the id
// alphabet, or a head and a tail in it around one cut mark (cutIDRef).
func validIDRef(ref string) bool {
	head, tail, cut := cutIDRef(ref)
	inAlphabet := func(s string) bool { return s != "" && strings.Trim(s, idAlphabet) == "" }
	return inAlphabet(head) && (!cut || inAlphabet(tail))
}

// idRefAdvice says why ref names no KIND id, after validIDRef refused it:
// an id cut in its middle with nothing on one side of the cut needs both
// (the alphabet's rule read as if a character were wrong), else the
// alphabet.
func idRefAdvice(kind, ref string) string {
	if head, tail, cut := cutIDRef(ref); cut && (head == "" || tail == "") {
		return kind + " ids cut in the middle, as the dashboard shows them, need their start and their end around the … (or ...)"
	}
	return kind + ` ids use only 0-9 and a-z without i, l, o, u (or say "last")`
}

// queryer is a *sql.DB, *sql.Conn or *sql.Tx.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// queryStrings returns the one string column of a query's rows.
func queryStrings(ctx context.Context, db queryer, query string, args ...any) ([]string, error) {
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
