package export

import (
	"cmp"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"

	"golang.org/x/sync/errgroup"
)

// ParseCacheDir is the folder of an export that keeps the parsed articles of
// the build that wrote it. Like the manifest it starts with a dot, so
// deploy/nginx.conf never serves it.
const ParseCacheDir = ".renderwise-cache"

// shards is how many files the parse cache is spread over: an entry goes to
// the one named by the first byte of its name, in hex ("00" to "ff"). One
// file per article would cost an open per article when reading and a link
// or an unlink per article when building; one file for all would be written
// whole after every edit. A shard holds about 40 articles in 10,000.
const shards = 256

// entryName is the length of an entry's name: the first bytes of a SHA-256.
const entryName = 16

// ParseCache is a content.Cache kept in an export: it reads the entries of
// the export a build replaces and, through [Deps], carries the entries the
// build used into the export it writes. It holds no other state, so a clean
// build (into an empty or missing folder) starts with an empty cache, an
// entry no longer used disappears with the export that had it, and the
// atomic swap keeps the cache and the pages it produced together.
//
// Entries are named by a hash of the rendering code version and content's
// key, so an export built by other rendering code gives no hits. A missing or unreadable
// shard is a set of misses: the cache can only make a build slower, never
// wrong. A shard's bytes depend only on the entries it holds (sorted by
// name), so an incremental build writes the cache a clean build would.
type ParseCache struct {
	dir     string // the cache folder of the export read from
	version string
	shards  [shards]shard

	mu    sync.Mutex
	read  map[string][]byte // entries read, by name
	fresh map[string][]byte // entries put, by name
}

// shard is one file of the cache, read on first use.
type shard struct {
	once    sync.Once
	info    fs.FileInfo // nil if there was none to read
	entries map[string][]byte
}

// NewParseCache returns the cache kept in the export at out, for code of the
// given version (Config.Version). It reads nothing until asked.
func NewParseCache(out, version string) *ParseCache {
	if abs, err := filepath.Abs(out); err == nil {
		out = abs
	}
	return &ParseCache{
		dir: filepath.Join(out, ParseCacheDir), version: version,
		read: map[string][]byte{}, fresh: map[string][]byte{},
	}
}

// name is the name of the entry under key: entryName raw bytes.
func (c *ParseCache) name(key string) string {
	h := sha256.New()
	h.Write([]byte(c.version))
	h.Write([]byte{0})
	h.Write([]byte(key))
	return string(h.Sum(nil)[:entryName])
}

func shardFile(i int) string { return fmt.Sprintf("%02x", i) }

// shard returns the shard of name, reading it if it was not yet.
func (c *ParseCache) shard(name string) *shard {
	s := &c.shards[name[0]]
	s.once.Do(func() {
		f, err := os.Open(filepath.Join(c.dir, shardFile(int(name[0]))))
		if err != nil {
			return
		}
		defer f.Close()
		info, err := f.Stat()
		if err != nil || !info.Mode().IsRegular() {
			return
		}
		b := make([]byte, info.Size())
		if _, err := io.ReadFull(f, b); err != nil {
			return
		}
		if entries, err := decodeShard(b); err == nil {
			s.info, s.entries = info, entries
		}
	})
	return s
}

// Get returns the entry stored under key in the export, if there is one.
func (c *ParseCache) Get(key string) ([]byte, bool) {
	name := c.name(key)
	b, ok := c.shard(name).entries[name]
	if !ok {
		return nil, false
	}
	c.mu.Lock()
	c.read[name] = b
	c.mu.Unlock()
	return b, true
}

// Put keeps b under key, to be written by the next [Build] given c.
func (c *ParseCache) Put(key string, b []byte) {
	name := c.name(key)
	c.mu.Lock()
	c.fresh[name] = b
	c.mu.Unlock()
}

// Stats returns how many articles were taken from the cache and how many
// were parsed and put in it.
func (c *ParseCache) Stats() (reused, parsed int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for name := range c.read {
		if _, ok := c.fresh[name]; !ok {
			reused++
		}
	}
	return reused, len(c.fresh)
}

