package cli

import (
	"io/fs"
	"os"
)

// rootFS reads a content folder the way os.DirFS does, by its path, so a
// folder that is replaced (a deploy that renames a new one into place) is
// read anew, but every operation goes through an [os.Root] opened for it:
// no name and no symbolic link in the folder reaches a file outside it
// (DESIGN.md §8). Opening the root costs two system calls per operation;
// the hot path (pages from memory) never reads a file.
type rootFS string

// inRoot runs op on the folder opened as an os.Root. Files opened from a
// root outlive it.
func inRoot[T any](dir rootFS, verb, name string, op func(fs.FS) (T, error)) (T, error) {
	r, err := os.OpenRoot(string(dir))
	if err != nil {
		var zero T
		return zero, &fs.PathError{Op: verb, Path: name, Err: err}
	}
	defer r.Close()
	return op(r.FS())
}

func (dir rootFS) Open(name string) (fs.File, error) {
	return inRoot(dir, "open", name, func(f fs.FS) (fs.File, error) { return f.Open(name) })
}

func (dir rootFS) Stat(name string) (fs.FileInfo, error) {
	return inRoot(dir, "stat", name, func(f fs.FS) (fs.FileInfo, error) { return fs.Stat(f, name) })
}

func (dir rootFS) Lstat(name string) (fs.FileInfo, error) {
	return inRoot(dir, "lstat", name, func(f fs.FS) (fs.FileInfo, error) { return fs.Lstat(f, name) })
}

func (dir rootFS) ReadLink(name string) (string, error) {
	return inRoot(dir, "readlink", name, func(f fs.FS) (string, error) { return fs.ReadLink(f, name) })
}

func (dir rootFS) ReadFile(name string) ([]byte, error) {
	return inRoot(dir, "read", name, func(f fs.FS) ([]byte, error) { return fs.ReadFile(f, name) })
}

func (dir rootFS) ReadDir(name string) ([]fs.DirEntry, error) {
	return inRoot(dir, "readdir", name, func(f fs.FS) ([]fs.DirEntry, error) { return fs.ReadDir(f, name) })
}
