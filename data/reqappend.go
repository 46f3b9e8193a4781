package data

import (
	"errors"
	"fmt"
	"unsafe"

	duckdb "github.com/duckdb/duckdb-go/v2"
	"github.com/duckdb/duckdb-go/v2/mapping"

	"aiecon/sim"
)

// requestAppender appends request records through DuckDB's C Appender
// column by column: each value is stored straight into the data chunk's
// typed vector, so a row costs a few stores instead of the driver's
// AppendRow path (a driver.Value allocated per value, a type switch per
// value, a cgo call per row and per NULL), which was as slow as DuckDB's own
// append and held the store under its 1,000,000 rows/s target.
//
// It uses the low-level bindings that duckdb-go itself is built on, with its
// own connection to the same database instance (duckdb-go's instance cache),
// so its rows commit in their own transactions: at each Appender flush and at
// close, before the run's final transaction.
type requestAppender struct {
	conn   mapping.Connection
	app    mapping.Appender
	types  []mapping.LogicalType
	chunk  mapping.DataChunk
	chunkN int // rows the chunk holds (DuckDB's vector size)

	rows  int                                 // rows in the current chunk
	data  [len(reqColumnTypes)]unsafe.Pointer // each column's vector data
	valid [len(reqColumnTypes)][]uint64       // validity masks made writable in this chunk
	enum  []uint8                             // sim.RequestStatus -> request_status dictionary index
	open  bool
}

// reqColumnTypes are the DuckDB types of requestColumns, in order; the
// appender checks them against the table so that a migration that changes a
// column cannot be appended to with the wrong layout.
var reqColumnTypes = [...]mapping.Type{
	mapping.TypeBigInt,  // request_id
	mapping.TypeInteger, // workload
	mapping.TypeBigInt,  // session_id (NULL: not in a session)
	mapping.TypeInteger, // step
	mapping.TypeInteger, // replica (NULL: never placed)
	mapping.TypeEnum,    // status
	mapping.TypeBigInt,  // arrival_ns
	mapping.TypeBigInt,  // start_ns
	mapping.TypeBigInt,  // first_token_ns
	mapping.TypeBigInt,  // finish_ns
	mapping.TypeInteger, // prompt_tokens
	mapping.TypeInteger, // cached_tokens
	mapping.TypeInteger, // output_tokens
	mapping.TypeInteger, // preemptions
	mapping.TypeDouble,  // revenue_usd
}

// rawDatabase opens a C handle on the database instance that the store's
// database/sql pool uses: same path, same configuration (DuckDB refuses a
// second configuration for an open file).
func rawDatabase(path, memoryLimit string, threads int) (mapping.Database, error) {
	var db mapping.Database
	var config mapping.Config
	if mapping.CreateConfig(&config) == mapping.StateError {
		return db, errors.New("creating a DuckDB configuration")
	}
	defer mapping.DestroyConfig(&config)
	for _, kv := range append([][2]string{{"duckdb_api", "go"}}, fileOptions(memoryLimit, threads)...) {
		if mapping.SetConfig(config, kv[0], kv[1]) == mapping.StateError {
			return db, fmt.Errorf("setting DuckDB option %s=%s", kv[0], kv[1])
		}
	}
	var msg string
	if mapping.GetOrCreateFromCache(duckdb.GetInstanceCache(), path, &db, config, &msg) == mapping.StateError {
		mapping.Close(&db)
		return db, fmt.Errorf("opening %s for appending: %s", path, msg)
	}
	return db, nil
}

func newRequestAppender(db mapping.Database, runID string) (a *requestAppender, err error) {
	a = &requestAppender{}
	if mapping.Connect(db, &a.conn) == mapping.StateError {
		return nil, errors.New("connecting to the store for appending requests")
	}
	defer func() {
		if err != nil {
			a.destroy()
		}
	}()
	if err := a.columnTypes(); err != nil {
		return nil, err
	}
	var sel []string
	for i := range requestColumns {
		sel = append(sel, fmt.Sprintf("col%d", i+1))
	}
	q := "INSERT INTO requests (run_id, " + joinColumns(requestColumns) + ") SELECT " + quoteLiteral(runID) + ", " + joinColumns(sel) + " FROM appended_data"
	if mapping.AppenderCreateQuery(a.conn, q, a.types, "appended_data", sel, &a.app) == mapping.StateError {
		return nil, fmt.Errorf("appender for requests: %s", mapping.AppenderError(a.app))
	}
	a.chunk = mapping.CreateDataChunk(a.types)
	a.chunkN = int(mapping.VectorSize())
	a.resetChunk()
	a.open = true
	return a, nil
}

