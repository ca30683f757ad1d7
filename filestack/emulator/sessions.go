package emulator

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// session is a multipart upload in progress, persisted as session.json so
// it survives a restart. Parts live beside it in the data file (see
// placement.go), or as p<part>_<offset> with an .etag sidecar written after
// the data when they do not fit its layout, and II commits as c<part>.
type session struct {
	UploadID  string            `json:"upload_id"`
	URI       string            `json:"uri"`
	Region    string            `json:"region"`
	Filename  string            `json:"filename"`
	Mimetype  string            `json:"mimetype"`
	Size      int64             `json:"size"`
	Store     storeOpts         `json:"store"`
	II        bool              `json:"ii"`
	Created   int64             `json:"created"`
	Tags      map[string]string `json:"upload_tags,omitempty"`
	Workflows []string          `json:"workflows,omitempty"`
}

// completion tracks an assembly running in the background, so complete can
// answer 202 while it runs and the final answer when it is done.
type completion struct {
	done chan struct{}
	res  map[string]any
	err  error
}

type sessionStore struct {
	ds     *diskStore
	now    func() time.Time
	secret []byte // signs part URLs; persisted so URLs survive restarts

	mu      sync.Mutex
	running map[string]*completion
	live    map[string]*liveSession // part PUTs in flight, by upload ID
	wg      sync.WaitGroup
}

func newSessionStore(ds *diskStore, now func() time.Time) *sessionStore {
	ss := &sessionStore{ds: ds, now: now, running: map[string]*completion{}, live: map[string]*liveSession{}}
	keyPath := filepath.Join(ds.root, "sessions", ".urlkey")
	key, err := os.ReadFile(keyPath)
	if err != nil || len(key) < 32 {
		key = []byte(RandomToken(48))
		writeFileAtomic(keyPath, key)
	}
	ss.secret = key
	return ss
}

func (ss *sessionStore) wait() { ss.wg.Wait() }

