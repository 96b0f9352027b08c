package images

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
)

// checkName accepts only clean relative paths inside the FS: no leading
// slash, no "." or ".." element, no empty element (so no "//host"), no
// backslash and no colon (so no "C:\x" and no "http://…"). Remote images are
// never fetched: a name is only ever looked up in the FS it came with.
func checkName(name string) error {
	switch {
	case name == "", name == ".", !fs.ValidPath(name),
		strings.ContainsAny(name, "\\:\x00"):
		return fmt.Errorf("images: %w: invalid image path %q", ErrBadRequest, name)
	}
	return nil
}

// checkLinks refuses a name any element of which is a symbolic link, when
// fsys can tell ([fs.ReadLinkFS]: os.DirFS, fs.Sub of it, fstest.MapFS).
// os.DirFS follows links wherever they point, so a link in the content
// folder could otherwise serve any file on the machine. An FS without
// links (embed.FS) has nothing to check.
//
// Checking and then opening leaves a window in which a link could be
// swapped in; callers who must close it pass the FS of an os.Root.
func checkLinks(fsys fs.FS, name string) error {
	if _, ok := fsys.(fs.ReadLinkFS); !ok {
		return nil
	}
	for i := 0; ; {
		j := strings.IndexByte(name[i:], '/')
		prefix := name
		if j >= 0 {
			prefix = name[:i+j]
		}
		fi, err := fs.Lstat(fsys, prefix)
		if err != nil {
			return openError(name, err)
		}
		if fi.Mode()&fs.ModeSymlink != 0 {
			return fmt.Errorf("images: %s: %w: %s is a symbolic link", name, ErrNotFound, prefix)
		}
		if j < 0 {
			return nil
		}
		i += j + 1
	}
}

// open opens a regular file after checking its name and links, and refuses
// it if Stat reports more than maxBytes.
func open(fsys fs.FS, name string, maxBytes int64) (fs.File, int64, error) {
	if err := checkName(name); err != nil {
		return nil, 0, err
	}
	if err := checkLinks(fsys, name); err != nil {
		return nil, 0, err
	}
	f, err := fsys.Open(name)
	if err != nil {
		return nil, 0, openError(name, err)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, openError(name, err)
	}
	if !fi.Mode().IsRegular() {
		f.Close()
		return nil, 0, fmt.Errorf("images: %s: %w: not a regular file", name, ErrNotFound)
	}
	if fi.Size() > maxBytes {
		f.Close()
		return nil, 0, tooManyBytes(name, maxBytes)
	}
	return f, fi.Size(), nil
}

func openError(name string, err error) error {
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrInvalid) {
		return fmt.Errorf("images: %w: %w", ErrNotFound, err)
	}
	return fmt.Errorf("images: open %s: %w", name, err)
}

// readFile reads a whole file of at most maxBytes into one buffer sized
// from Stat, rather than letting io.ReadAll double its way up to it.
func readFile(fsys fs.FS, name string, maxBytes int64) ([]byte, error) {
	f, size, err := open(fsys, name, maxBytes)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	buf := make([]byte, 0, size+1) // +1 so that a file that grew shows at once
	lr := &io.LimitedReader{R: f, N: maxBytes + 1}
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := lr.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("images: read %s: %w", name, err)
		}
	}
	if int64(len(buf)) > maxBytes {
		return nil, tooManyBytes(name, maxBytes)
	}
	return buf, nil
}
