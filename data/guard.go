package data

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"
)

// ErrNotAQuery is returned (wrapped) by CheckQuery for SQL that is not a
// single plain query over the store.
var ErrNotAQuery = errors.New("not a plain query over the store")

// readTableFunctions are the table functions a read-only query may call:
// generators and the catalog. Everything else that DuckDB offers in a FROM
// clause reads files (read_csv, read_text, glob, parquet_scan...), runs SQL
// given as a string (query, query_table) or acts (checkpoint), so it is
// refused by name even where the sandbox of a read-only Store would stop it.
var readTableFunctions = map[string]bool{
	"range": true, "generate_series": true, "unnest": true, "repeat": true,
	"duckdb_tables": true, "duckdb_views": true, "duckdb_columns": true, "duckdb_schemas": true,
	"duckdb_types": true, "duckdb_constraints": true, "duckdb_indexes": true, "duckdb_functions": true,
	"duckdb_keywords": true, "duckdb_settings": true, "pragma_table_info": true, "pragma_show": true,
	"pragma_version": true, "pragma_database_size": true,
}

// refusedScalarFunctions are scalar functions that change state or reach
// outside the store.
var refusedScalarFunctions = map[string]bool{"nextval": true, "setval": true, "getenv": true}

// CheckQuery refuses SQL that is not exactly one query reading the store:
// DuckDB's own parser (json_serialize_sql, which serializes SELECT
// statements only) says what q is, so comments, CTEs, nested subqueries and
// several statements are seen as DuckDB sees them. It accepts SELECT, WITH,
// FROM-first, VALUES, DESCRIBE, SHOW and SUMMARIZE; it refuses every other
// statement (COPY, EXPORT, IMPORT, ATTACH, DETACH, INSTALL, LOAD, SET, RESET,
// PRAGMA, CALL, CHECKPOINT, DML, DDL...), more than one statement, table
// functions other than readTableFunctions and file names in FROM. db only
// parses q; nothing of q runs.
func CheckQuery(ctx context.Context, db *sql.DB, q string) error {
	var js string
	if err := db.QueryRowContext(ctx, `SELECT json_serialize_sql(?::VARCHAR)::VARCHAR`, q).Scan(&js); err != nil {
		return fmt.Errorf("checking the query: %w", err)
	}
	var parsed struct {
		Error        bool              `json:"error"`
		ErrorType    string            `json:"error_type"`
		ErrorMessage string            `json:"error_message"`
		Statements   []json.RawMessage `json:"statements"`
	}
	if err := json.Unmarshal([]byte(js), &parsed); err != nil {
		return fmt.Errorf("checking the query: DuckDB's parse tree: %w", err)
	}
	switch {
	case parsed.Error && parsed.ErrorType == "not implemented":
		return notSerialized(q)
	case parsed.Error:
		return fmt.Errorf("%s error: %s", parsed.ErrorType, parsed.ErrorMessage)
	case len(parsed.Statements) == 0:
		return fmt.Errorf("%w: the text holds no statement", ErrNotAQuery)
	case len(parsed.Statements) > 1:
		return fmt.Errorf("%w: %d statements; give one query at a time", ErrNotAQuery, len(parsed.Statements))
	}
	var tree any
	if err := json.Unmarshal(parsed.Statements[0], &tree); err != nil {
		return fmt.Errorf("checking the query: DuckDB's parse tree: %w", err)
	}
	return checkNode(tree)
}

// checkNode walks DuckDB's parse tree and refuses the table references and
// function calls that read outside the store or change anything.
func checkNode(n any) error {
	switch x := n.(type) {
	case []any:
		for _, e := range x {
			if err := checkNode(e); err != nil {
				return err
			}
		}
	case map[string]any:
		if err := checkRef(x); err != nil {
			return err
		}
		for _, v := range x {
			if err := checkNode(v); err != nil {
				return err
			}
		}
	}
	return nil
}

func checkRef(x map[string]any) error {
	typ, _ := x["type"].(string)
	switch typ {
	case "TABLE_FUNCTION":
		fn, _ := x["function"].(map[string]any)
		name, _ := fn["function_name"].(string)
		if !readTableFunctions[strings.ToLower(name)] {
			return fmt.Errorf("%w: the table function %s is refused (it reads files, runs SQL from a string or acts); read-only queries may call %s", ErrNotAQuery, name, allowedList())
		}
	case "BASE_TABLE":
		// DuckDB reads a file named in FROM ('x.csv', 'dir/*.parquet') by a
		// replacement scan; no table of the store has such a name.
		name, _ := x["table_name"].(string)
		if strings.ContainsAny(name, "./\\:*?~") {
			return fmt.Errorf("%w: %q in FROM names a file, not a table of the store", ErrNotAQuery, name)
		}
	case "FUNCTION":
		name, _ := x["function_name"].(string)
		if refusedScalarFunctions[strings.ToLower(name)] {
			return fmt.Errorf("%w: the function %s is refused", ErrNotAQuery, name)
		}
	}
	return nil
}

