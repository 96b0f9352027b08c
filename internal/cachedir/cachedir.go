// Package cachedir owns the cache folder (`--cache-dir`): where the folder of
// one site is under it, and that one renderwise at a time writes it. It
// knows folders and locks, not what is kept in them (internal/export writes
// and reads that).
//
// # Layout
//
//	<root>/                      --cache-dir; os.UserCacheDir()/renderwise by default
//	<root>/<name>-<hash>/        one site (Name): its content folder and base URL
//	    lock                     held shared while the folder is read, exclusive while written
//	    export/                  an export of the site, with its parse cache
//	    .export.prev/            the export before it, kept for the next write to recycle
//
// # Locks
//
// Readers take the lock shared and writers exclusive, neither ever waiting:
// a process that finds the folder in use goes without it this time (a
// server renders what it would have read; a write is skipped, and the next
// start or build makes it). Without the lock, two writers could each remove
// the other's temporary folder, and a reader could take files from an
// export a writer has just swapped out. The lock is flock(2), which the
// system drops when the process ends, however it ends; on systems without
// it there is no lock.
package cachedir

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Off is the value of --cache-dir that turns the cache folder off, besides
// the empty string.
const Off = "none"

// Default returns the default root: renderwise under os.UserCacheDir
// ($XDG_CACHE_HOME or ~/.cache on Linux, ~/Library/Caches on macOS).
func Default() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("no user cache folder to put the cache folder in: %w", err)
	}
	return filepath.Join(dir, "renderwise"), nil
}

// Name returns the name of a site's folder under the root: the last element
// of its content folder and a hash of that folder's absolute path (symbolic
// links resolved) and of the base URL as given. The embedded articles
// (content "") are named "embedded". Each content folder and base URL has a
// folder of its own, so sites never share one and a server started for
// another base URL keeps the other's warm.
func Name(content, baseURL string) (string, error) {
	key, base := "embedded", "embedded"
	if content != "" {
		abs, err := filepath.Abs(content)
		if err != nil {
			return "", fmt.Errorf("cache folder of %s: %w", content, err)
		}
		if real, err := filepath.EvalSymlinks(abs); err == nil {
			abs = real
		}
		key, base = "dir:"+abs, slug(filepath.Base(abs))
	}
	sum := sha256.Sum256([]byte(key + "\x00" + baseURL))
	return base + "-" + hex.EncodeToString(sum[:8]), nil
}

// slug keeps a folder name readable in a listing and safe as a file name.
func slug(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			return r
		}
		return '-'
	}, s)
	s = strings.Trim(s, "-.")
	if len(s) > 40 {
		s = s[:40]
	}
	if s == "" {
		return "site"
	}
	return s
}

// Dir is the open cache folder of one site.
type Dir struct {
	path string
	lock *os.File // the lock file, open for the life of the Dir
}

// Open makes the folder at path, and its parents, if they are missing, and
// opens its lock file. It takes no lock.
func Open(path string) (*Dir, error) {
	if err := os.MkdirAll(path, 0o755); err != nil {
		return nil, fmt.Errorf("cache folder %s: %w", path, err)
	}
	f, err := os.OpenFile(filepath.Join(path, "lock"), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("cache folder %s: %w", path, err)
	}
	return &Dir{path: path, lock: f}, nil
}

// Path returns the folder.
func (d *Dir) Path() string { return d.path }

// Export returns the folder of the site's export.
func (d *Dir) Export() string { return filepath.Join(d.path, "export") }

// TryRead takes the lock shared, without waiting: true if no one writes the
// folder now, and no one will until [Dir.Unlock].
func (d *Dir) TryRead() bool { return lock(d.lock, false) }

// TryWrite takes the lock exclusive, without waiting: true if no one else
// reads or writes the folder now, and no one will until [Dir.Unlock]. A
// shared lock this Dir holds is turned into it; if that fails, the Dir may
// hold no lock at all.
func (d *Dir) TryWrite() bool { return lock(d.lock, true) }

// Unlock drops the lock this Dir holds, if any.
func (d *Dir) Unlock() { unlock(d.lock) }

// Close drops the lock and closes the lock file.
func (d *Dir) Close() error { return d.lock.Close() }
