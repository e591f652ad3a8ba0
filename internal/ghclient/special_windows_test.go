package ghclient

import (
	"os"
	"path/filepath"
	"testing"
)

// swapSpecial returns, for the regular file at path, the path of a file beside
// it that is not a regular file. Windows has no FIFOs: its counterpart is NUL,
// the device every directory answers to.
func swapSpecial(t testing.TB, path string) string {
	t.Helper()
	nul := filepath.Join(filepath.Dir(path), "NUL")
	if st, err := os.Stat(nul); err != nil || st.Mode().IsRegular() {
		t.Fatalf("%s: %v, %v; want the device", nul, st, err)
	}
	return nul
}

// eol ends a workflow command line: go-githubactions writes \r\n on Windows.
const eol = "\r\n"
