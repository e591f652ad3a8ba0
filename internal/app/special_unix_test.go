//go:build unix

package app_test

import (
	"path/filepath"
	"syscall"
	"testing"
)

// special names a file in the working directory that is not a regular file and
// that a reader could block on forever; makeSpecial creates it. On Unix it is
// a FIFO of that name.
func special(name string) string { return name }

func makeSpecial(t testing.TB, dir, name string) {
	t.Helper()
	if err := syscall.Mkfifo(filepath.Join(dir, special(name)), 0o644); err != nil {
		t.Fatal(err)
	}
}
