package export

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Copy makes to a copy of the export in from, every file hard-linked where
// the two folders share a file system and copied where they do not: how a
// finished export is kept in a cache folder, for a later build to take its
// outputs from ([Config.Reuse]) after from is deleted. Like [Build] it
// writes a temporary folder beside to and renames it into place only once
// every file is there, so an interrupted copy leaves to as it was; it
// refuses to replace a folder that is not an export. The export it replaces
// is kept beside it, as after a build, for the next build into to to
// recycle; the one kept before that is removed first. Only one build or
// copy may write to at a time.
func Copy(ctx context.Context, from, to string) error {
	from, err := filepath.Abs(from)
	if err != nil {
		return fmt.Errorf("copy: %w", err)
	}
	if to, err = filepath.Abs(to); err != nil {
		return fmt.Errorf("copy: %w", err)
	}
	if _, err := readManifest(from); err != nil {
		return fmt.Errorf("copy %s: %w", from, err)
	}
	if err := recoverSwap(to); err != nil {
		return err
	}
	if _, _, err := previous(to); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		return fmt.Errorf("copy: %w", err)
	}
	if err := os.RemoveAll(prevOf(to)); err != nil { // swap needs its place
		return fmt.Errorf("copy: remove an old export: %w", err)
	}
	tmp, err := os.MkdirTemp(filepath.Dir(to), tempPrefix(to))
	if err != nil {
		return fmt.Errorf("copy: %w", err)
	}
	done := false
	defer func() {
		if !done {
			os.RemoveAll(tmp)
		}
	}()
	err = filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		rel, err := filepath.Rel(from, p)
		if err != nil || rel == "." {
			return err
		}
		dst := filepath.Join(tmp, rel)
		switch {
		case d.IsDir():
			return os.Mkdir(dst, 0o755)
		case d.Type().IsRegular():
			return linkFile(p, dst)
		}
		return nil // an export holds nothing else
	})
	if err != nil {
		return fmt.Errorf("copy %s to %s: %w", from, to, err)
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return fmt.Errorf("copy: %w", err)
	}
	if err := swap(tmp, to); err != nil {
		return err
	}
	done = true
	return nil
}
