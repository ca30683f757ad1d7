package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/fsdeck/fsdeck/filestack"
	sess "github.com/fsdeck/fsdeck/internal/session"
	"github.com/fsdeck/fsdeck/internal/text"
	"github.com/fsdeck/fsdeck/internal/transfer"
)

// watchPoll is how often upload --watch reads the directory.
const watchPoll = 250 * time.Millisecond

// watchedFile is what upload --watch knows of a file in the directory.
type watchedFile struct {
	size  int64
	mod   time.Time
	since time.Time // when size and mtime last changed (or were first seen)
	done  bool      // sent (or there when the watch began): not sent again unless it changes
}

// partialName reports names that are a file still being written under a
// temporary name (browsers, rsync, editors, screenshot tools) or hidden:
// the file proper appears, renamed, when it is complete.
func partialName(name string) bool {
	if strings.HasPrefix(name, ".") || strings.HasSuffix(name, "~") {
		return true
	}
	switch strings.ToLower(filepath.Ext(name)) {
	case ".part", ".partial", ".crdownload", ".download", ".tmp", ".swp":
		return true
	}
	return false
}

// runWatch is upload --watch DIR: each file that appears in DIR (or
// changes) is uploaded once it is complete, which is when its size and
// modification time have not changed for --settle, and its result is
// printed as it lands (the URL, a handle with -q, a JSON line with
// --json). With --copy the newest URL goes to the clipboard, and stderr
// says where. Files there when the watch begins are left alone, except
// those with a journaled upload, which is finished. It keeps watching
// when DIR is removed and made again. Ctrl-C stops it as it stops an
// upload: what is in flight stays journaled.
func runWatch(ctx context.Context, f *uploadOptions) error {
	io := f.IO
	dir := filepath.Clean(f.factory.Abs(f.watch))
	if info, err := os.Stat(dir); err != nil || !info.IsDir() {
		what := "does not exist"
		if err == nil {
			what = "is not a directory"
		} else if !errors.Is(err, fs.ErrNotExist) {
			what = text.FSError(err, false)
		}
		return usageError("--watch %s: %s", dir, what)
	}
	settle, err := parseExpiry(f.settle)
	if err != nil {
		return usageError("--settle %q: %v", f.settle, err)
	}
	f.conn.store = filestack.StoreOptions{Location: f.location, Container: f.container, Region: f.region, Access: f.access}
	f.conn.intelligent = f.intelligent
	s, err := openSession(f.factory, f.conn)
	if err != nil {
		return err
	}
	defer s.close()
	if err := s.checkUploadTarget(f); err != nil {
		return err
	}
	eng := s.Engine(context.Background(), s.Target, sess.EngineOptions{UploadOptions: f.host.opts, FileConcurrency: f.concurrency})
	defer eng.Shutdown(5 * time.Second)
	out := f.out
	quiet := func(r result) string { return r.Handle }
	if !out.json && !out.quiet {
		// One line a file as it lands: its URL.
		out.quiet, quiet = true, func(r result) string { return r.URL }
	}
	p := s.printer(out, io, quiet)

	files := map[string]*watchedFile{}
	var resume []string // journaled uploads of files in dir: finished first
	if unfinished, err := eng.Unfinished(ctx); err == nil {
		for _, j := range unfinished {
			if filepath.Dir(j.LocalPath) == dir {
				resume = append(resume, j.LocalPath)
			}
		}
	}
	if ents, err := os.ReadDir(dir); err == nil {
		now := time.Now()
		for _, e := range ents {
			if info, err := os.Stat(filepath.Join(dir, e.Name())); err == nil && info.Mode().IsRegular() {
				files[e.Name()] = &watchedFile{size: info.Size(), mod: info.ModTime(), since: now, done: true}
			}
		}
	}
	fmt.Fprintf(io.ErrOut, "fsdeck: watching %s: each new file is uploaded once it has not changed for %s (%s already there left alone); Ctrl-C stops\n",
		text.Sanitize(dir), shortDuration(settle), text.CountOf(len(files), "file"))
	gone := false
	tick := time.NewTicker(min(watchPoll, settle))
	defer tick.Stop()
	for {
		ready := resume
		resume = nil
		ents, err := os.ReadDir(dir)
		switch {
		case err != nil && !gone:
			gone = true
			clear(files)
			fmt.Fprintf(io.ErrOut, "fsdeck: watching %s: %s; waiting for it to be made again\n", text.Sanitize(dir), text.FSError(err, false))
		case err == nil && gone:
			gone = false
			fmt.Fprintf(io.ErrOut, "fsdeck: watching %s: it is back\n", text.Sanitize(dir))
		}
		now := time.Now()
		present := map[string]bool{}
		for _, e := range ents {
			name := e.Name()
			if partialName(name) {
				continue
			}
			info, err := os.Stat(filepath.Join(dir, name))
			if err != nil || !info.Mode().IsRegular() {
				continue
			}
			present[name] = true
			w := files[name]
			switch {
			case w == nil:
				files[name] = &watchedFile{size: info.Size(), mod: info.ModTime(), since: now}
			case w.size != info.Size() || !w.mod.Equal(info.ModTime()):
				w.size, w.mod, w.since, w.done = info.Size(), info.ModTime(), now, false
			case !w.done && now.Sub(w.since) >= settle:
				w.done = true
				ready = append(ready, filepath.Join(dir, name))
			}
		}
		for name := range files {
			if !present[name] {
				delete(files, name)
			}
		}
		if len(ready) > 0 {
			if err := watchUpload(ctx, s, eng, f, p, ready); err != nil {
				return err
			}
		}
		select {
		case <-ctx.Done():
			p.flush()
			fmt.Fprintf(io.ErrOut, "fsdeck: stopped watching %s\n", text.Sanitize(dir))
			return errInterrupted
		case <-tick.C:
		}
	}
}

// watchUpload uploads the files the watch found complete, printing each
// result as it lands; with --copy the newest URL goes to the clipboard.
func watchUpload(ctx context.Context, s *session, eng *transfer.Engine, f *uploadOptions, p *printer, paths []string) error {
	plan, err := planUpload(ctx, s, eng, f, paths)
	if err != nil {
		return err
	}
	newest := ""
	w := &watcher{eng: eng, printer: p, session: s, io: f.IO, progress: f.conn.net.showProgress}
	w.result = func(j transfer.JobSnapshot) result {
		r := w.uploadResult(j)
		if r.URL != "" && r.Status != statusFailed {
			newest = r.URL
		}
		return r
	}
	w.taken = func(it queueItem) {
		// A --skip-existing match's URL is the newest too.
		if r := it.early; r != nil && r.URL != "" && r.Status != statusFailed {
			newest = r.URL
		}
	}
	if err := runQueue(ctx, w, "watch", plan); err != nil {
		return err
	}
	if f.copy && newest != "" {
		// Said either way; a clipboard nothing could take does not stop
		// the watch.
		copyText(ctx, newest, f.IO, s.Config.NativeClipboard, s.Getenv)
	}
	return nil
}
