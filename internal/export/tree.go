package export

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// tree writes files under a root folder, creating folders as needed. It is
// safe for concurrent use.
type tree struct {
	root string
	mu   sync.Mutex
	dirs map[string]bool // folders known to exist, relative to root
}

// mkdir makes sure the folder of file exists.
func (t *tree) mkdir(file string) error {
	dir := filepath.Dir(filepath.FromSlash(file))
	t.mu.Lock()
	known := t.dirs[dir]
	t.mu.Unlock()
	if known {
		return nil
	}
	if err := os.MkdirAll(filepath.Join(t.root, dir), 0o755); err != nil {
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
		if err := os.WriteFile(f.name, f.data, 0o644); err != nil {
			return 0, fmt.Errorf("build: %w", err)
		}
		n += int64(len(f.data))
	}
	return n, nil
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
		if err := os.Link(src, dst); err != nil {
			if err := copyFile(src, dst); err != nil {
				return err
			}
		}
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

// backupOf is where the previous export waits while the new one moves in.
func backupOf(out string) string {
	return filepath.Join(filepath.Dir(out), "."+filepath.Base(out)+".old")
}

// swap moves the finished build in tmp to out: the old export (if any) is
// renamed to a backup, the new one into place, and the backup removed. Both
// are renames within one folder, so a reader sees the old export or the new
// one, never a mix; between the two renames (microseconds) out is missing,
// and a crash there is repaired by the next build ([recoverSwap]).
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
		if err := os.RemoveAll(backup); err != nil {
			return fmt.Errorf("build: remove the previous export: %w", err)
		}
	}
	return nil
}

// recoverSwap repairs what a build killed in the middle of [swap] or of
// writing left behind: the previous export is put back if only its backup
// is left, a leftover backup is removed, and so are temporary folders of
// killed builds. Only one build may write an export folder at a time.
func recoverSwap(out string) error {
	backup := backupOf(out)
	if _, err := os.Stat(backup); err == nil {
		if _, err := os.Stat(out); isMissing(err) {
			if err := os.Rename(backup, out); err != nil {
				return fmt.Errorf("build: restore the previous export: %w", err)
			}
		} else if err := os.RemoveAll(backup); err != nil {
			return fmt.Errorf("build: remove a leftover backup: %w", err)
		}
	}
	entries, err := os.ReadDir(filepath.Dir(out))
	if err != nil {
		return nil // the parent may not exist yet
	}
	prefix := "." + filepath.Base(out) + ".build-"
	for _, e := range entries {
		if e.IsDir() && strings.HasPrefix(e.Name(), prefix) {
			os.RemoveAll(filepath.Join(filepath.Dir(out), e.Name()))
		}
	}
	return nil
}
