package assets

import (
	"os"
	"testing"
)

// identityAt opens path (following a link) and returns its identity.
func identityAt(t *testing.T, path string) Identity {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	id, err := IdentityOf(f)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// TestMatchRecordsTheFileItFound: every matched file carries the identity of
// the file its content comes from (a link's target), and whether its path was
// a link; a file put in its place afterwards, even with the same name and size,
// is another file.
func TestMatchRecordsTheFileItFound(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	makeTree(t, root, []node{{path: "dist/a.bin"}, {path: "dist/b.bin"}, {path: "dist/link.bin", link: "b.bin"}})
	got, err := match(root, pats(root, "dist/*"), true)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]File{}
	for _, f := range got {
		if !f.Identity.Known() {
			t.Fatalf("%s: no identity recorded", f.Rel)
		}
		byName[f.Name] = f
	}
	a, b, link := byName["a.bin"], byName["b.bin"], byName["link.bin"]
	switch {
	case a.Identity.Same(b.Identity):
		t.Errorf("two files share an identity: %v", a.Identity)
	case !link.Identity.Same(b.Identity):
		t.Errorf("the link's identity %v is not its target's %v", link.Identity, b.Identity)
	case !link.Identity.Link || a.Identity.Link || b.Identity.Link:
		t.Errorf("Link = %v %v %v, want only the link's set", a.Identity.Link, b.Identity.Link, link.Identity.Link)
	}
	// The same name and content, written anew: another file.
	content, err := os.ReadFile(a.Path)
	if err != nil {
		t.Fatal(err)
	}
	// The first file stays (renamed), so its inode cannot be reused.
	if err := os.Rename(a.Path, a.Path+".old"); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(a.Path, content, 0o644); err != nil {
		t.Fatal(err)
	}
	if now := identityAt(t, a.Path); now.Same(a.Identity) {
		t.Errorf("a file written anew has the identity of the one matched")
	}
	if old := identityAt(t, a.Path+".old"); !old.Same(a.Identity) {
		t.Errorf("the renamed file lost its identity")
	}
	var zero Identity
	if zero.Same(zero) || zero.Known() {
		t.Error("the unknown identity matches")
	}
}
