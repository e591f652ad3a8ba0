package app_test

import (
	"os"
	"path/filepath"
	"testing"
)

// special names a file in the working directory that is not a regular file and
// that a reader could block on; makeSpecial creates it. Windows has no FIFOs:
// its counterpart is NUL, the device every directory answers to.
func special(string) string { return "NUL" }

func makeSpecial(t testing.TB, dir, _ string) {
	t.Helper()
	st, err := os.Stat(filepath.Join(dir, "NUL"))
	if err != nil || st.Mode().IsRegular() {
		t.Fatalf("NUL in %s: %v, %v; want the device", dir, st, err)
	}
}
