package store

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/gofrs/flock"
)

// ErrLedgerBusy means another process holds the ledger in a way that
// excludes this one: a running fsdeck for `fsdeck doctor`, or a doctor
// rebuilding it for any other fsdeck.
var ErrLedgerBusy = errors.New("the ledger is in use")

// LedgerLockPath is the lock file beside the ledger. Every fsdeck that
// opens the ledger holds it shared; `fsdeck doctor` takes it exclusively
// before replacing the file, so it never swaps a ledger out from under a
// running fsdeck.
func (p Paths) LedgerLockPath() string { return filepath.Join(p.Data, "ledger.lock") }

// ShareLedger takes the ledger lock shared, waiting up to wait for a
// doctor to finish. The returned func releases it.
func ShareLedger(p Paths, wait time.Duration) (func(), error) {
	return lockLedger(p, wait, true)
}

// OwnLedger takes the ledger lock exclusively, waiting up to wait for
// other fsdeck processes to quit.
func OwnLedger(p Paths, wait time.Duration) (func(), error) {
	return lockLedger(p, wait, false)
}

func lockLedger(p Paths, wait time.Duration, shared bool) (func(), error) {
	fl := flock.New(p.LedgerLockPath())
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	try := fl.TryLockContext
	if shared {
		try = fl.TryRLockContext
	}
	ok, err := try(ctx, 50*time.Millisecond)
	if ok {
		return func() { fl.Unlock() }, nil
	}
	if err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return nil, fmt.Errorf("locking %s: %w", p.LedgerLockPath(), err)
	}
	return nil, ErrLedgerBusy
}
