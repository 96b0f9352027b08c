package export

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
)

// tree writes files under a root folder, creating folders as needed. It is
// safe for concurrent use.
//
// The root may be a recycled export ([recycle]) whose files are hard links
// shared with the export being served, so a file is never written in place:
// one in the way is unlinked and a new one created ([createFile]).
type tree struct {
	root string
	mu   sync.Mutex
	dirs map[string]bool // folders known to exist, relative to root
}

// mkdir makes sure the folder of file exists.
func (t *tree) mkdir(file string) error {
	return t.mkdirAll(filepath.Dir(filepath.FromSlash(file)))
}

// mkdirAll is os.MkdirAll relative to root, remembering the folders made:
// one mkdir call for a new folder whose parent is known, instead of a stat
// of every parent (there are as many folders as pages).
func (t *tree) mkdirAll(dir string) error {
	if dir == "." {
		return nil
	}
	t.mu.Lock()
	known := t.dirs[dir]
	t.mu.Unlock()
	if known {
		return nil
	}
	err := os.Mkdir(filepath.Join(t.root, dir), 0o755)
	if errors.Is(err, fs.ErrNotExist) {
		if err := t.mkdirAll(filepath.Dir(dir)); err != nil {
			return err
		}
		err = os.Mkdir(filepath.Join(t.root, dir), 0o755)
	}
	if err != nil && !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("build: %w", err)
	}
	t.mu.Lock()
	t.dirs[dir] = true
	t.mu.Unlock()
	return nil
}

// write writes file and, when given, file.gz and file.br. It returns the
// bytes written.
func (t *tree) write(file string, body, gz, br []byte) (int64, error) {
	if err := t.mkdir(file); err != nil {
		return 0, err
	}
	p := filepath.Join(t.root, filepath.FromSlash(file))
	var n int64
	for _, f := range []struct {
		name string
		data []byte
	}{{p, body}, {p + ".gz", gz}, {p + ".br", br}} {
		if f.data == nil && f.name != p {
			continue
		}
		if err := createFile(f.name, f.data); err != nil {
			return 0, fmt.Errorf("build: %w", err)
		}
		n += int64(len(f.data))
	}
	return n, nil
}

// createFile writes data to a new file name. A file already there is
// unlinked first, never truncated: it may be a hard link into the export
// being served.
func createFile(name string, data []byte) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		if err := os.Remove(name); err != nil {
			return err
		}
		f, err = os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	}
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// link takes over an unchanged output from the export in from: a hard link
// (the same file, untouched: same bytes, same modification time), or a copy
// where links are not possible.
func (t *tree) link(from string, o output) error {
	if err := t.mkdir(o.File); err != nil {
		return err
	}
	names := []string{o.File}
	if o.Compressed {
		names = append(names, o.File+".gz", o.File+".br")
	}
	for _, name := range names {
		src := filepath.Join(from, filepath.FromSlash(name))
		dst := filepath.Join(t.root, filepath.FromSlash(name))
		if err := linkFile(src, dst); err != nil {
			return err
		}
	}
	return nil
}

// linkSized is link for an export that no build of this folder wrote (a
// cache folder's, [Config.Reuse]): the files linked must add up to the size
// the manifest records, or they are removed again and an error returned,
// so that a file cut short there is made again rather than carried over.
func (t *tree) linkSized(from string, o output) error {
	if err := t.link(from, o); err != nil {
		return err
	}
	names := []string{o.File}
	if o.Compressed {
		names = append(names, o.File+".gz", o.File+".br")
	}
	var n int64
	for _, name := range names {
		info, err := os.Lstat(filepath.Join(t.root, filepath.FromSlash(name)))
		if err != nil {
			return err
		}
		n += info.Size()
	}
	if n != o.Size {
		for _, name := range names {
			os.Remove(filepath.Join(t.root, filepath.FromSlash(name)))
		}
		return fmt.Errorf("%s in %s: %d bytes, its manifest says %d", o.File, from, n, o.Size)
	}
	return nil
}

// linkFile makes dst the file src, by a hard link or else a copy, unlinking
// a file already at dst.
func linkFile(src, dst string) error {
	err := os.Link(src, dst)
	if errors.Is(err, fs.ErrExist) {
		if err := os.Remove(dst); err != nil {
			return err
		}
		err = os.Link(src, dst)
	}
	if err != nil {
		return copyFile(src, dst)
	}
	return nil
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	info, err := in.Stat()
	if err != nil {
		return err
	}
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	return os.Chtimes(dst, info.ModTime(), info.ModTime())
}

