package store

import (
	"context"
	"database/sql"
	"sync"
)

// versionConn is the connection DataVersion asks on: SQLite's data_version
// is per connection (it changes when any other connection commits), so
// every poll must use the same one.
type versionConn struct {
	mu   sync.Mutex
	conn *sql.Conn
}

// DataVersion is a number that changes whenever another connection — in
// this process or another fsdeck — commits to the ledger (SQLite's
// PRAGMA data_version). Polling it is one small query on a connection
// kept for it, so a front end can notice changes cheaply.
func (l *Ledger) DataVersion(ctx context.Context) (int64, error) {
	l.version.mu.Lock()
	defer l.version.mu.Unlock()
	if l.version.conn == nil {
		c, err := l.db.Conn(ctx)
		if err != nil {
			return 0, l.check(err)
		}
		l.version.conn = c
	}
	var v int64
	err := l.version.conn.QueryRowContext(ctx, "PRAGMA data_version").Scan(&v)
	if err != nil {
		// A broken connection is not kept: the next poll opens another
		// (the numbers of two connections are not comparable, which costs
		// one spurious change).
		l.version.conn.Close()
		l.version.conn = nil
	}
	return v, l.check(err)
}

// closeVersion releases DataVersion's connection before the pool closes.
func (l *Ledger) closeVersion() {
	l.version.mu.Lock()
	defer l.version.mu.Unlock()
	if l.version.conn != nil {
		l.version.conn.Close()
		l.version.conn = nil
	}
}
