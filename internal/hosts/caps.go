package hosts

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dustin/go-humanize"
)

// Kind is the class of content a target accepts.
type Kind int

// Content classes.
const (
	AnyFile Kind = iota
	ImagesOnly
	TextOnly
)

func (k Kind) String() string {
	switch k {
	case ImagesOnly:
		return "images only"
	case TextOnly:
		return "text only"
	}
	return "any file"
}

// ExpiryRule is what a target accepts as UploadOptions.Expiry: either a
// continuous range (Min..Max) or a fixed list of Choices. A zero rule
// means the service has no expiry option.
type ExpiryRule struct {
	Min, Max time.Duration
	Choices  []time.Duration
}

// Supported reports whether the target offers any expiry option.
func (e ExpiryRule) Supported() bool { return e.Max > 0 || len(e.Choices) > 0 }

// Allows reports whether d is acceptable; 0 (never expire) always is.
func (e ExpiryRule) Allows(d time.Duration) bool {
	if d == 0 {
		return true
	}
	for _, c := range e.Choices {
		if c == d {
			return true
		}
	}
	return e.Max > 0 && d >= e.Min && d <= e.Max
}

// Capabilities is a target's abilities as data, for UI menus and CLI flag
// checks (the optional interfaces carry the matching methods: Delete is
// Deleter, List Lister, Stat Stater, and so on).
type Capabilities struct {
	Kind    Kind
	MaxSize int64 // bytes; 0 means no documented limit
	Expiry  ExpiryRule
	Privacy bool // UploadOptions.Privacy is honoured
	Delete  bool
	List    bool
	Stat    bool
	// DirectURL: a result's main URL serves the file's bytes as uploaded
	// (ImgBB's and Gyazo's image URLs), not a page about it. A service
	// whose bytes are elsewhere labels that link LinkRaw instead.
	DirectURL bool
	// NoBytes says why an upload without a raw link has no URL fsdeck can
	// fetch, when the reason is narrower than "its links are web pages"
	// (Pastebin: only private pastes lack /raw/). Front ends show it.
	NoBytes string
	// DerivedURL: URLDeriver. A result's main URL is built from its id
	// and the client's current endpoint (Filestack's CDN URL from the
	// handle), so the ledger keeps no URL and front ends build it
	// (URLOf) when they show one.
	DerivedURL bool

	// The powers of the optional interfaces in optional.go, as data.

	// Resume: PartUploader. Uploads larger than ResumeAbove bytes go in
	// parts journaled as they are stored, so a stopped or crashed upload
	// sends only the parts the service lacks; smaller ones go in one
	// request and are sent again whole (0: every non-empty upload goes in
	// parts).
	Resume      bool
	ResumeAbove int64
	// RangeDownload: RangeDownloader (a partial download is continued).
	RangeDownload bool
	// Intelligent: part uploads can go through intelligent ingestion
	// (chunks that shrink on a poor connection), the target's option.
	Intelligent bool
	// Storage: the target takes storage options (location, container,
	// region, access, a store path for each file).
	Storage bool
	// Transform: Transformer. StoreURL: URLStorer. Import: Importer.
	// SignedURL: Signer.
	Transform bool
	StoreURL  bool
	Import    bool
	SignedURL bool
}

// LinkRaw labels a result's link that serves the file's exact bytes when
// the main URL is a page (Pastebin's /raw/ID).
const LinkRaw = "raw"

// BytesURL is the URL that serves a result's bytes, "" when the service
// serves them nowhere fsdeck can fetch without a browser session.
func BytesURL(c Capabilities, main string, links []Link) string {
	for _, l := range links {
		if l.Label == LinkRaw && l.URL != "" {
			return l.URL
		}
	}
	if c.DirectURL {
		return main
	}
	return ""
}

// SniffLen is how many leading bytes Check needs to classify content.
const SniffLen = 512

// Check validates a file against the capabilities before any byte is sent,
// so users learn of a refusal without spending an upload. head is the
// start of the content (up to SniffLen bytes); size is -1 when unknown.
func (c Capabilities) Check(target string, size int64, head []byte, opts UploadOptions) error {
	if c.MaxSize > 0 && size > c.MaxSize {
		return &Error{Target: target, Kind: KindRejected,
			Msg: fmt.Sprintf("file is %s (%d bytes); the limit is %s", humanize.IBytes(uint64(size)), size, humanize.IBytes(uint64(c.MaxSize)))}
	}
	switch c.Kind {
	case ImagesOnly:
		if !IsImage(head) {
			return &Error{Target: target, Kind: KindRejected, Msg: "accepts images only"}
		}
	case TextOnly:
		// A paste is its text: an empty file has none, and the service
		// would refuse it only after the request ("api_paste_code was
		// empty").
		if size == 0 {
			return &Error{Target: target, Kind: KindRejected, Msg: "file is empty; a text-only target needs some text"}
		}
		if !IsText(head) {
			return &Error{Target: target, Kind: KindRejected, Msg: "accepts text only"}
		}
	}
	if !c.Expiry.Allows(opts.Expiry) {
		return &Error{Target: target, Kind: KindRejected, Msg: fmt.Sprintf("expiry %s is not offered", opts.Expiry)}
	}
	if !c.Privacy && opts.Privacy != Public {
		return &Error{Target: target, Kind: KindRejected, Msg: "has no privacy setting"}
	}
	return nil
}

// IsImage reports whether head starts like an image, by the WHATWG sniffing
// rules that net/http implements.
func IsImage(head []byte) bool {
	return strings.HasPrefix(http.DetectContentType(head), "image/")
}

// IsText reports whether head looks like text: valid UTF-8 (allowing a
// rune cut at the end of the sample) without NUL bytes.
func IsText(head []byte) bool {
	if bytes.IndexByte(head, 0) >= 0 {
		return false
	}
	for i := 0; i < len(head); {
		r, n := utf8.DecodeRune(head[i:])
		if r == utf8.RuneError && n <= 1 {
			return len(head)-i < utf8.UTFMax && !utf8.FullRune(head[i:])
		}
		i += n
	}
	return true
}
