//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package cachedir

import "os"

// Without flock(2) there is no lock: one renderwise at a time must use a
// cache folder.
func lock(*os.File, bool) bool { return true }

func unlock(*os.File) {}