func validUploadID(id string) bool {
	if len(id) < 16 || len(id) > 64 {
		return false
	}
	for _, c := range id {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

func (ss *sessionStore) dir(id string) string { return filepath.Join(ss.ds.root, "sessions", id) }

// create makes a new session on disk. When the disk is full it makes room
// and tries again (withRoom); a session it could not make is removed.
func (ss *sessionStore) create(sess *session) error {
	sess.UploadID = RandomToken(32)
	sess.URI = "/" + RandomToken(24)
	sess.Region = "us-east-1"
	sess.Created = ss.now().Unix()
	dir := ss.dir(sess.UploadID)
	b, _ := json.Marshal(sess)
	err := ss.ds.withRoom(func() error {
		os.RemoveAll(dir) // what an attempt that failed for space left
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return err
		}
		if err := createData(dir, sess.Size); err != nil {
			return err
		}
		return writeFileAtomicSync(filepath.Join(dir, "session.json"), b, ss.ds.fsync)
	})
	if err != nil {
		os.RemoveAll(dir)
	}
	return err
}

// load finds a session and checks that uri and region match it.
func (ss *sessionStore) load(q *upReq) (*session, error) {
	if !validUploadID(q.UploadID) {
		return nil, errorf(http.StatusBadRequest, "unknown upload_id: it was never started or has expired")
	}
	b, err := os.ReadFile(filepath.Join(ss.dir(q.UploadID), "session.json"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, errorf(http.StatusBadRequest, "unknown upload_id: it was never started or has expired")
	}
	if err != nil {
		return nil, err
	}
	var sess session
	if err := json.Unmarshal(b, &sess); err != nil {
		return nil, fmt.Errorf("corrupt session %s: %w", q.UploadID, err)
	}
	if q.URI != sess.URI || (q.Region != "" && q.Region != sess.Region) {
		return nil, errorf(http.StatusBadRequest, "uri and region do not belong to this upload_id")
	}
	return &sess, nil
}

// partSignature binds a part URL to its upload, part, offset, size and MD5.
func (ss *sessionStore) partSignature(id string, part int, offset, size int64, md5, date string) string {
	m := hmac.New(sha256.New, ss.secret)
	fmt.Fprintf(m, "%s\n%d\n%d\n%d\n%s\n%s", id, part, offset, size, md5, date)
	return hex.EncodeToString(m.Sum(nil))
}

func partName(part int, offset int64) string { return fmt.Sprintf("p%05d_%d", part, offset) }

// savePart moves a verified temp file into the session and records its
// ETag; the caller holds ss.mu.
func (ss *sessionStore) savePart(id string, part int, offset int64, tmp, etag string) error {
	dst := filepath.Join(ss.dir(id), partName(part, offset))
	if _, err := os.Stat(ss.dir(id)); err != nil {
		os.Remove(tmp)
		return errorf(http.StatusNotFound, "upload %s no longer exists", id)
	}
	if err := os.Rename(tmp, dst); err != nil {
		os.Remove(tmp)
		return err
	}
	return ss.ds.writeAtomicHeld(dst+".etag", []byte(etag))
}

// chunk is one stored piece of a part.
type chunk struct {
	offset int64 // within the part
	size   int64
	path   string // the file holding its bytes
	at     int64  // where they start in that file
	etag   string
	record string // the file that records it
}

// chunks lists the stored pieces of every part, by part then offset.
func (ss *sessionStore) chunks(id string) (map[int][]chunk, error) {
	return ss.chunksOf(id, 0)
}

// chunksOf lists the stored pieces of one part (0: of every part).
func (ss *sessionStore) chunksOf(id string, only int) (map[int][]chunk, error) {
	ents, err := os.ReadDir(ss.dir(id))
	if err != nil {
		return nil, err
	}
	out := map[int][]chunk{}
	psize := ss.partSize(id)
	prefix := fmt.Sprintf("%05d_", only) // partName's, after its p or q
	for _, e := range ents {
		name := e.Name()
		if only > 0 && !strings.HasPrefix(name[min(1, len(name)):], prefix) {
			continue
		}
		if part, c, ok := placedChunk(ss.dir(id), name, psize); ok {
			out[part] = append(out[part], c)
			continue
		}
		if !strings.HasPrefix(name, "p") || strings.HasSuffix(name, ".etag") {
			continue
		}
		var part int
		var off int64
		if _, err := fmt.Sscanf(name, "p%d_%d", &part, &off); err != nil {
			continue
		}
		etag, err := os.ReadFile(filepath.Join(ss.dir(id), name+".etag"))
		if err != nil {
			continue // data without its sidecar: the PUT did not finish
		}
		info, err := e.Info()
		if err != nil {
			continue
		}
		path := filepath.Join(ss.dir(id), name)
		out[part] = append(out[part], chunk{offset: off, size: info.Size(), path: path, etag: string(etag), record: path + ".etag"})
	}
	for p := range out {
		sort.Slice(out[p], func(i, j int) bool { return out[p][i].offset < out[p][j].offset })
	}
	return out, nil
}

func (ss *sessionStore) commitPart(id string, part int) error {
	return ss.ds.writeAtomic(filepath.Join(ss.dir(id), "c"+strconv.Itoa(part)), []byte("committed"))
}

func (ss *sessionStore) committed(id string, part int) bool {
	_, err := os.Stat(filepath.Join(ss.dir(id), "c"+strconv.Itoa(part)))
	return err == nil
}

// pieces is the ordered list of byte ranges that make up the file.
type piece struct {
	path      string
	from, len int64
}

// plan checks the parts against the session and returns what to copy, or
// a 400 explaining what is missing or inconsistent.
func (ss *sessionStore) plan(sess *session, q *upReq, minPart int64) ([]piece, error) {
	all, err := ss.chunks(sess.UploadID)
	if err != nil {
		return nil, err
	}
	listed, err := sortedParts(q.Parts)
	if err != nil {
		return nil, err
	}
	byNum := map[int]string{}
	for _, p := range listed {
		byNum[p.Number] = strings.Trim(p.ETag, `"`)
	}
	nums := map[int]bool{}
	for n := range byNum {
		nums[n] = true
	}
	if q.FII || sess.II {
		for n := range all {
			if ss.committed(sess.UploadID, n) {
				nums[n] = true
			}
		}
	}
	if len(nums) == 0 {
		if q.FII || sess.II {
			return nil, errorf(http.StatusBadRequest, "complete before any part was committed: intelligent ingestion commits every part first")
		}
		return nil, errorf(http.StatusBadRequest, "complete without parts: list every part with its ETag")
	}
	order := make([]int, 0, len(nums))
	for n := range nums {
		order = append(order, n)
	}
	sort.Ints(order)
	var out []piece
	var total int64
	ok := true
	sizes := make([]int64, len(order))
	for i, n := range order {
		if n != i+1 {
			return nil, errorf(http.StatusBadRequest, "part %d is missing: parts must run 1..N without gaps", i+1)
		}
		ps, size, err := ss.partPieces(sess, n, all[n], byNum)
		if err != nil {
			return nil, err
		}
		out = append(out, ps...)
		sizes[i] = size
		if total, ok = addOK(total, size); !ok || total > sess.Size {
			return nil, errorf(http.StatusBadRequest, "size mismatch: parts 1..%d already hold more than the %d bytes start declared", n, sess.Size)
		}
	}
	for i, size := range sizes[:len(sizes)-1] {
		if size < minPart && !(q.FII || sess.II) {
			return nil, errorf(http.StatusBadRequest, "EntityTooSmall: part %d is %d bytes; every part but the last must be at least %d bytes", i+1, size, minPart)
		}
	}
	if total != sess.Size {
		return nil, errorf(http.StatusBadRequest, "size mismatch: the parts hold %d bytes but start declared %d", total, sess.Size)
	}
	return out, nil
}

// partPieces returns a part's byte ranges: a regular part is its one piece
// (with the ETag the client listed), an II part its chunks by offset.
func (ss *sessionStore) partPieces(sess *session, n int, cs []chunk, byNum map[int]string) ([]piece, int64, error) {
	if etag, ok := byNum[n]; ok && !ss.committed(sess.UploadID, n) {
		for _, c := range cs {
			if c.offset == 0 {
				if strings.Trim(c.etag, `"`) != etag {
					return nil, 0, errorf(http.StatusBadRequest, "part %d: ETag %q does not match the uploaded part", n, truncate(etag, 40))
				}
				return []piece{{path: c.path, from: c.at, len: c.size}}, c.size, nil
			}
		}
		return nil, 0, errorf(http.StatusBadRequest, "part %d was never uploaded", n)
	}
	var out []piece
	var pos int64
	for _, c := range cs {
		end, ok := addOK(c.offset, c.size)
		switch {
		case !ok:
			return nil, 0, errorf(http.StatusBadRequest, "part %d has a chunk at offset %d that ends past any file", n, c.offset)
		case c.offset > pos:
			return nil, 0, errorf(http.StatusBadRequest, "part %d has a gap at offset %d: a chunk is missing", n, pos)
		case end <= pos:
			continue // fully covered by a chunk sent again at a smaller size
		}
		out = append(out, piece{path: c.path, from: c.at + pos - c.offset, len: end - pos})
		pos = end
	}
	if len(out) == 0 {
		return nil, 0, errorf(http.StatusBadRequest, "part %d was committed without any chunk", n)
	}
	return out, pos, nil
}

// assemble concatenates pieces into a temp file; copying between files lets
// the kernel use copy_file_range.
func (ss *sessionStore) assemble(pieces []piece) (string, []byte, error) {
	out, err := ss.ds.tempFile("asm-")
	if err != nil {
		return "", nil, err
	}
	var head headBuffer
	ok := false
	defer func() {
		if !ok {
			out.Close()
			os.Remove(out.Name())
		}
	}()
	for _, p := range pieces {
		f, err := os.Open(p.path)
		if err != nil {
			return "", nil, err
		}
		if len(head.b) < 3072 {
			buf := make([]byte, 3072-len(head.b))
			n, _ := f.ReadAt(buf, p.from)
			head.Write(buf[:min(int64(n), p.len)])
		}
		_, err = io.Copy(out, io.NewSectionReader(f, p.from, p.len))
		f.Close()
		if err != nil {
			return "", nil, err
		}
	}
	if ss.ds.fsync {
		if err := out.Sync(); err != nil {
			return "", nil, err
		}
	}
	if err := out.Close(); err != nil {
		return "", nil, err
	}
	ok = true
	return out.Name(), head.b, nil
}

// finish stores the assembled file, keeps the answer as result.json (so a
// repeated complete gets the same handle) and drops the parts.
func (ss *sessionStore) finish(sess *session, res map[string]any) {
	b, _ := json.Marshal(res)
	dir := ss.dir(sess.UploadID)
	ss.ds.writeAtomic(filepath.Join(dir, "result.json"), b)
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if n := e.Name(); n != "session.json" && n != "result.json" {
			os.Remove(filepath.Join(dir, n))
		}
	}
}

func (ss *sessionStore) result(id string) (map[string]any, bool) {
	b, err := os.ReadFile(filepath.Join(ss.dir(id), "result.json"))
	if err != nil {
		return nil, false
	}
	var res map[string]any
	return res, json.Unmarshal(b, &res) == nil
}

// sweep removes sessions older than ttl, reclaiming their parts.
func (ss *sessionStore) sweep(ttl time.Duration) {
	root := filepath.Join(ss.ds.root, "sessions")
	ents, _ := os.ReadDir(root)
	for _, e := range ents {
		if !e.IsDir() || !validUploadID(e.Name()) {
			continue
		}
		info, err := os.Stat(filepath.Join(root, e.Name(), "session.json"))
		if err != nil || ss.now().Sub(info.ModTime()) > ttl {
			ss.mu.Lock()
			_, busy := ss.running[e.Name()]
			ss.mu.Unlock()
			if !busy {
				os.RemoveAll(filepath.Join(root, e.Name()))
			}
		}
	}
}
