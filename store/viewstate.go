package store

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
)

// ViewState is what the TUI remembers between runs: whether hidden files
// are shown, how the local pane is sorted, whether the preview pane is on
// and the directories visited last (most recent first).
type ViewState struct {
	ShowHidden bool     `json:"show_hidden"`
	Sort       string   `json:"sort"`
	SortDesc   bool     `json:"sort_desc"`
	Preview    bool     `json:"preview,omitempty"`
	RecentDirs []string `json:"recent_dirs,omitempty"`
	// Target is the upload target last chosen ("" or "filestack":
	// Filestack).
	Target string `json:"target,omitempty"`
}

// ViewStateFile is where the view state is kept.
func (p Paths) ViewStateFile() string { return filepath.Join(p.Data, "view.json") }

// LoadViewState reads the view state; ok is false when none was saved
// (or it cannot be read: the defaults apply then).
func LoadViewState(path string) (v ViewState, ok bool, err error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return v, false, nil
	}
	if err != nil {
		return v, false, err
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return ViewState{}, false, err
	}
	return v, true, nil
}

// SaveViewState writes the view state whole (a temporary file renamed
// into place), so a crash never leaves half a file.
func SaveViewState(path string, v ViewState) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".view-*.json")
	if err != nil {
		return err
	}
	_, werr := tmp.Write(b)
	cerr := tmp.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return nil
}
