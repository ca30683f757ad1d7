package store

import (
	"context"
	"time"
)

// Download is an unfinished download in the journal: the partial file that
// holds what arrived, so that the next start can continue it.
type Download struct {
	ID      int64
	Handle  string
	Dest    string
	Partial string
	ETag    string
	Size    int64
	Created time.Time
	Updated time.Time
}

// StartDownload records a download whose partial file exists and returns
// its id.
func (l *Ledger) StartDownload(ctx context.Context, s Scope, d Download) (int64, error) {
	now := time.Now().UnixMilli()
	res, err := l.exec(ctx, `INSERT INTO downloads (target, endpoint, keyfp, handle, dest, partial, etag, size, created_ms, updated_ms)
		VALUES (?,?,?,?,?,?,?,?,?,?)`, s.args(d.Handle, d.Dest, d.Partial, d.ETag, d.Size, now, now)...)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// SaveDownload updates a download's partial file and ETag.
func (l *Ledger) SaveDownload(ctx context.Context, id int64, partial, etag string) error {
	_, err := l.exec(ctx, `UPDATE downloads SET partial=?, etag=?, updated_ms=? WHERE id=?`,
		partial, etag, time.Now().UnixMilli(), id)
	return err
}

// FinishDownload removes a download (done, or given up).
func (l *Ledger) FinishDownload(ctx context.Context, id int64) error {
	_, err := l.exec(ctx, `DELETE FROM downloads WHERE id=?`, id)
	return err
}

// Downloads lists the scope's unfinished downloads, oldest first.
func (l *Ledger) Downloads(ctx context.Context, s Scope) ([]Download, error) {
	rows, err := l.query(ctx, `SELECT id, handle, dest, partial, etag, size, created_ms, updated_ms
		FROM downloads WHERE `+scopeWhere+` ORDER BY id`, s.args()...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Download
	for rows.Next() {
		var d Download
		var c, u int64
		if err := rows.Scan(&d.ID, &d.Handle, &d.Dest, &d.Partial, &d.ETag, &d.Size, &c, &u); err != nil {
			return nil, err
		}
		d.Created, d.Updated = fromMS(c), fromMS(u)
		out = append(out, d)
	}
	return out, l.check(rows.Err())
}

// OwnedPartials lists the partial files of every unfinished download, of
// every scope.
func (l *Ledger) OwnedPartials(ctx context.Context) ([]string, error) {
	return l.column(ctx, `SELECT partial FROM downloads`)
}
