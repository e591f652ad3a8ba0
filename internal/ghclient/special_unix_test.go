//go:build unix

package ghclient

import (
	"os"
	"syscall"
	"testing"
)

// swapSpecial puts, in place of the regular file at path, a file that is not a
// regular file and that a reader could block on forever, and returns its path:
// on Unix a FIFO of the same name.
func swapSpecial(t testing.TB, path string) string {
	t.Helper()
	os.Remove(path)
	if err := syscall.Mkfifo(path, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// eol ends a workflow command line.
const eol = "\n"