// notSerialized says why DuckDB would not serialize q. Besides statements
// other than queries, that is a PIVOT without IN (PIVOT t ON c USING agg),
// which reads the table once to find its columns before the query exists;
// in a subquery the message named SELECT as the statement refused. With
// its values listed (ON c IN (...)) it serializes.
func notSerialized(q string) error {
	kw := refusedKeyword(q)
	if (kw == "PIVOT" || queryKeywords[kw]) && hasWord(q, "PIVOT") {
		return fmt.Errorf("%w: a PIVOT without IN (PIVOT t ON col USING agg) is refused: it runs a query of its own to find its columns, before it can be checked; "+
			"with the values listed it runs: PIVOT t ON col IN ('a', 'b') USING agg", ErrNotAQuery)
	}
	if kw == "WITH" {
		if stmt := withStatement(q); stmt != "" {
			// "WITH statements are refused; only queries (SELECT, WITH...)"
			// contradicted itself: the WITH ends in a DELETE.
			kw = "WITH ... " + stmt
		}
	}
	return fmt.Errorf("%w: %s statements are refused; only queries (SELECT, WITH, FROM, VALUES, DESCRIBE, SHOW, SUMMARIZE, "+
		"PIVOT with its values listed, UNPIVOT) run read-only", ErrNotAQuery, kw)
}

// changeKeywords are the statements a WITH clause may lead to that are not
// queries.
var changeKeywords = []string{"DELETE", "INSERT", "UPDATE", "MERGE", "CREATE", "DROP", "ALTER", "COPY"}

// withStatement is the first word of q past its first that names a
// statement that changes something (the DELETE of WITH x AS (...) DELETE
// FROM runs), "" if none; for the message only, so quotes are not told
// apart.
func withStatement(q string) string {
	ws := words(q)
	for _, w := range ws[min(1, len(ws)):] {
		if slices.Contains(changeKeywords, w) {
			return w
		}
	}
	return ""
}

// hasWord reports whether q has word (upper case) as a whole word, in any
// case; quotes are not told apart (the message at worst names PIVOT).
func hasWord(q, word string) bool { return slices.Contains(words(q), word) }

// words are q's words (letters and underscores) in upper case.
func words(q string) []string {
	return strings.FieldsFunc(strings.ToUpper(q), func(r rune) bool { return !unicode.IsLetter(r) && r != '_' })
}

// generatorFunctions are the readTableFunctions that are not the catalog's.
var generatorFunctions = []string{"range", "generate_series", "unnest", "repeat"}

// allowedList names every readTableFunctions entry: "the duckdb_* catalog
// functions" promised duckdb_extensions, which is refused.
func allowedList() string {
	var catalog []string
	for name := range readTableFunctions {
		if !slices.Contains(generatorFunctions, name) {
			catalog = append(catalog, name)
		}
	}
	slices.Sort(catalog)
	return strings.Join(generatorFunctions, ", ") + " and the catalog functions " + strings.Join(catalog, ", ")
}

// queryKeywords start the statements that DuckDB serializes (a PIVOT with
// its values listed among them).
var queryKeywords = map[string]bool{"SELECT": true, "WITH": true, "FROM": true, "VALUES": true,
	"DESCRIBE": true, "SHOW": true, "SUMMARIZE": true, "TABLE": true, "PIVOT": true, "UNPIVOT": true}

// refusedKeyword names, for the message only, the first statement of q
// that is not a query: DuckDB refuses to serialize the whole text when one
// statement is not a SELECT, without saying which. The split on ';' ignores
// quotes; at worst the message names the first keyword.
func refusedKeyword(q string) string {
	for _, part := range strings.Split(q, ";") {
		if k := firstKeyword(part); k != "empty" && !queryKeywords[k] {
			return k
		}
	}
	return firstKeyword(q)
}

// firstKeyword is the first word of q after comments and whitespace, upper
// case, for messages ("COPY statements are refused").
func firstKeyword(q string) string {
	for {
		q = strings.TrimLeftFunc(q, func(r rune) bool { return unicode.IsSpace(r) || r == ';' || r == '(' })
		if rest, ok := skipComment(q); ok {
			q = rest
			continue
		}
		if strings.HasPrefix(q, "--") || strings.HasPrefix(q, "/*") {
			return "empty" // an unterminated comment
		}
		end := strings.IndexFunc(q, func(r rune) bool { return !unicode.IsLetter(r) && r != '_' })
		if end < 0 {
			end = len(q)
		}
		if end == 0 {
			return "such"
		}
		return strings.ToUpper(q[:end])
	}
}

// skipComment returns q after a leading complete comment, if it has one.
func skipComment(q string) (string, bool) {
	for _, c := range [][2]string{{"--", "\n"}, {"/*", "*/"}} {
		if strings.HasPrefix(q, c[0]) {
			if i := strings.Index(q, c[1]); i >= 0 {
				return q[i+len(c[1]):], true
			}
		}
	}
	return q, false
}
