package gofile

import (
	"encoding/hex"
	"net/http"
	"time"

	"github.com/fsdeck/fsdeck/internal/hosts"
)

// folder and file are entries of the state file; Owner is a token's
// hosts.Owner, and a file's bytes are the store's file named ID.
type folder struct {
	ID    string `json:"id"`
	Code  string `json:"code"`
	Owner string `json:"owner"`
}

type file struct {
	ID      string    `json:"id"`
	Name    string    `json:"name"`
	Folder  string    `json:"folder"`
	Mime    string    `json:"mime"`
	MD5     string    `json:"md5"`
	Created time.Time `json:"created"`
	Size    int64     `json:"size"`
}

type state struct {
	Tokens  map[string]string  `json:"tokens"`
	Folders map[string]*folder `json:"folders"`
	Files   map[string]*file   `json:"files"`
}

// load takes what the state file holds, keeping only entries that hang
// together (a file's folder exists, ids are the hex newID makes).
func (e *Emulator) load() {
	var st state
	_ = e.store.Load(&st) // logged by the store; a bad state starts empty
	for k, v := range st.Tokens {
		e.tokens[k] = v
	}
	for id, f := range st.Folders {
		if f != nil && f.ID == id {
			e.folders[id] = f
		}
	}
	kept, changed := hosts.RestoreFiles(e.store, st.Files,
		func(id string, f *file) bool { return f.ID == id && validID(id) && e.folders[f.Folder] != nil },
		func(f *file, size int64) { f.Size = size },
		func(id string, size int64) *file {
			// Without its state a file is still served at its link (any
			// name after the id); its folder and owner are lost, so no
			// token deletes it.
			if !validID(id) {
				return nil
			}
			return &file{ID: id, Mime: http.DetectContentType(e.store.Head(id)), Created: e.opts.Now(), Size: size}
		})
	e.files = kept
	if changed {
		_ = e.save()
	}
}

// validID accepts the 32 hex digits randHex(16) makes, so a tampered state
// file cannot name a path outside the store.
func validID(id string) bool {
	_, err := hex.DecodeString(id)
	return len(id) == 32 && err == nil
}

// save writes the state; the caller holds e.mu or is the constructor.
func (e *Emulator) save() error {
	return e.store.Save(state{Tokens: e.tokens, Folders: e.folders, Files: e.files})
}
