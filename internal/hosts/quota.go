package hosts

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"log/slog"
	"sync"
)

// DefaultDiskQuota is what the emulators mounted together (builtin.Mount)
// may keep on disk, all services together: 2 GiB. The real services have
// far larger per-account limits; this one protects the disk of the
// machine running fsdeck, so an upload past it is refused, never made
// room for by deleting older files.
const DefaultDiskQuota = 2 << 30

// Errors of Store.Receive; emulators answer them with their service's own
// "too large" or storage-full reply.
var (
	// ErrStoreQuota: the upload does not fit the shared disk quota.
	ErrStoreQuota = errors.New("hosts: emulator disk quota reached")
	// ErrStoreTooLarge: the upload is over the per-file limit given.
	ErrStoreTooLarge = errors.New("hosts: file over the emulator's size limit")
)

// Quota is a disk byte quota shared by the mounted emulators. It refuses
// what does not fit and never evicts: a stored file stays until its owner
// deletes it or it expires. It is safe for concurrent use.
type Quota struct {
	mu    sync.Mutex
	limit int64
	used  int64
}

// NewQuota returns a quota of limit bytes (0 or less: DefaultDiskQuota).
func NewQuota(limit int64) *Quota {
	if limit <= 0 {
		limit = DefaultDiskQuota
	}
	return &Quota{limit: limit}
}

// Limit is the quota's size in bytes.
func (q *Quota) Limit() int64 { return q.limit }

// Used is the bytes counted now (stored files and uploads in progress).
func (q *Quota) Used() int64 {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.used
}

// reserve counts n more bytes, or reports false (counting nothing) when
// they do not fit.
func (q *Quota) reserve(n int64) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.used+n > q.limit {
		return false
	}
	q.used += n
	return true
}

// count adds bytes already on disk (found at start), even past the limit:
// they are the user's and are kept; new uploads are refused until there
// is room.
func (q *Quota) count(n int64) {
	q.mu.Lock()
	q.used += n
	q.mu.Unlock()
}

func (q *Quota) release(n int64) {
	q.mu.Lock()
	q.used = max(0, q.used-n)
	q.mu.Unlock()
}

// EmulatorSetup is what an emulator is built from when mounted.
type EmulatorSetup struct {
	// Prefix is the path it is mounted under (e.g. "/imgbb").
	Prefix string
	// Keys are the keys it accepts.
	Keys []string
	// Dir is the emulator's own directory, where it keeps stored files
	// and its state (builtin.Mount: <data>/hosts/<name>).
	Dir string
	// Quota is the disk quota shared with the other mounted emulators
	// (nil: a DefaultDiskQuota of its own).
	Quota *Quota
	// Memory bounds request bodies buffered in memory, shared with the
	// other mounted emulators (nil: each request's own cap only).
	Memory *Memory
	// Log receives what goes wrong with the stored state (nil discards).
	Log *slog.Logger
	// Fsync makes stored bytes durable against power loss (fsync before
	// the rename), as the Filestack emulator's --fsync does; writes are
	// atomic either way, and the small state file is always synced.
	Fsync bool
	// Secret is the signing secret the emulator verifies policies with,
	// where it has them (Filestack's app secret; "" for none).
	Secret string
	// KeyRequired is fsdeck serve --security-required for the emulator:
	// every route, downloads and pages included, wants one of Keys in
	// the service's own form (Info.FetchAuth says which), and no guest
	// account is created or accepted.
	KeyRequired bool
	// Unlimited lifts the service's limits a test suite would trip over:
	// quotas (Pastebin's unlisted and private counts), daily caps
	// (Pastebin's pastes per day) and request pacing (DDownload's
	// requests per second), as fsdeck serve --limits off does. Sizes the
	// service documents and the shared disk Quota stay.
	Unlimited bool
	// UnlimitedFor names the services (Info.Name) whose emulators
	// builtin.MountWithin sets Unlimited for.
	UnlimitedFor []string
}

// Owner is how a state file names the key or token that owns an item: its
// SHA-256, so keys never sit in the emulators' files.
func Owner(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}
