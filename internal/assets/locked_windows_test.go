package assets

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// On Windows a file can be unreadable for everyone, administrators included:
// held open without sharing (by a build tool, a virus scanner). It is the
// counterpart of TestMatchUnreadable's permission bits, which Windows lacks.
func TestMatchFileHeldWithoutSharing(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	makeTree(t, root, []node{{path: "dist/app.zip"}, {path: "dist/held.bin"}})
	name, err := syscall.UTF16PtrFromString(filepath.Join(root, "dist", "held.bin"))
	if err != nil {
		t.Fatal(err)
	}
	h, err := syscall.CreateFile(name, syscall.GENERIC_READ, 0, nil, syscall.OPEN_EXISTING, syscall.FILE_ATTRIBUTE_NORMAL, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer syscall.CloseHandle(h)
	got, err := match(root, pats(root, "dist/*"), true)
	if err == nil {
		t.Fatalf("Match = %q, want an error", rels(got))
	}
	if !strings.Contains(err.Error(), "dist/held.bin is not readable") {
		t.Errorf("error %q does not name dist/held.bin as unreadable", err)
	}
}
