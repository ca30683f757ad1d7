package emulator

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/fsdeck/fsdeck/filestack/transform"
)

// StoredFile is what a data directory says about one stored file.
type StoredFile struct {
	Handle   string
	Filename string
	Mimetype string
	Size     int64
	Uploaded time.Time
	// Key is the storage key (the store path and file name).
	Key string
	// SHA256 is empty unless a metadata call computed it.
	SHA256 string
	// Width and Height are 0 unless known (images a metadata call read).
	Width, Height int
}

// StoredFiles lists the files a server with dataDir holds, oldest first,
// from their metadata alone: it opens no server and takes no lock, so it
// can run beside one that serves the directory (fsdeck doctor rebuilding
// a lost ledger of local mode). A file whose metadata or data is missing
// or unreadable is left out; a missing directory lists nothing.
func StoredFiles(dataDir string) ([]StoredFile, error) {
	shards, err := os.ReadDir(filepath.Join(dataDir, "files"))
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []StoredFile
	for _, sh := range shards {
		dir := filepath.Join(dataDir, "files", sh.Name())
		ents, _ := os.ReadDir(dir)
		for _, e := range ents {
			handle, ok := strings.CutSuffix(e.Name(), ".json")
			if !ok || !transform.ValidHandle(handle) {
				continue
			}
			if f, ok := readStoredFile(dir, handle); ok {
				out = append(out, f)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].Uploaded.Equal(out[j].Uploaded) {
			return out[i].Uploaded.Before(out[j].Uploaded)
		}
		return out[i].Handle < out[j].Handle
	})
	return out, nil
}

func readStoredFile(dir, handle string) (StoredFile, bool) {
	b, err := os.ReadFile(filepath.Join(dir, handle+".json"))
	if err != nil {
		return StoredFile{}, false
	}
	var m fileMeta
	if json.Unmarshal(b, &m) != nil || m.Handle != handle {
		return StoredFile{}, false
	}
	if _, err := os.Stat(filepath.Join(dir, handle)); err != nil {
		return StoredFile{}, false
	}
	f := StoredFile{Handle: m.Handle, Filename: m.Filename, Mimetype: m.Mimetype, Size: m.Size,
		Uploaded: time.UnixMilli(m.Uploaded), Key: m.Key, SHA256: m.Hashes["sha256"]}
	if m.Dims != nil {
		f.Width, f.Height = m.Dims[0], m.Dims[1]
	}
	return f, true
}