// drop removes from a recycled tree the files of the outputs it recorded
// that this build does not keep as they are: those not in next (the outputs
// of this build, by file), and those whose key or kind changed. The folders
// of outputs not in next are removed if that leaves them empty.
func (t *tree) drop(recorded []output, next map[string]*output, current func(next, o output) bool, workers int) {
	// Working out whether an output is current may hash its inputs: on
	// all cores.
	keep := make([]bool, len(recorded))
	parallel(len(recorded), workers, func(i int) {
		n, ok := next[recorded[i].File]
		keep[i] = ok && current(*n, recorded[i])
	})
	var files []string
	dirs := map[string]bool{}
	for i, o := range recorded {
		if keep[i] {
			continue
		}
		_, ok := next[o.File]
		files = append(files, o.File)
		if o.Compressed {
			files = append(files, o.File+".gz", o.File+".br")
		}
		for d := path.Dir(o.File); !ok && d != "." && !dirs[d]; d = path.Dir(d) {
			dirs[d] = true
		}
	}
	parallel(len(files), workers, func(i int) {
		os.Remove(filepath.Join(t.root, filepath.FromSlash(files[i])))
	})
	// Deepest first; a folder that still holds something stays.
	list := slices.SortedFunc(maps.Keys(dirs), func(a, b string) int { return strings.Count(b, "/") - strings.Count(a, "/") })
	for _, d := range list {
		os.Remove(filepath.Join(t.root, filepath.FromSlash(d)))
	}
}

// backupOf is where the current export waits while the new one moves in.
func backupOf(out string) string {
	return filepath.Join(filepath.Dir(out), "."+filepath.Base(out)+".old")
}

// prevOf is where the export before the current one is kept, for the next
// build to recycle.
func prevOf(out string) string {
	return filepath.Join(filepath.Dir(out), "."+filepath.Base(out)+".prev")
}

// tempPrefix starts the names of the folders builds write into.
func tempPrefix(out string) string { return "." + filepath.Base(out) + ".build-" }

// recycle returns the folder a build writes into, beside out. When the
// export before the current one was kept ([swap]) and its manifest m could
// be read, that is it, renamed, and m is returned for the build to compare
// its outputs with: only those whose keys differ are written, and the rest
// stay as they are, so that a build that changes little does little to the
// file system. (A new folder needs a hard link and a removal for every file
// of the export: about 50,000 of each for 10,000 articles, several seconds.)
// Its manifest file is removed before anything else, so a folder left by a
// killed build is never taken for an export. Otherwise the folder is new and
// empty, and the manifest returned nil.
func recycle(out string, m *manifest, workers int) (string, *manifest, error) {
	tmp, err := os.MkdirTemp(filepath.Dir(out), tempPrefix(out))
	if err != nil {
		return "", nil, fmt.Errorf("build: %w", err)
	}
	prev := prevOf(out)
	if _, err := os.Lstat(prev); err != nil {
		return tmp, nil, nil
	}
	if m != nil && os.Remove(tmp) == nil {
		if err := os.Rename(prev, tmp); err != nil {
			return "", nil, fmt.Errorf("build: recycle the previous export: %w", err)
		}
		mf := filepath.Join(tmp, ManifestName)
		if info, err := os.Lstat(mf); err == nil && os.Remove(mf) == nil {
			m.Outputs = audit(tmp, m.Outputs, info.ModTime(), workers)
			return tmp, m, nil
		}
		prev = tmp // unusable: start again from an empty folder
		if tmp, err = os.MkdirTemp(filepath.Dir(out), tempPrefix(out)); err != nil {
			return "", nil, fmt.Errorf("build: %w", err)
		}
	}
	if err := os.RemoveAll(prev); err != nil {
		return "", nil, fmt.Errorf("build: remove an old export: %w", err)
	}
	return tmp, nil, nil
}

