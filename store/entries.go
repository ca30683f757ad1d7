package store

import (
	"context"
	"database/sql/driver"
	"fmt"
	"iter"
	"strings"

	"modernc.org/sqlite"
)

// Sort orders of Entries, as `fsdeck ls --sort` names them.
const (
	SortDate = "date" // newest upload first
	SortName = "name" // file name, case-insensitively
	SortSize = "size" // largest first
	SortType = "type" // MIME type
)

// entryOrders are the ORDER BY clauses of the sort orders. Each ends
// with List's order (newest added first, then handle), so rows equal in
// the key come as a stable sort of List's rows would give them. An upload
// time of 0 is unknown: last, as the zero time.Time sorts after every
// real time when newest comes first.
var entryOrders = map[string]string{
	SortDate: `uploaded_ms = 0, uploaded_ms DESC, added_ms DESC, handle`,
	SortName: `fsdeck_lower(filename), added_ms DESC, handle`,
	SortSize: `size DESC, added_ms DESC, handle`,
	SortType: `mimetype, added_ms DESC, handle`,
}

func init() {
	// strings.ToLower in SQL: SQLite's lower() folds ASCII only, and a
	// name sort must agree with the one Go code does.
	sqlite.MustRegisterDeterministicScalarFunction("fsdeck_lower", 1, func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		switch v := args[0].(type) {
		case string:
			return strings.ToLower(v), nil
		case []byte:
			return strings.ToLower(string(v)), nil
		}
		return args[0], nil
	})
}

// Entries yields the scope's entries in the order by (SortDate, SortName,
// SortSize, SortType) one at a time, as SQLite's cursor reads them, so
// that a caller can stream a ledger of any size in constant memory; an
// error ends the sequence (yielded with a zero Entry). Stopping early
// closes the cursor.
func (l *Ledger) Entries(ctx context.Context, s Scope, by string) iter.Seq2[Entry, error] {
	order, ok := entryOrders[by]
	if !ok {
		return func(yield func(Entry, error) bool) { yield(Entry{}, fmt.Errorf("unknown sort order %q", by)) }
	}
	return l.selectEntries(ctx, s, "", order)
}

// selectEntries yields the scope's entries that also meet cond (an SQL
// condition beginning with AND, with its args; "" for all) in the given
// ORDER BY order ("" for SQLite's), as the cursor reads them.
func (l *Ledger) selectEntries(ctx context.Context, s Scope, cond, order string, args ...any) iter.Seq2[Entry, error] {
	return func(yield func(Entry, error) bool) {
		q := `SELECT ` + entryCols + ` FROM files WHERE ` + scopeWhere + cond
		if order != "" {
			q += ` ORDER BY ` + order
		}
		rows, err := l.query(ctx, q, s.args(args...)...)
		if err != nil {
			yield(Entry{}, err)
			return
		}
		defer rows.Close()
		for rows.Next() {
			e, err := scanEntry(rows)
			if err != nil {
				yield(Entry{}, l.check(err))
				return
			}
			if !yield(l.current(s, e), nil) {
				return
			}
		}
		if err := l.check(rows.Err()); err != nil {
			yield(Entry{}, err)
		}
	}
}

// collect gathers a sequence of entries, stopping at its first error.
func collect(seq iter.Seq2[Entry, error]) ([]Entry, error) {
	var out []Entry
	for e, err := range seq {
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}
