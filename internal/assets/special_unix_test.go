//go:build unix

package assets

import (
	"path/filepath"
	"syscall"
	"testing"
)

// makeSpecial makes, in dir, a file that is not a regular file and that a reader
// could block on forever, and returns its name: on Unix a FIFO called name.
func makeSpecial(t testing.TB, dir, name string) string {
	t.Helper()
	if err := syscall.Mkfifo(filepath.Join(dir, name), 0o644); err != nil {
		t.Fatal(err)
	}
	return name
}
