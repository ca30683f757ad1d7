package hosts

import (
	"context"
	"io"
	"time"

	"github.com/fsdeck/fsdeck/filestack/transform"
)

// The optional interfaces below are the powers some targets have beyond
// Target (Filestack has them all; see internal/hosts/filestack). Like
// Deleter, Lister and Stater, a target lacking one simply does not
// implement it, and its Capabilities say the same as data, so front ends
// and flag checks ask for a capability, never for a target by name. The
// conformance suite (internal/hosts/conformance) checks that the two
// agree for every registered target.

// PartUploader is implemented by targets that upload a local file in parts
// the service keeps across a stop or a crash (Filestack's multipart Upload
// API): the upload's Session is handed to OnSession after its start and
// after every stored part, to be journaled, and ResumeParts continues it,
// sending only the parts the service lacks. Capabilities.Resume says so,
// and Capabilities.ResumeAbove which uploads are small enough to go in one
// request instead (those start again when stopped).
type PartUploader interface {
	// UploadParts uploads the file at path. Small files may go in one
	// request (no session); the Result is the stored file.
	UploadParts(ctx context.Context, path string, opts PartOptions) (Result, error)
	// ResumeParts continues a journaled session. When the file changed
	// or the service no longer knows the session (expired, another
	// server), the target starts a fresh upload of the same file, with
	// the same storage, and reports UploadRestarted with the reason.
	ResumeParts(ctx context.Context, path string, s Session, opts PartOptions) (Result, error)
	// ReadSession reads a session as it was journaled (Session.Journal).
	ReadSession(journaled string) (Session, error)
}

// PartOptions configure one PartUploader upload.
type PartOptions struct {
	// StorePath is where the file is stored on the service ("" for the
	// target's default); a resumed session keeps its own.
	StorePath string
	// Concurrency is how many parts are sent at once (0: the target's
	// default).
	Concurrency int
	// Progress receives events from worker goroutines; it must not block.
	Progress func(PartEvent)
	// OnSession receives the resumable state after the start and after
	// every stored part, for journaling. It may block until the session
	// is saved: calls come one at a time, newest state each, and no part
	// is sent after the start, nor another part by the worker of a stored
	// one, until the call covering it returned. A journal written before
	// OnSession returns thus loses at most the parts in flight to a
	// kill -9.
	OnSession func(Session)
}

// Session is a PartUploader's resumable upload as the engine journals it.
// Journal is the target's own encoding, kept verbatim; the other fields
// are read from it for front ends (which parts show as done before a
// resumed upload sends anything).
type Session struct {
	Journal   string
	StorePath string
	// PartSize is every part's size but the last's; Parts how many there
	// are in all.
	PartSize int64
	Parts    int
	// Done are the parts the service has.
	Done []DonePart
}

// DonePart is a part of a Session the service has stored.
type DonePart struct {
	Number int // 1-based
	Size   int64
}

// PartEventKind says what a PartEvent reports.
type PartEventKind int

// Part upload events.
const (
	// UploadStarted: Total, Parts and Size (the part size) are set.
	UploadStarted PartEventKind = iota
	// PartStarted: Part began sending.
	PartStarted
	// PartProgress: bytes reached the connection; Sent is the file's new
	// total (monotonic).
	PartProgress
	// PartDone: Part (of Size bytes) is stored.
	PartDone
	// PartRetry: a request of Part failed and will be tried again
	// (Attempt, Attempts, Wait, Err).
	PartRetry
	// ChunkSize: the target sends Part in chunks of Size from now on
	// (intelligent ingestion halving its chunks).
	ChunkSize
	// UploadRestarted: a resume could not continue and a fresh upload
	// begins (Reason); Sent counts from zero again.
	UploadRestarted
	// UploadDone: the file is stored.
	UploadDone
)