// columnTypes reads the requests columns' types from the table (an
// Appender on it) and checks them against reqColumnTypes; it also maps the
// simulator's request statuses onto the request_status enum's dictionary.
func (a *requestAppender) columnTypes() error {
	var probe mapping.Appender
	if mapping.AppenderCreateExt(a.conn, "", "", "requests", &probe) == mapping.StateError {
		err := fmt.Errorf("appender for requests: %s", mapping.AppenderError(probe))
		mapping.AppenderDestroy(&probe)
		return err
	}
	defer mapping.AppenderDestroy(&probe)
	for _, c := range requestColumns {
		if mapping.AppenderAddColumn(probe, c) == mapping.StateError {
			return fmt.Errorf("appender for requests: column %s: %s", c, mapping.AppenderError(probe))
		}
	}
	for i, c := range requestColumns {
		t := mapping.AppenderColumnType(probe, mapping.IdxT(i))
		a.types = append(a.types, t)
		if got := mapping.GetTypeId(t); got != reqColumnTypes[i] {
			return fmt.Errorf("requests.%s has DuckDB type %d, the appender writes %d: update reqColumnTypes with the migration", c, got, reqColumnTypes[i])
		}
		if reqColumnTypes[i] != mapping.TypeEnum {
			continue
		}
		if it := mapping.EnumInternalType(t); it != mapping.TypeUTinyInt {
			return fmt.Errorf("requests.%s: enum stored as type %d, the appender writes one byte", c, it)
		}
		index := map[string]uint8{}
		for k := range mapping.EnumDictionarySize(t) {
			index[mapping.EnumDictionaryValue(t, mapping.IdxT(k))] = uint8(k)
		}
		for code, name := range requestStatusNames {
			k, ok := index[name]
			if !ok {
				return fmt.Errorf("requests.%s: status %q (code %d) is not in the enum (add it in a migration)", c, name, code)
			}
			a.enum = append(a.enum, k)
		}
	}
	return nil
}

// resetChunk empties the chunk and fetches its vectors' data pointers
// again (a reset may hand the vectors other buffers).
func (a *requestAppender) resetChunk() {
	mapping.DataChunkReset(a.chunk)
	for i := range a.data {
		a.data[i] = mapping.VectorGetData(mapping.DataChunkGetVector(a.chunk, mapping.IdxT(i)))
		a.valid[i] = nil
	}
	a.rows = 0
}

// setNull marks column col of the current row NULL, making the column's
// validity mask writable (all valid) the first time in a chunk.
func (a *requestAppender) setNull(col int) {
	m := a.valid[col]
	if m == nil {
		vec := mapping.DataChunkGetVector(a.chunk, mapping.IdxT(col))
		mapping.VectorEnsureValidityWritable(vec)
		m = unsafe.Slice((*uint64)(mapping.VectorGetValidity(vec)), (a.chunkN+63)/64)
		a.valid[col] = m
	}
	m[a.rows/64] &^= 1 << (a.rows % 64)
}

func setAt[T any](p unsafe.Pointer, row int, v T) {
	*(*T)(unsafe.Add(p, uintptr(row)*unsafe.Sizeof(v))) = v
}

// int64OrNull stores v, or NULL for the simulator's -1 ("unset").
func (a *requestAppender) int64OrNull(col int, v int64) {
	if v < 0 {
		a.setNull(col)
		return
	}
	setAt(a.data[col], a.rows, v)
}

func (a *requestAppender) int32OrNull(col int, v int32) {
	if v < 0 {
		a.setNull(col)
		return
	}
	setAt(a.data[col], a.rows, v)
}

func (a *requestAppender) append(rs []sim.RequestRecord) error {
	for i := range rs {
		r := &rs[i]
		if int(r.Status) >= len(a.enum) {
			return fmt.Errorf("request %d: status code %d is unknown to the store (add it to request_status in a migration)", r.ID, r.Status)
		}
		if a.rows == a.chunkN {
			if err := a.appendChunk(); err != nil {
				return err
			}
		}
		setAt(a.data[0], a.rows, r.ID)
		setAt(a.data[1], a.rows, r.Workload)
		a.int64OrNull(2, r.Session)
		setAt(a.data[3], a.rows, r.Step)
		a.int32OrNull(4, r.Replica)
		setAt(a.data[5], a.rows, a.enum[r.Status])
		setAt(a.data[6], a.rows, r.ArrivalNs)
		a.int64OrNull(7, r.StartNs)
		a.int64OrNull(8, r.FirstTokenNs)
		a.int64OrNull(9, r.FinishNs)
		setAt(a.data[10], a.rows, r.PromptTokens)
		setAt(a.data[11], a.rows, r.CachedTokens)
		setAt(a.data[12], a.rows, r.OutputTokens)
		setAt(a.data[13], a.rows, r.Preemptions)
		setAt(a.data[14], a.rows, r.RevenueUSD)
		a.rows++
	}
	return nil
}

// appendChunk hands the chunk's rows to the Appender, which flushes by
// itself (its own transaction) every so many rows.
func (a *requestAppender) appendChunk() error {
	if a.rows == 0 {
		return nil
	}
	mapping.DataChunkSetSize(a.chunk, mapping.IdxT(a.rows))
	if mapping.AppendDataChunk(a.app, a.chunk) == mapping.StateError {
		return fmt.Errorf("appending requests: %s", mapping.AppenderError(a.app))
	}
	a.resetChunk()
	return nil
}

// close appends what is buffered, flushes the Appender (committing its
// rows) and releases everything; later calls do nothing.
func (a *requestAppender) close() error {
	if a == nil || !a.open {
		return nil
	}
	a.open = false
	err := a.appendChunk()
	if err == nil && mapping.AppenderClose(a.app) == mapping.StateError {
		err = fmt.Errorf("closing the appender: %s", mapping.AppenderError(a.app))
	}
	a.destroy()
	return err
}

func (a *requestAppender) destroy() {
	mapping.AppenderDestroy(&a.app)
	if a.chunk.Ptr != nil {
		mapping.DestroyDataChunk(&a.chunk)
	}
	for i := range a.types {
		mapping.DestroyLogicalType(&a.types[i])
	}
	a.types = nil
	mapping.Disconnect(&a.conn)
}