// save writes the cache into the export being built in t: the entries read
// and put, none other. A shard holding just the entries read from it is
// taken over unchanged — kept, in a recycled folder ([recycle]) that has the
// same file, or hard-linked from the current export — and any other is
// written anew. Files that are no shard of this cache are removed.
func (c *ParseCache) save(t *tree, workers int) error {
	c.mu.Lock()
	var want [shards]map[string][]byte
	changed := [shards]bool{}
	for name, b := range c.read {
		if want[name[0]] == nil {
			want[name[0]] = map[string][]byte{}
		}
		want[name[0]][name] = b
	}
	for name, b := range c.fresh {
		if want[name[0]] == nil {
			want[name[0]] = map[string][]byte{}
		}
		want[name[0]][name] = b
		changed[name[0]] = true
	}
	c.mu.Unlock()

	dir := filepath.Join(t.root, ParseCacheDir)
	entries, err := os.ReadDir(dir)
	if err != nil && !isMissing(err) {
		return fmt.Errorf("build: parse cache: %w", err)
	}
	here := map[string]bool{}
	for _, e := range entries {
		i, err := strconv.ParseUint(e.Name(), 16, 8)
		if len(e.Name()) == 2 && err == nil && want[i] != nil && e.Type().IsRegular() {
			here[e.Name()] = true
		} else if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
			return fmt.Errorf("build: parse cache: %w", err)
		}
	}
	if slices.IndexFunc(want[:], func(m map[string][]byte) bool { return m != nil }) < 0 {
		return os.RemoveAll(dir)
	}
	if err := t.mkdirAll(ParseCacheDir); err != nil {
		return err
	}
	var g errgroup.Group
	g.SetLimit(workers)
	for i := range shards {
		if want[i] == nil {
			continue
		}
		g.Go(func() error {
			name := shardFile(i)
			dst := filepath.Join(dir, name)
			s := &c.shards[i] // read by the Gets that filled want[i], if any
			if !changed[i] && s.info != nil && len(s.entries) == len(want[i]) {
				if here[name] {
					if info, err := os.Lstat(dst); err == nil && os.SameFile(info, s.info) {
						return nil
					}
				}
				if linkFile(filepath.Join(c.dir, name), dst) == nil {
					return nil
				}
			}
			if err := createFile(dst, encodeShard(want[i])); err != nil {
				return fmt.Errorf("build: parse cache: %w", err)
			}
			return nil
		})
	}
	return g.Wait()
}

// encodeShard lays out entries sorted by name: their count, then each name
// and length, then their bytes one after the other.
func encodeShard(entries map[string][]byte) []byte {
	type named struct {
		name string
		b    []byte
	}
	list := make([]named, 0, len(entries))
	size := 0
	for name, b := range entries {
		list = append(list, named{name, b})
		size += len(name) + binary.MaxVarintLen64 + len(b)
	}
	slices.SortFunc(list, func(a, b named) int { return cmp.Compare(a.name, b.name) })
	out := make([]byte, 0, size+binary.MaxVarintLen64)
	out = binary.AppendUvarint(out, uint64(len(list)))
	for _, e := range list {
		out = append(out, e.name...)
		out = binary.AppendUvarint(out, uint64(len(e.b)))
	}
	for _, e := range list {
		out = append(out, e.b...)
	}
	return out
}

var errShard = errors.New("malformed parse cache shard")

// decodeShard reads what encodeShard wrote. The entries share b's memory.
func decodeShard(b []byte) (map[string][]byte, error) {
	n, k := binary.Uvarint(b)
	if k <= 0 || n > uint64(len(b))/(entryName+1) {
		return nil, errShard
	}
	b = b[k:]
	names := make([]string, n)
	sizes := make([]uint64, n)
	for i := range names {
		if len(b) < entryName {
			return nil, errShard
		}
		names[i] = string(b[:entryName])
		size, k := binary.Uvarint(b[entryName:])
		if k <= 0 {
			return nil, errShard
		}
		sizes[i] = size
		b = b[entryName+k:]
	}
	entries := make(map[string][]byte, n)
	for i, name := range names {
		if sizes[i] > uint64(len(b)) {
			return nil, errShard
		}
		entries[name] = b[:sizes[i]:sizes[i]]
		b = b[sizes[i]:]
	}
	if len(b) != 0 {
		return nil, errShard
	}
	return entries, nil
}
