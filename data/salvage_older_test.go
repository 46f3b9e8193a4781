package data

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
)

// storeAtVersion writes a store as an aiecon of schema version v left it:
// the migrations up to v, holding the runs of a current store (three
// complete, one failed) and a forecast whose cost per Mtok counts what
// forecasts of that version counted (infrastructure alone before 9).
func storeAtVersion(t *testing.T, v int) (path string, ids []string) {
	t.Helper()
	cur, ids := damagedStore(t)
	db, path := emptyStoreAtVersion(t, "old.duckdb", v)
	defer db.Close()
	ctx := context.Background()
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "ATTACH "+quoteLiteral(cur)+" AS cur (READ_ONLY)"); err != nil {
		t.Fatal(err)
	}
	tables, err := queryStrings(ctx, conn, `SELECT table_name FROM duckdb_tables()
		WHERE database_name = current_database() AND table_name <> 'schema_version'`)
	if err != nil {
		t.Fatal(err)
	}
	for _, tb := range tables {
		// The columns the older table has: later migrations add some (runs'
		// calibration_* in 25), which an older store never held.
		cols, err := queryStrings(ctx, conn, `SELECT column_name FROM duckdb_columns()
			WHERE database_name = current_database() AND table_name = `+quoteLiteral(tb)+` ORDER BY column_index`)
		if err != nil {
			t.Fatal(err)
		}
		for i, c := range cols {
			cols[i] = QuoteIdent(c)
		}
		if _, err := conn.ExecContext(ctx, "INSERT INTO main."+tb+" BY NAME SELECT "+strings.Join(cols, ", ")+" FROM cur."+tb); err != nil {
			t.Fatalf("copying %s: %v", tb, err)
		}
	}
	if _, err := conn.ExecContext(ctx, `INSERT INTO forecasts VALUES ('f', 'x', '', now(), '', 'quarter', 1, 1, '{}', '');
		INSERT INTO forecast_periods VALUES ('f', 'v', 0, 1, 'cost_rent_usd', 'USD', 200), ('f', 'v', 0, 1, 'cost_power_usd', 'USD', 100),
		('f', 'v', 0, 1, 'cost_usd', 'USD', 400), ('f', 'v', 0, 1, 'cost_per_mtok_usd', 'USD/Mtok', 3)`); err != nil {
		t.Fatal(err)
	}
	return path, ids
}

// TestSalvageMigratesAnOlderStore: doctor's salvage of a store from before
// schema version 11 lost every run ("the store lacks the table
// latency_sketches") and copied an older forecast's figures under the
// meaning this version gives their names. The copy is made at the input's
// version and migrated forward, as opening the store read-write would.
func TestSalvageMigratesAnOlderStore(t *testing.T) {
	tests := []struct {
		version int
		perMTok float64 // cost_per_mtok_usd of the forecast's period after the salvage
		infra   sql.NullFloat64
	}{
		{8, 4, sql.NullFloat64{Float64: 3, Valid: true}}, // migration 9 rescaled it to every cost: $400 over 100 Mtok
		{10, 3, sql.NullFloat64{}},                       // already every cost: unchanged
	}
	for _, tt := range tests {
		in, ids := storeAtVersion(t, tt.version)
		out := filepath.Join(t.TempDir(), "saved.duckdb")
		st, err := Salvage(context.Background(), in, out)
		if err != nil {
			t.Fatalf("version %d: %v", tt.version, err)
		}
		if st.Runs != len(ids) || len(st.Lost) != 0 || len(st.Extras) != 0 || st.NotComplete != 1 || st.Forecasts != 1 || st.MigratedFrom != tt.version {
			t.Fatalf("version %d: salvage %+v, want %d runs copied, none lost, no extras, migrated from %d", tt.version, st, len(ids), tt.version)
		}
		// A read-only Open refuses an older schema and tables that differ
		// from this aiecon's: the copy is a current store.
		s, err := Open(out, Options{ReadOnly: true})
		if err != nil {
			t.Fatalf("version %d: the copy: %v", tt.version, err)
		}
		var requests int
		var perMTok float64
		var infra sql.NullFloat64
		err = s.DB().QueryRow(`SELECT (SELECT count(*) FROM requests),
			(SELECT value FROM forecast_periods WHERE metric = 'cost_per_mtok_usd'),
			(SELECT value FROM forecast_periods WHERE metric = 'cost_per_mtok_infra_usd')`).Scan(&requests, &perMTok, &infra)
		s.Close()
		if err != nil {
			t.Fatal(err)
		}
		if requests != 3*5000 || perMTok != tt.perMTok || infra != tt.infra {
			t.Errorf("version %d: copy holds %d requests, cost_per_mtok_usd %v, infra %v; want %d, %v, %v",
				tt.version, requests, perMTok, infra, 3*5000, tt.perMTok, tt.infra)
		}
	}
}
