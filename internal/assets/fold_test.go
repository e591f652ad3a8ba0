package assets

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// literalBrackets matches the file a[1].txt and nothing else. On Windows a \ in a
// pattern separates, so a bracket is made literal with a class there.
var literalBrackets = map[bool]string{false: `a\[1\].txt`, true: `a[[]1].txt`}[filepath.Separator == '\\']

// foldingFS asks the file system under dir, by writing a file and reading it back
// under another spelling, whether it folds case. It is the tests' own answer,
// independent of foldsCase.
func foldingFS(t *testing.T, dir string) bool {
	t.Helper()
	p := filepath.Join(dir, "case-probe")
	if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	defer os.Remove(p)
	_, err := os.Stat(filepath.Join(dir, "CASE-PROBE"))
	return err == nil
}

func TestFoldsCaseAsksTheFileSystem(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	want := foldingFS(t, root)
	// Probed through an entry of the directory, through the directory's own name,
	// and with nothing but letterless names on the way.
	makeTree(t, root, []node{{path: "ws/Dist/a.zip"}, {path: "Empty/"}, {path: "1/2/"}})
	for _, dir := range []string{filepath.Join(root, "ws"), filepath.Join(root, "Empty"), filepath.Join(root, "1", "2")} {
		if got := foldsCase(dir); got != want {
			t.Errorf("foldsCase(%s) = %v, the file system says %v", dir, got, want)
		}
	}
}

// The spelling of a path is its directories' listing, found by folding case;
// this holds on any file system, since only the listing is read.
func TestSpellingIsTheListing(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	makeTree(t, root, []node{{path: "Dist/App-Linux.zip"}, {path: "dist2/x.TXT"}})
	var s spelling
	for in, want := range map[string]string{
		"Dist/App-Linux.zip": "Dist/App-Linux.zip",
		"DIST/APP-LINUX.ZIP": "Dist/App-Linux.zip",
		"dist/app-linux.zip": "Dist/App-Linux.zip",
		"DIST2/X.txt":        "dist2/x.TXT",
		"dist/missing/A.zip": "Dist/missing/A.zip", // kept as written from the first unlisted element
	} {
		got := s.of(filepath.Join(root, filepath.FromSlash(in)))
		if w := filepath.Join(root, filepath.FromSlash(want)); got != w {
			t.Errorf("of(%s) = %s, want %s", in, got, w)
		}
	}
}

// On a file system that folds case the asset name is the file's own name as the
// directory lists it, and matching, exclusions, extensions and duplicate
// detection follow the file system; elsewhere, case counts everywhere.
func TestMatchFollowsTheFileSystemsCaseRules(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	fold := foldingFS(t, root)
	makeTree(t, root, []node{{path: "dist/app-linux.zip"}, {path: "dist/notes.TXT"}, {path: "App.zip"}, {path: "app.zip"}})
	type result struct{ rels, names []string }
	cases := []struct {
		name     string
		patterns []string
		fold     result // on a file system that folds case
		exact    result // elsewhere
	}{
		{"a literal in another spelling", []string{"DIST/APP-LINUX.ZIP"},
			result{rels: []string{"dist/app-linux.zip"}, names: []string{"app-linux.zip"}}, result{}},
		{"an extension in another case", []string{"dist/*.ZIP"},
			result{rels: []string{"dist/app-linux.zip"}, names: []string{"app-linux.zip"}}, result{}},
		{"a wildcard under a directory in another case", []string{"DIST/*.txt"},
			result{rels: []string{"dist/notes.TXT"}, names: []string{"notes.TXT"}}, result{}},
		{"one file in two spellings", []string{"dist/app-linux.zip", "Dist/App-Linux.Zip"},
			result{rels: []string{"dist/app-linux.zip"}, names: []string{"app-linux.zip"}},
			result{rels: []string{"dist/app-linux.zip"}, names: []string{"app-linux.zip"}}},
		{"an exclusion in another case", []string{"dist/*", "!DIST/*.Zip"},
			result{rels: []string{"dist/notes.TXT"}, names: []string{"notes.TXT"}},
			result{rels: []string{"dist/app-linux.zip", "dist/notes.TXT"}, names: []string{"app-linux.zip", "notes.TXT"}}},
		// Two files only where case counts: a folding file system keeps one
		// (the name written first) under both spellings.
		{"names differing only in case", []string{"*.zip"},
			result{rels: []string{"App.zip"}, names: []string{"App.zip"}},
			result{rels: []string{"App.zip", "app.zip"}, names: []string{"App.zip", "app.zip"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			want := c.exact
			if fold {
				want = c.fold
			}
			got, err := match(root, pats(root, c.patterns...), false)
			if err != nil {
				t.Fatalf("Match: %v", err)
			}
			var names []string
			for _, f := range got {
				names = append(names, f.Name)
			}
			if !slices.Equal(rels(got), want.rels) || !slices.Equal(names, want.names) {
				t.Errorf("fold=%v: files %q named %q; want %q named %q", fold, rels(got), names, want.rels, want.names)
			}
			for _, f := range got {
				if !strings.HasSuffix(f.Path, filepath.FromSlash(f.Rel)) {
					t.Errorf("Path %s does not end in its Rel %s", f.Path, f.Rel)
				}
			}
		})
	}
}