// PartEvent is one progress report of a PartUploader.
type PartEvent struct {
	Kind  PartEventKind
	Part  int   // 1-based; 0 for file-level events
	Parts int   // number of parts
	Size  int64 // part size, chunk size or stored part's size
	Sent  int64 // bytes of the file written to connections so far
	Total int64 // file size
	// Attempt is the attempt that failed (PartRetry); Attempts the
	// client's limit of attempts for the request (0: bounded otherwise),
	// and Wait how long it waits before the next (0: not said).
	Attempt  int
	Attempts int
	Wait     time.Duration
	Err      error
	Reason   string
}

// RangeDownloader is implemented by targets that download a file by id and
// can continue a partial download (a Range request, If-Range on the
// file's ETag), so a partial file survives a stop and a crash.
// Capabilities.RangeDownload says so. Targets without it serve their files
// at URLs (Result.URL, BytesURL) that front ends fetch whole.
type RangeDownloader interface {
	// DownloadRange writes the file to w and returns how many bytes the
	// destination holds (Offset included).
	DownloadRange(ctx context.Context, id string, w io.Writer, opts RangeOptions) (int64, error)
}

// RangeOptions configure DownloadRange.
type RangeOptions struct {
	// Offset bytes are already in w's destination: only the rest is asked
	// for, and only while the file still has ETag. When the service sends
	// the whole file instead (it changed, or it ignores ranges), Restart
	// empties the destination and the download starts from zero.
	Offset  int64
	ETag    string
	Restart func() error
	// OnETag receives the file's ETag when the first answer arrives.
	OnETag func(etag string)
	// Progress receives the bytes written so far and the total (-1 when
	// unknown), both counted from the start of the file.
	Progress func(written, total int64)
	// OnRetry is called before each retry with the attempt that failed.
	OnRetry func(attempt int, err error)
}

// Transformer is implemented by targets that process files by URL
// (Filestack's processing API, in the grammar of filestack/transform).
// Capabilities.Transform says so.
type Transformer interface {
	// TransformURL is the URL of ch's result, signed for ttl where the
	// target signs its URLs.
	TransformURL(ch transform.Chain, ttl time.Duration) string
	// FetchTransform writes ch's result to w (at most max bytes) and
	// returns its MIME type.
	FetchTransform(ctx context.Context, ch transform.Chain, w io.Writer, max int64) (string, error)
	// StoreTransform stores ch's result as a new file at storePath ("":
	// the target's default).
	StoreTransform(ctx context.Context, ch transform.Chain, storePath string) (Result, error)
}

// URLStorer is implemented by targets that store a file the service
// fetches from a URL itself. Capabilities.StoreURL says so.
type URLStorer interface {
	StoreURL(ctx context.Context, url string, opts UploadOptions) (Result, error)
}

// Importer is implemented by targets where a file uploaded elsewhere (the
// service's web site, another machine) can be adopted into the ledger from
// a reference a person pastes: ParseRef reads the id from an id or one of
// the target's URLs of a file, and Stat gives its metadata.
// Capabilities.Import says so.
type Importer interface {
	Stater
	ParseRef(ref string) (id string, ok bool)
}

// Signer is implemented by targets that sign URLs for reading a file for a
// while. ok is false when the target has no signing secret configured.
// Capabilities.SignedURL says so.
type Signer interface {
	SignedURL(id string, ttl time.Duration) (url string, ok bool)
}

// URLDeriver is implemented by targets whose file URLs are built from the
// id and the client's current endpoint (Filestack's CDN URL from the
// handle), so the ledger keeps none and front ends ask for it without a
// request. Capabilities.DerivedURL says so.
type URLDeriver interface {
	URLOf(id string) string
}

// Describer is implemented by targets whose failures read better in their
// own words than Describe gives them (Filestack: the client's message, and
// what to do about a rejected key).
type Describer interface {
	Describe(err error) string
}

// DescribeFor words err, a failure of t, for a person: t's own Describe
// when it has one, else Describe.
func DescribeFor(t Target, err error) string {
	if d, ok := t.(Describer); ok && err != nil {
		return d.Describe(err)
	}
	return Describe(err)
}
