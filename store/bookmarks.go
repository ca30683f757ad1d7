package store

import (
	"context"
	"time"
)

// Bookmarks lists bookmarked local directories, oldest first.
func (l *Ledger) Bookmarks(ctx context.Context) ([]string, error) {
	return l.column(ctx, `SELECT path FROM bookmarks ORDER BY added_ms, path`)
}

// column runs a query of one text column and returns its values in the
// query's order.
func (l *Ledger) column(ctx context.Context, query string, args ...any) ([]string, error) {
	rows, err := l.query(ctx, query, args...)
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
	return out, l.check(rows.Err())
}

// AddBookmark remembers a directory (adding it twice is harmless).
func (l *Ledger) AddBookmark(ctx context.Context, path string) error {
	_, err := l.exec(ctx, `INSERT OR IGNORE INTO bookmarks (path, added_ms) VALUES (?, ?)`, path, time.Now().UnixMilli())
	return err
}

// RemoveBookmark forgets a directory.
func (l *Ledger) RemoveBookmark(ctx context.Context, path string) error {
	_, err := l.exec(ctx, `DELETE FROM bookmarks WHERE path = ?`, path)
	return err
}
