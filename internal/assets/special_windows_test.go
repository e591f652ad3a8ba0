package assets

import (
	"os"
	"path/filepath"
	"testing"
)

// makeSpecial returns the name of a file in dir that is not a regular file and
// that a reader could block on. Windows has no FIFOs: its counterpart is NUL,
// the device every directory answers to (and that no listing shows).
func makeSpecial(t testing.TB, dir, _ string) string {
	t.Helper()
	if st, err := os.Stat(filepath.Join(dir, "NUL")); err != nil || st.Mode().IsRegular() {
		t.Fatalf("NUL in %s: %v, %v; want the device", dir, st, err)
	}
	return "NUL"
}
