package emulator

import (
	"container/list"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/fsdeck/fsdeck/filestack/transform"
)

// cacheLRU indexes the processing cache on disk: every entry's size and,
// once read, its header (type and name), least recently used last. Adding
// past the byte (or entry) bound names the victims to delete.
//
// Deleting an entry that a request is still sending is safe on Unix: an
// unlinked file stays readable through open descriptors. On Windows the
// delete fails while the file is open; the victim then stays indexed at the
// cold end and is tried again by the next eviction.
type cacheLRU struct {
	mu         sync.Mutex
	maxBytes   int64
	maxEntries int
	total      int64
	ll         *list.List // front: most recently used
	m          map[string]*list.Element
}

type cacheItem struct {
	key   string
	size  int64
	e     cacheEntry
	known bool // e was read from the sidecar
}

// cacheMaxEntries bounds the index itself when entries are tiny.
const cacheMaxEntries = 200_000

func newCacheLRU(maxBytes int64) *cacheLRU {
	return &cacheLRU{maxBytes: maxBytes, maxEntries: cacheMaxEntries, ll: list.New(), m: map[string]*list.Element{}}
}

// touch marks key as used and returns its header if known.
func (c *cacheLRU) touch(key string) (e cacheEntry, known, present bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.m[key]
	if !ok {
		return e, false, false
	}
	c.ll.MoveToFront(el)
	it := el.Value.(*cacheItem)
	return it.e, it.known, true
}

// setHeader records a header read from disk.
func (c *cacheLRU) setHeader(key string, e cacheEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.m[key]; ok {
		it := el.Value.(*cacheItem)
		it.e, it.known = e, true
	}
}

// add indexes an entry as the most recent and returns the keys to delete.
func (c *cacheLRU) add(key string, size int64, e cacheEntry, known bool) []cacheItem {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.m[key]; ok {
		c.total -= el.Value.(*cacheItem).size
		c.ll.Remove(el)
	}
	c.m[key] = c.ll.PushFront(&cacheItem{key: key, size: size, e: e, known: known})
	c.total += size
	var victims []cacheItem
	for (c.total > c.maxBytes || c.ll.Len() > c.maxEntries) && c.ll.Len() > 1 {
		el := c.ll.Back()
		it := el.Value.(*cacheItem)
		c.ll.Remove(el)
		delete(c.m, it.key)
		c.total -= it.size
		victims = append(victims, *it)
	}
	return victims
}

// coldest takes least recently used entries out of the index, at least
// minBytes of them when the cache holds that much, and returns them to
// delete (a full disk making room).
func (c *cacheLRU) coldest(minBytes int64) []cacheItem {
	c.mu.Lock()
	defer c.mu.Unlock()
	var victims []cacheItem
	for freed := int64(0); freed < minBytes && c.ll.Len() > 0; {
		el := c.ll.Back()
		it := el.Value.(*cacheItem)
		c.ll.Remove(el)
		delete(c.m, it.key)
		c.total -= it.size
		freed += it.size
		victims = append(victims, *it)
	}
	return victims
}

// putBack re-indexes a victim that could not be deleted, at the cold end.
func (c *cacheLRU) putBack(it cacheItem) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.m[it.key]; ok {
		return
	}
	c.m[it.key] = c.ll.PushBack(&it)
	c.total += it.size
}

// bytes is the indexed size of the cache.
func (c *cacheLRU) bytes() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.total
}

// evict deletes victims' files, sidecar first so no reader finds a header
// without its data, and returns how many it deleted.
func (s *Server) evict(victims []cacheItem) int {
	n := 0
	for _, v := range victims {
		p := s.cachePath(v.key)
		os.Remove(p + ".json")
		if err := os.Remove(p); err != nil && !os.IsNotExist(err) {
			s.cache.putBack(v)
			continue
		}
		n++
	}
	return n
}

// loadCache indexes the entries on disk, oldest first, and trims them to
// the bound. With alone set (no other server uses the data directory) it
// also removes writes a killed process left half done.
func (s *Server) loadCache(alone bool) {
	type found struct {
		key  string
		size int64
		mod  time.Time
	}
	var all []found
	shards, _ := os.ReadDir(filepath.Join(s.store.root, "cache"))
	for _, sh := range shards {
		dir := filepath.Join(s.store.root, "cache", sh.Name())
		ents, _ := os.ReadDir(dir)
		for _, e := range ents {
			name := e.Name()
			info, err := e.Info()
			switch {
			case err != nil || strings.HasSuffix(name, ".json") || (len(name) != 64 && !strings.HasPrefix(name, ".tmp-")):
				continue
			case strings.HasPrefix(name, ".tmp-") || !fileExists(filepath.Join(dir, name+".json")):
				if alone {
					os.Remove(filepath.Join(dir, name))
				}
				continue
			}
			all = append(all, found{name, info.Size(), info.ModTime()})
		}
	}
	sort.Slice(all, func(i, j int) bool { return all[i].mod.Before(all[j].mod) })
	for _, f := range all {
		s.evict(s.cache.add(f.key, f.size, cacheEntry{}, false))
	}
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// cacheKey identifies a processing result by source version, the versions
// of the other files the chain reads (reads, from authorizeReads) and the
// normalised chain (aliases resolved, parameters in catalogue order).
func (s *Server) cacheKey(handle string, version int64, reads string, c transform.Chain, webp bool) string {
	h := sha256.New()
	io.WriteString(h, handle+"\x00"+hexVersion(version)+"\x00"+reads+"\x00")
	for _, t := range c.Tasks {
		io.WriteString(h, t.Canonical().Format()+"/")
	}
	if webp && hasTask(c, "auto_image") {
		io.WriteString(h, "\x00webp")
	}
	return hex.EncodeToString(h.Sum(nil))
}

type cacheEntry struct {
	Mimetype string `json:"mimetype"`
	Filename string `json:"filename"`
}

func (s *Server) cachePath(key string) string {
	return filepath.Join(s.store.root, "cache", key[:2], key)
}

// cacheGet opens a cached result. Its header (type and name) is read from
// the sidecar once and then kept in memory, so a hit costs one open and the
// data goes out by sendfile like any stored file.
func (s *Server) cacheGet(key string) (*result, bool) {
	p := s.cachePath(key)
	e, known, present := s.cache.touch(key)
	if !present {
		return nil, false
	}
	if !known {
		b, err := os.ReadFile(p + ".json")
		if err != nil || json.Unmarshal(b, &e) != nil {
			return nil, false
		}
		s.cache.setHeader(key, e)
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, false
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, false
	}
	return &result{file: f, mimetype: e.Mimetype, filename: e.Filename, modtime: st.ModTime(),
		etag: `"` + key[:32] + `"`, cacheControl: defaultCacheControl}, true
}

// cachePut writes the data before the sidecar, so whoever finds the
// sidecar finds complete data.
func (s *Server) cachePut(key string, res *result) {
	if int64(len(res.body)) > s.opts.CacheSize {
		return
	}
	p := s.cachePath(key)
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		return
	}
	// Not writeAtomic: a cache entry that does not fit is skipped, it
	// never expires uploads to make room.
	if writeFileAtomicSync(p, res.body, s.store.fsync) != nil {
		return
	}
	e := cacheEntry{Mimetype: res.mimetype, Filename: res.filename}
	b, _ := json.Marshal(e)
	if writeFileAtomicSync(p+".json", b, s.store.fsync) == nil {
		s.evict(s.cache.add(key, int64(len(res.body)), e, true))
		res.etag = `"` + key[:32] + `"`
	}
}
