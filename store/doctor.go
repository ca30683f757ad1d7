package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// RebuildReport says what Rebuild did.
type RebuildReport struct {
	Backup string // where the damaged file now is
	// Rows salvaged into the new ledger, per table (Downloads: unfinished
	// downloads, whose partial files the next start can continue).
	Files, Jobs, Downloads, Bookmarks int
	// Damaged is how many unreadable stretches were skipped (their rows
	// are lost); Unreadable names tables that could not be read at all.
	Damaged    int
	Unreadable []string
	// Garbled is how many rows SQLite could read but that hold garbage
	// (bytes overwritten inside a row are not detectable as damage).
	Garbled int
	// Empty: the file held no ledger at all (empty, or without the
	// ledger's tables), so there was nothing to salvage.
	Empty bool
}

// salvaged tables, with the columns copied (journal keeps its ids), and
// the columns of a ledger from before hosting targets (schema 3), whose
// rows are Filestack's. New columns go last, so plausible's indexes hold
// for both.
var salvageTables = []struct{ name, cols, oldCols string }{
	{"files", "endpoint, keyfp, " + entryCols + ", target", "endpoint, keyfp, " + baseEntryCols},
	{"journal", "id, endpoint, keyfp, local_path, size, session, created_ms, updated_ms, target",
		"id, endpoint, keyfp, local_path, size, session, created_ms, updated_ms"},
	{"downloads", "id, endpoint, keyfp, handle, dest, partial, etag, size, created_ms, updated_ms, target",
		"id, endpoint, keyfp, handle, dest, partial, etag, size, created_ms, updated_ms"},
	{"bookmarks", "path, added_ms", "path, added_ms"},
}

// Rebuild moves the ledger at path (with its WAL) aside to a backup named
// with the time, creates a fresh ledger at path and copies into it every
// row that can still be read from the backup. Run it while no fsdeck has
// the ledger open. The backup itself is never written.
func Rebuild(ctx context.Context, path string, now time.Time) (RebuildReport, error) {
	r := RebuildReport{Backup: path + ".damaged-" + now.UTC().Format("20060102T150405Z")}
	if _, err := os.Stat(path); err != nil {
		return r, err
	}
	for _, sfx := range []string{"", "-wal", "-shm"} {
		if err := os.Rename(path+sfx, r.Backup+sfx); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return r, fmt.Errorf("backing up the ledger: %w", err)
		}
	}
	// Read from a scratch copy: opening a WAL database may write to it
	// (recovery, checkpoint), and the backup must stay as it was.
	scratch := path + ".salvage"
	defer removeDB(scratch)
	rows := map[string][][]any{}
	used := map[string]string{} // the columns each table was read with
	if err := copyDB(r.Backup, scratch); err != nil {
		return r, fmt.Errorf("copying the backup to read it: %w", err)
	}
	if src, err := openDB(scratch, false); err == nil {
		var v int
		if err := src.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err == nil && v == 0 {
			r.Empty = true
		}
		for _, t := range salvageTables {
			used[t.name] = t.cols
			got, damaged, err := salvageTable(ctx, src, t.name, t.cols)
			if err != nil && len(got) == 0 && !IsCorrupt(err) {
				// A ledger older than the columns: read what it has.
				used[t.name] = t.oldCols
				got, damaged, err = salvageTable(ctx, src, t.name, t.oldCols)
			}
			rows[t.name], r.Damaged = got, r.Damaged+damaged
			if err != nil {
				r.Unreadable = append(r.Unreadable, t.name)
			}
		}
		src.Close()
	}
	l, err := Open(path)
	if err != nil {
		return r, err
	}
	defer l.Close()
	if l.Damaged() != nil {
		return r, l.Damaged()
	}
	counts := []*int{&r.Files, &r.Jobs, &r.Downloads, &r.Bookmarks}
	for i, t := range salvageTables {
		var keep [][]any
		for _, row := range rows[t.name] {
			if plausible(t.name, row) {
				keep = append(keep, row)
			} else {
				r.Garbled++
			}
		}
		cols := used[t.name]
		if cols == "" {
			cols = t.cols
		}
		if *counts[i], err = l.insertRows(ctx, t.name, cols, keep); err != nil {
			return r, err
		}
	}
	return r, nil
}

var handleRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,128}$`)

// plausible rejects rows whose text is not what fsdeck writes: every
// column but a local path (which may be any bytes the OS allows) is UTF-8,
// and a handle is letters and digits. Garbage that overwrote bytes inside a
// row reads back without an error, and would otherwise show up as files.
func plausible(table string, row []any) bool {
	utf8At := func(idx ...int) bool {
		for _, i := range idx {
			if s, ok := row[i].(string); !ok || !utf8.ValidString(s) {
				return false
			}
		}
		return true
	}
	switch table {
	case "files": // endpoint, keyfp, handle, filename, size, mimetype, uploaded_ms, added_ms, source, local_path, sha256, …
		h, _ := row[2].(string)
		return handleRE.MatchString(h) && utf8At(0, 1, 3, 5, 8, 10)
	case "journal": // id, endpoint, keyfp, local_path, size, session, …
		sess, _ := row[5].(string)
		return utf8At(1, 2, 5) && (sess == "" || json.Valid([]byte(sess)))
	case "downloads": // id, endpoint, keyfp, handle, dest, partial, etag, …
		h, _ := row[3].(string)
		return handleRE.MatchString(h) && utf8At(1, 2, 6)
	}
	return true
}

// salvageTable reads what rows of table it can, in rowid order. A damaged
// page ends a scan with an error; the scan then resumes past it, probing
// for the next readable rowid one at a time, then in growing steps. err is
// set when nothing of the table could be read.
func salvageTable(ctx context.Context, db *sql.DB, table, cols string) (out [][]any, damaged int, err error) {
	const linear, maxMisses = 512, 600
	from, step, misses := int64(0), int64(1), 0
	for {
		got, last, serr := scanFrom(ctx, db, table, cols, from)
		out = append(out, got...)
		if serr == nil {
			return out, damaged, nil
		}
		if !IsCorrupt(serr) || isNotADB(serr) {
			// Not a damaged page that a later rowid could skip (no such
			// table, or no database at all).
			return out, damaged, serr
		}
		if len(got) > 0 {
			from, step, misses = last+1, 1, 0
		}
		if misses == 0 {
			damaged++
		}
		misses++
		if misses > maxMisses || from > 1<<53 {
			if len(out) == 0 {
				return nil, damaged, serr
			}
			return out, damaged, nil
		}
		if len(got) == 0 {
			from += step
			if misses > linear {
				step *= 2
			}
		}
	}
}

// scanFrom reads rows with rowid ≥ from until the end or an error.
func scanFrom(ctx context.Context, db *sql.DB, table, cols string, from int64) (out [][]any, last int64, err error) {
	rows, err := db.QueryContext(ctx, `SELECT rowid, `+cols+` FROM `+table+` WHERE rowid >= ? ORDER BY rowid`, from)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	n := strings.Count(cols, ",") + 2
	for rows.Next() {
		vals := make([]any, n)
		ptrs := make([]any, n)
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return out, last, err
		}
		id, ok := vals[0].(int64)
		if !ok {
			return out, last, fmt.Errorf("rowid of type %T", vals[0])
		}
		last = id
		out = append(out, vals[1:])
	}
	return out, last, rows.Err()
}

// insertRows copies salvaged rows in one transaction; rows that break the
// schema (a damaged value, a duplicate key) are left out.
func (l *Ledger) insertRows(ctx context.Context, table, cols string, rows [][]any) (int, error) {
	tx, err := l.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	marks := strings.TrimSuffix(strings.Repeat("?,", strings.Count(cols, ",")+1), ",")
	st, err := tx.PrepareContext(ctx, `INSERT OR IGNORE INTO `+table+` (`+cols+`) VALUES (`+marks+`)`)
	if err != nil {
		return 0, err
	}
	defer st.Close()
	n := 0
	for _, r := range rows {
		res, err := st.ExecContext(ctx, r...)
		if err != nil {
			continue
		}
		if k, _ := res.RowsAffected(); k > 0 {
			n++
		}
	}
	return n, tx.Commit()
}

// copyDB copies a database file and its WAL, if any.
func copyDB(from, to string) error {
	for _, sfx := range []string{"", "-wal"} {
		if err := copyFile(from+sfx, to+sfx); err != nil && !(sfx != "" && errors.Is(err, fs.ErrNotExist)) {
			return err
		}
	}
	return nil
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func removeDB(path string) {
	for _, sfx := range []string{"", "-wal", "-shm"} {
		os.Remove(path + sfx)
	}
}

// Counts is how many rows each table holds (for `fsdeck doctor`).
func (l *Ledger) Counts(ctx context.Context) (files, jobs, downloads, bookmarks int, err error) {
	for _, c := range []struct {
		table string
		n     *int
	}{{"files", &files}, {"journal", &jobs}, {"downloads", &downloads}, {"bookmarks", &bookmarks}} {
		if err = l.db.QueryRowContext(ctx, "SELECT count(*) FROM "+c.table).Scan(c.n); err != nil {
			return
		}
	}
	return
}

// Restore adds the entries the ledger lacks, leaving rows it has as they
// are, and returns how many it added: what fsdeck doctor learns from a
// server after a rebuild must not overwrite what was salvaged.
func (l *Ledger) Restore(ctx context.Context, s Scope, es []Entry) (int, error) {
	if l.damaged != nil {
		return 0, l.damaged
	}
	tx, err := l.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	st, err := tx.PrepareContext(ctx, `INSERT INTO files (target, endpoint, keyfp, `+entryCols+`)
		VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
		ON CONFLICT (target, endpoint, keyfp, handle) DO NOTHING`)
	if err != nil {
		return 0, err
	}
	defer st.Close()
	n := 0
	for _, e := range es {
		if e.Added.IsZero() {
			e.Added = time.Now()
		}
		res, err := st.ExecContext(ctx, s.args(e.Handle, e.Filename, e.Size, e.Mimetype, ms(e.Uploaded), ms(e.Added),
			string(e.Source), e.LocalPath, e.SHA256, e.Width, e.Height, e.StorePath, e.Gone, ms(e.RefreshedAt),
			e.URL, encodeLinks(e.Links), ms(e.Expires))...)
		if err != nil {
			return 0, l.check(err)
		}
		if k, _ := res.RowsAffected(); k > 0 {
			n++
		}
	}
	return n, l.check(tx.Commit())
}