// audit brings the outputs recorded for a recycled folder in line with its
// files where they may differ: someone may have added files to the export
// or removed some while it was served. Only folders changed since the
// manifest was written (their modification time is not before since) are
// listed — one lstat per folder finds them — and the root, which the end of
// every build changes. What such a folder holds that no output, folder or
// build file accounts for is removed; outputs missing a file lose their key,
// so the build removes what is left of them and writes them again. The parse cache folder
// is not audited: it is listed whole when it is written.
func audit(root string, outputs []output, since time.Time, workers int) []output {
	dirs := map[string]bool{".nginx": true}
	for _, o := range outputs {
		for d := path.Dir(o.File); d != "." && !dirs[d]; d = path.Dir(d) {
			dirs[d] = true
		}
	}
	list := slices.Collect(maps.Keys(dirs))
	changed := make([]bool, len(list))
	parallel(len(list), workers, func(i int) {
		info, err := os.Lstat(filepath.Join(root, filepath.FromSlash(list[i])))
		changed[i] = err != nil || !info.ModTime().Before(since)
	})
	suspect := map[string]map[string]int{".": {}} // folder → expected name → output index, or -1
	for i, d := range list {
		if changed[i] {
			suspect[d] = map[string]int{}
		}
	}
	expect := func(name string, i int) {
		if names, ok := suspect[path.Dir(name)]; ok {
			names[path.Base(name)] = i
		}
	}
	for i, o := range outputs {
		expect(o.File, i)
		if o.Compressed {
			expect(o.File+".gz", i)
			expect(o.File+".br", i)
		}
	}
	for d := range dirs {
		expect(d, -1)
	}
	for _, name := range []string{ManifestName, ParseCacheDir, NginxPagesMap, NginxServerConf} {
		expect(name, -1)
	}
	missing := map[int]bool{}
	for d, names := range suspect {
		entries, err := os.ReadDir(filepath.Join(root, filepath.FromSlash(d)))
		if err != nil && !isMissing(err) {
			continue
		}
		seen := map[string]bool{}
		for _, e := range entries {
			if _, ok := names[e.Name()]; ok {
				seen[e.Name()] = true
			} else {
				os.RemoveAll(filepath.Join(root, filepath.FromSlash(d), e.Name()))
			}
		}
		for name, i := range names {
			if i >= 0 && !seen[name] {
				missing[i] = true
			}
		}
	}
	for i := range missing {
		outputs[i].Key = "" // matches no key: dropped, then written again
	}
	return outputs
}

// swap moves the finished build in tmp to out: the current export (if any)
// is renamed to a backup, the new one into place, and the backup kept as the
// previous export for the next build to recycle. The first two are renames
// within one folder, so a reader sees the old export or the new one, never
// a mix; between them (microseconds) out is missing, and a crash there is
// repaired by the next build ([recoverSwap]).
func swap(tmp, out string) error {
	backup := backupOf(out)
	hadOld := true
	if err := os.Rename(out, backup); err != nil {
		if !isMissing(err) {
			return fmt.Errorf("build: move the previous export aside: %w", err)
		}
		hadOld = false
	}
	if err := os.Rename(tmp, out); err != nil {
		if hadOld {
			os.Rename(backup, out)
		}
		return fmt.Errorf("build: move the new export into place: %w", err)
	}
	if hadOld {
		if err := os.Rename(backup, prevOf(out)); err != nil {
			if err := os.RemoveAll(backup); err != nil {
				return fmt.Errorf("build: remove the previous export: %w", err)
			}
		}
	}
	return nil
}

// recoverSwap repairs what a build killed in the middle of [swap] or of
// writing left behind: the previous export is put back if only its backup
// is left, a backup left beside a new export becomes the export to recycle,
// and temporary folders of killed builds are removed. When out is gone —
// deleted to force a clean build — the kept previous export goes too. Only
// one build may write an export folder at a time.
func recoverSwap(out string) error {
	backup, prev := backupOf(out), prevOf(out)
	if _, err := os.Lstat(backup); err == nil {
		if _, err := os.Lstat(out); isMissing(err) {
			if err := os.Rename(backup, out); err != nil {
				return fmt.Errorf("build: restore the previous export: %w", err)
			}
		} else if err := os.RemoveAll(prev); err != nil {
			return fmt.Errorf("build: remove an old export: %w", err)
		} else if err := os.Rename(backup, prev); err != nil {
			return fmt.Errorf("build: keep the previous export: %w", err)
		}
	}
	if _, err := os.Lstat(out); isMissing(err) {
		if err := os.RemoveAll(prev); err != nil {
			return fmt.Errorf("build: remove an old export: %w", err)
		}
	}
	entries, err := os.ReadDir(filepath.Dir(out))
	if err != nil {
		return nil // the parent may not exist yet
	}
	for _, e := range entries {
		if e.IsDir() && strings.HasPrefix(e.Name(), tempPrefix(out)) {
			os.RemoveAll(filepath.Join(filepath.Dir(out), e.Name()))
		}
	}
	return nil
}
