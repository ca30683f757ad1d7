package transfer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
)

// UploadIndex is an optional interface of a Ledger: the finished uploads
// of its endpoint and key whose content has a SHA-256 (hex). The store's
// adapter has it; FindDuplicates needs it.
type UploadIndex interface {
	FindBySHA256(ctx context.Context, sum string) ([]Uploaded, error)
}

// ErrNoUploadIndex: the ledger cannot look uploads up by content.
var ErrNoUploadIndex = errors.New("the ledger cannot look uploads up by content")

// Duplicate is a file to upload whose content was uploaded before.
type Duplicate struct {
	File   UploadFile
	SHA256 string
	// Earlier are the ledger's uploads of the same content (a front end
	// names their handles: "already uploaded (handle …)").
	Earlier []Uploaded
}

// FindDuplicates hashes files (those Expand could read) one after another
// and returns, in their order, those already in the current target's
// ledger. progress, if set, is called after each file with the bytes
// hashed so far and in all. It stops when ctx ends (returning ctx's
// error); run it off a front end's event loop, or from a command.
func (e *Engine) FindDuplicates(ctx context.Context, files []UploadFile, progress func(done, total int64)) ([]Duplicate, error) {
	e.mu.Lock()
	l := e.target.Ledger
	e.mu.Unlock()
	return FindDuplicates(ctx, l, files, progress)
}

// FindDuplicates is Engine.FindDuplicates against a given ledger.
func FindDuplicates(ctx context.Context, l Ledger, files []UploadFile, progress func(done, total int64)) ([]Duplicate, error) {
	idx, ok := l.(UploadIndex)
	if !ok {
		return nil, ErrNoUploadIndex
	}
	total := Measure(files).Bytes
	var done int64
	var out []Duplicate
	for _, f := range files {
		if f.Err != "" {
			continue
		}
		sum, err := HashFile(ctx, f.Path)
		if err != nil {
			if ctx.Err() != nil {
				return out, ctx.Err()
			}
			continue // the upload itself will say why the file cannot be read
		}
		done += f.Size
		if progress != nil {
			progress(done, total)
		}
		earlier, err := idx.FindBySHA256(ctx, sum)
		if err != nil {
			return out, fmt.Errorf("looking up %s in the ledger: %w", f.Path, err)
		}
		if len(earlier) > 0 {
			out = append(out, Duplicate{File: f, SHA256: sum, Earlier: earlier})
		}
	}
	return out, nil
}

// HashFile is the SHA-256 (hex) of a file's content, as the ledger keeps
// it. It stops with ctx's error when ctx ends.
func HashFile(ctx context.Context, p string) (string, error) {
	f, err := os.Open(p)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	// Reads of up to 256 KiB: a large file costs eight times fewer system
	// calls than io.Copy's 32 KiB, and a small one no bigger buffer than it.
	size := int64(32 << 10)
	if info, err := f.Stat(); err == nil {
		size = min(max(info.Size(), 512), 256<<10)
	}
	if _, err := io.CopyBuffer(h, ctxReader{ctx: ctx, r: f}, make([]byte, size)); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
