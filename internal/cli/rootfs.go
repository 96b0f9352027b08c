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

func (dir rootFS) root() (*os.Root, error) { return os.OpenRoot(string(dir)) }

func (dir rootFS) Open(name string) (fs.File, error) {
	r, err := dir.root()
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	defer r.Close() // files opened from a root outlive it
	return r.FS().Open(name)
}

func (dir rootFS) Stat(name string) (fs.FileInfo, error) {
	r, err := dir.root()
	if err != nil {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: err}
	}
	defer r.Close()
	return fs.Stat(r.FS(), name)
}

func (dir rootFS) ReadFile(name string) ([]byte, error) {
	r, err := dir.root()
	if err != nil {
		return nil, &fs.PathError{Op: "read", Path: name, Err: err}
	}
	defer r.Close()
	return fs.ReadFile(r.FS(), name)
}

func (dir rootFS) ReadDir(name string) ([]fs.DirEntry, error) {
	r, err := dir.root()
	if err != nil {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: err}
	}
	defer r.Close()
	return fs.ReadDir(r.FS(), name)
}

func (dir rootFS) Lstat(name string) (fs.FileInfo, error) {
	r, err := dir.root()
	if err != nil {
		return nil, &fs.PathError{Op: "lstat", Path: name, Err: err}
	}
	defer r.Close()
	return fs.Lstat(r.FS(), name)
}

func (dir rootFS) ReadLink(name string) (string, error) {
	r, err := dir.root()
	if err != nil {
		return "", &fs.PathError{Op: "readlink", Path: name, Err: err}
	}
	defer r.Close()
	return fs.ReadLink(r.FS(), name)
}
