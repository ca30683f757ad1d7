package store

import (
	"context"
	"time"
)

// Job is an unfinished upload in the journal: enough to offer a resume on
// the next start. Session is the client's session as JSON (opaque here).
type Job struct {
	ID        int64
	LocalPath string
	Size      int64
	Session   string
	Created   time.Time
	Updated   time.Time
}

// StartJob records an upload before it starts and returns its id.
func (l *Ledger) StartJob(ctx context.Context, s Scope, localPath string, size int64) (int64, error) {
	now := time.Now().UnixMilli()
	res, err := l.exec(ctx, `INSERT INTO journal (target, endpoint, keyfp, local_path, size, created_ms, updated_ms)
		VALUES (?,?,?,?,?,?,?)`, s.args(localPath, size, now, now)...)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// SaveSession stores the latest resumable session of a job.
func (l *Ledger) SaveSession(ctx context.Context, id int64, session string) error {
	_, err := l.exec(ctx, `UPDATE journal SET session=?, updated_ms=? WHERE id=?`, session, time.Now().UnixMilli(), id)
	return err
}

// FinishJob removes a job (done, or given up by the person).
func (l *Ledger) FinishJob(ctx context.Context, id int64) error {
	_, err := l.exec(ctx, `DELETE FROM journal WHERE id=?`, id)
	return err
}

// Jobs lists the scope's unfinished uploads, oldest first.
func (l *Ledger) Jobs(ctx context.Context, s Scope) ([]Job, error) {
	rows, err := l.query(ctx, `SELECT id, local_path, size, session, created_ms, updated_ms FROM journal
		WHERE `+scopeWhere+` ORDER BY id`, s.args()...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Job
	for rows.Next() {
		var j Job
		var c, u int64
		if err := rows.Scan(&j.ID, &j.LocalPath, &j.Size, &j.Session, &c, &u); err != nil {
			return nil, err
		}
		j.Created, j.Updated = fromMS(c), fromMS(u)
		out = append(out, j)
	}
	return out, l.check(rows.Err())
}
