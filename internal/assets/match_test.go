package assets

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// node is one entry of a test tree.
type node struct {
	path string // slash-separated; a trailing "/" makes a directory
	link string // when set, path is a symbolic link pointing at link
}

// makeTree creates nodes under root. A file's content is its own path, so sizes differ.
func makeTree(t *testing.T, root string, nodes []node) {
	t.Helper()
	for _, n := range nodes {
		p := filepath.Join(root, filepath.FromSlash(n.path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		var err error
		switch {
		case n.link != "":
			err = os.Symlink(filepath.FromSlash(n.link), p)
		case strings.HasSuffix(n.path, "/"):
			err = os.MkdirAll(p, 0o755)
		default:
			err = os.WriteFile(p, []byte(n.path), 0o644)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

// pats builds patterns the way the files input spells them: "!" excludes, the
// text after the last "#" is a label, and "path => name" names the asset.
// "$DIR" stands for the test's tree. (The files input's own parsing is
// internal/inputs', tested there; this package cannot import it.)
func pats(root string, specs ...string) []Pattern {
	var out []Pattern
	for _, s := range specs {
		var p Pattern
		s = strings.ReplaceAll(s, "$DIR", filepath.ToSlash(root))
		if rest, ok := strings.CutPrefix(s, "!"); ok {
			p.Exclude, s = true, rest
		}
		if i := strings.LastIndex(s, "#"); i >= 0 {
			s, p.Label = s[:i], s[i+1:]
		}
		if path, name, ok := strings.Cut(s, "=>"); ok {
			s, p.Name = strings.TrimSpace(path), strings.TrimSpace(name)
		}
		p.Glob = s
		out = append(out, p)
	}
	return out
}

func rels(files []File) []string {
	out := make([]string, len(files))
	for i, f := range files {
		out[i] = f.Rel
	}
	return out
}

// release is a typical build output.
var release = []node{
	{path: "README.md"},
	{path: "dist/app.tar.gz"},
	{path: "dist/app.zip"},
	{path: "dist/app.zip.sig"},
	{path: "dist/checksums.txt"},
	{path: "dist/.hidden"},
	{path: "dist/debug/app.debug"},
	{path: "dist/sub/deep/x.deb"},
	{path: "dist/empty/"},
}

func TestMatch(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		tree     []node
		sub      string   // run Match in this directory of the tree
		patterns []string // see pats
		fail     bool     // failOnUnmatched
		want     []string // Rel of the files, in the order returned
		errs     []string // each must appear in the error; none means success
		absent   []string // none may appear in the error
	}{
		{
			name:     "no patterns",
			tree:     release,
			patterns: nil,
			want:     []string{},
		},
		{
			name:     "star stays in its directory and matches hidden files",
			tree:     release,
			patterns: []string{"dist/*"},
			want:     []string{"dist/app.tar.gz", "dist/app.zip", "dist/app.zip.sig", "dist/checksums.txt", "dist/.hidden"},
		},
		{
			name:     "doublestar crosses directories",
			tree:     release,
			patterns: []string{"dist/**/*.deb"},
			want:     []string{"dist/sub/deep/x.deb"},
		},
		{
			name:     "trailing doublestar returns files only",
			tree:     release,
			patterns: []string{"dist/**"},
			want: []string{"dist/debug/app.debug", "dist/app.tar.gz", "dist/app.zip", "dist/app.zip.sig",
				"dist/checksums.txt", "dist/.hidden", "dist/sub/deep/x.deb"},
		},
		{
			name:     "overlapping braces return each file once",
			tree:     release,
			patterns: []string{"dist/{app.zip,app.*,*.zip}"},
			want:     []string{"dist/app.tar.gz", "dist/app.zip", "dist/app.zip.sig"},
		},
		{
			name:     "overlapping patterns return each file once",
			tree:     release,
			patterns: []string{"dist/*.zip", "dist/app.*", "dist/app.zip"},
			want:     []string{"dist/app.tar.gz", "dist/app.zip", "dist/app.zip.sig"},
		},
		{
			name:     "exclude after include",
			tree:     release,
			patterns: []string{"dist/app*", "!dist/*.sig"},
			want:     []string{"dist/app.tar.gz", "dist/app.zip"},
		},
		{
			name:     "exclude before include",
			tree:     release,
			patterns: []string{"!dist/*.sig", "dist/app*"},
			want:     []string{"dist/app.tar.gz", "dist/app.zip"},
		},
		{
			name:     "excluding a directory excludes what is below it",
			tree:     release,
			patterns: []string{"dist/**", "!dist/debug", "!dist/sub", "!**/.*"},
			want:     []string{"dist/app.tar.gz", "dist/app.zip", "dist/app.zip.sig", "dist/checksums.txt"},
		},
		{
			name:     "exclusion leaves the pattern matched",
			tree:     release,
			patterns: []string{"dist/*.sig", "!dist/app.zip.sig", "README.md"},
			fail:     true,
			want:     []string{"README.md"},
		},
		{
			name:     "unmatched exclude never fails",
			tree:     release,
			patterns: []string{"README.md", "!nothing/**", "!missing.txt"},
			fail:     true,
			want:     []string{"README.md"},
		},
		{
			name:     "literal file",
			tree:     release,
			patterns: []string{"dist/checksums.txt"},
			fail:     true,
			want:     []string{"dist/checksums.txt"},
		},
		{
			name:     "absolute pattern",
			tree:     release,
			patterns: []string{"$DIR/dist/*.zip", "$DIR/README.md"},
			want:     []string{"README.md", "dist/app.zip"},
		},
		{
			name:     "absolute exclude",
			tree:     release,
			patterns: []string{"dist/app.*", "!$DIR/dist/*.zip*"},
			want:     []string{"dist/app.tar.gz"},
		},
		{
			name:     "dot-dot leaves the working directory",
			tree:     release,
			sub:      "dist",
			patterns: []string{"../README.md", "../dist/sub/**/*.deb", "*.zip"},
			want:     []string{"../README.md", "app.zip", "sub/deep/x.deb"},
		},
		{
			name:     "sorted by stored name",
			tree:     []node{{path: "b.txt"}, {path: "a (1).txt"}, {path: "_c.txt"}, {path: "A.txt"}},
			patterns: []string{"*"},
			want:     []string{"A.txt", "_c.txt", "a (1).txt", "b.txt"},
		},
		{
			name:     "working directory with glob characters",
			tree:     []node{{path: "v[1]/{a}/x.txt"}, {path: "v1/a/y.txt"}},
			sub:      "v[1]/{a}",
			patterns: []string{"*.txt", "!nothing*"},
			want:     []string{"x.txt"},
		},
		{
			name:     "escaped brackets are literal",
			tree:     []node{{path: "a[1].txt"}, {path: "a1.txt"}},
			patterns: []string{literalBrackets},
			fail:     true,
			want:     []string{"a[1].txt"},
		},
		{
			name:     "unescaped brackets are a class",
			tree:     []node{{path: "a[1].txt"}, {path: "a1.txt"}},
			patterns: []string{"a[1].txt"},
			want:     []string{"a1.txt"},
		},
		{
			name:     "missing files are fine without fail_on_unmatched",
			tree:     release,
			patterns: []string{"dist/*.msi", "missing.txt", "nodir/**"},
			want:     []string{},
		},
		{
			name:     "unmatched glob",
			tree:     release,
			patterns: []string{"dist/*.zip", "dist/*.msi"},
			fail:     true,
			errs:     []string{`pattern "dist/*.msi" matched no file`},
		},
		{
			name:     "missing literal",
			tree:     release,
			patterns: []string{"dist/missing.zip"},
			fail:     true,
			errs:     []string{`pattern "dist/missing.zip" matched no file`},
		},
		{
			name:     "glob matching only directories is unmatched",
			tree:     release,
			patterns: []string{"dist/empty*"},
			fail:     true,
			errs:     []string{`pattern "dist/empty*" matched no file`},
		},
		{
			name:     "directory named literally",
			tree:     release,
			patterns: []string{"dist"},
			errs:     []string{`pattern "dist" is a directory; use dist/* or dist/**`},
		},
		{
			name:     "directory named with a trailing slash",
			tree:     release,
			patterns: []string{"dist/"},
			errs:     []string{`pattern "dist/" is a directory; use dist/* or dist/**`},
		},
		{
			name:     "malformed pattern",
			tree:     release,
			patterns: []string{"dist/[a"},
			errs:     []string{`pattern "dist/[a" is malformed`},
		},
		{
			name:     "empty pattern",
			tree:     release,
			patterns: []string{""},
			errs:     []string{"empty pattern"},
		},
		{
			name:     "same stored name from different characters",
			tree:     []node{{path: "a b.txt"}, {path: "a.b.txt"}, {path: "c.txt"}},
			patterns: []string{"*.txt"},
			errs:     []string{`asset name "a.b.txt" would be used by a b.txt, a.b.txt`},
		},
		{
			name:     "same base name in two directories",
			tree:     []node{{path: "dist/x.zip"}, {path: "other/x.zip"}, {path: "third/x.zip"}},
			patterns: []string{"dist/x.zip", "other/*.zip", "third/*"},
			errs:     []string{`asset name "x.zip" would be used by dist/x.zip, other/x.zip, third/x.zip`},
		},
		{
			name:     "collision avoided by an exclude",
			tree:     []node{{path: "dist/x.zip"}, {path: "other/x.zip"}},
			patterns: []string{"**/x.zip", "!other/**"},
			want:     []string{"dist/x.zip"},
		},
		{
			name:     "every problem is reported",
			tree:     release,
			patterns: []string{"dist", "nothing/*", "also-missing", "dist/{"},
			fail:     true,
			errs: []string{
				`pattern "dist" is a directory`,
				`pattern "nothing/*" matched no file`,
				`pattern "also-missing" matched no file`,
				`pattern "dist/{" is malformed`,
			},
			absent: []string{`pattern "dist" matched no file`, `pattern "dist/{" matched no file`},
		},
		{
			name:     "broken link is reported once",
			tree:     []node{{path: "l", link: "gone"}},
			patterns: []string{"l"},
			fail:     true,
			errs:     []string{`pattern "l": l is a broken symbolic link`},
			absent:   []string{"matched no file"},
		},
		{
			name:     "two labels for one file",
			tree:     release,
			patterns: []string{"dist/app.zip#Windows build", "dist/*.zip#Zip"},
			errs:     []string{`dist/app.zip has two labels: "Windows build" from pattern "dist/app.zip" and "Zip" from pattern "dist/*.zip"`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			root := t.TempDir()
			makeTree(t, root, tt.tree)
			got, err := match(filepath.Join(root, filepath.FromSlash(tt.sub)), pats(root, tt.patterns...), tt.fail)
			if len(tt.errs) > 0 {
				if err == nil {
					t.Fatalf("Match = %v, want an error", rels(got))
				}
				for _, want := range tt.errs {
					if !strings.Contains(err.Error(), want) {
						t.Errorf("error\n%v\ndoes not contain %q", err, want)
					}
				}
				for _, bad := range tt.absent {
					if strings.Contains(err.Error(), bad) {
						t.Errorf("error\n%v\ncontains %q", err, bad)
					}
				}
				if got != nil {
					t.Errorf("files = %v alongside the error, want none", rels(got))
				}
				return
			}
			if err != nil {
				t.Fatalf("Match: %v", err)
			}
			if !slices.Equal(rels(got), tt.want) {
				t.Errorf("files = %q, want %q", rels(got), tt.want)
			}
		})
	}
}

func TestMatchFileFields(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	makeTree(t, root, []node{{path: "dist/My App (x64).tar.gz"}})
	got, err := match(root, pats(root, "dist/*.gz#Linux build"), true)
	if err != nil {
		t.Fatal(err)
	}
	want := []File{{
		Path:        filepath.Join(root, "dist", "My App (x64).tar.gz"),
		Rel:         "dist/My App (x64).tar.gz",
		Name:        "My App (x64).tar.gz",
		StoredName:  "My.App.x64.tar.gz",
		Label:       "Linux build",
		Size:        int64(len("dist/My App (x64).tar.gz")),
		ContentType: "application/gzip",
		Identity:    identityAt(t, filepath.Join(root, "dist", "My App (x64).tar.gz")),
	}}
	if !slices.Equal(got, want) {
		t.Errorf("Match =\n%+v\nwant\n%+v", got, want)
	}
}

func TestMatchRelativeDir(t *testing.T) {
	t.Parallel()
	// The package's own directory is the test's working directory.
	got, err := match(".", pats("", "doc.go"), true)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || !filepath.IsAbs(got[0].Path) || got[0].Rel != "doc.go" {
		t.Errorf("Match(.) = %+v, want one file with an absolute Path and Rel doc.go", got)
	}
}

func TestMatchLabels(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		patterns []string
		want     map[string]string // Rel -> Label
	}{
		{
			name:     "labelled pattern first",
			patterns: []string{"dist/app.zip#Windows", "dist/*"},
			want:     map[string]string{"dist/app.zip": "Windows", "dist/app.tar.gz": ""},
		},
		{
			name:     "labelled pattern last",
			patterns: []string{"dist/*", "dist/app.zip#Windows"},
			want:     map[string]string{"dist/app.zip": "Windows", "dist/app.tar.gz": ""},
		},
		{
			name:     "same label twice",
			patterns: []string{"dist/app.zip#Windows", "dist/*.zip#Windows", "dist/app.tar.gz"},
			want:     map[string]string{"dist/app.zip": "Windows", "dist/app.tar.gz": ""},
		},
		{
			name:     "label kept verbatim",
			patterns: []string{"dist/*.gz#Linux (x86-64) ✓", "dist/app.zip"},
			want:     map[string]string{"dist/app.zip": "", "dist/app.tar.gz": "Linux (x86-64) ✓"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			root := t.TempDir()
			makeTree(t, root, []node{{path: "dist/app.zip"}, {path: "dist/app.tar.gz"}})
			files, err := match(root, pats(root, tt.patterns...), true)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]string{}
			for _, f := range files {
				got[f.Rel] = f.Label
			}
			if len(got) != len(tt.want) {
				t.Errorf("files = %v, want %v", got, tt.want)
			}
			for rel, label := range tt.want {
				if l, ok := got[rel]; !ok || l != label {
					t.Errorf("%s: label %q (present %t), want %q", rel, l, ok, label)
				}
			}
		})
	}
}

func TestMatchSymlinks(t *testing.T) {
	t.Parallel()
	tree := []node{
		{path: "dist/app.zip"},
		{path: "dist/notes.txt"},
		{path: "links/latest.zip", link: "../dist/app.zip"},
		{path: "links/broken.zip", link: "../dist/gone.zip"},
		{path: "links/dir", link: "../dist"},
		{path: "loop/self", link: "."},
		{path: "loop/up", link: ".."},
		{path: "loop/file.txt"},
		{path: "alias", link: "dist"},
	}
	tests := []struct {
		name     string
		patterns []string
		fail     bool
		want     []string
		errs     []string
	}{
		{
			name:     "link to a file counts under the link's name",
			patterns: []string{"links/*"},
			fail:     true,
			want:     []string{"links/latest.zip"},
		},
		{
			name:     "link and its target are two files",
			patterns: []string{"links/latest.zip", "dist/*.zip"},
			want:     []string{"dist/app.zip", "links/latest.zip"},
		},
		{
			name:     "doublestar does not enter linked directories or loop",
			patterns: []string{"loop/**", "links/**"},
			fail:     true,
			want:     []string{"loop/file.txt", "links/latest.zip"},
		},
		{
			name:     "doublestar from the top",
			patterns: []string{"**/*.txt"},
			want:     []string{"loop/file.txt", "dist/notes.txt"},
		},
		{
			name:     "wildcard does not enter a linked directory mid-pattern",
			patterns: []string{"links/*/*.zip"},
			want:     []string{},
		},
		{
			name:     "link named before the first wildcard is followed",
			patterns: []string{"alias/*.zip"},
			fail:     true,
			want:     []string{"alias/app.zip"},
		},
		{
			name:     "broken link found by a wildcard is skipped",
			patterns: []string{"links/*.zip"},
			fail:     true,
			want:     []string{"links/latest.zip"},
		},
		{
			name:     "broken link named literally",
			patterns: []string{"links/broken.zip"},
			errs:     []string{`pattern "links/broken.zip": links/broken.zip is a broken symbolic link`},
		},
		{
			name:     "link to a directory named literally",
			patterns: []string{"links/dir"},
			errs:     []string{`pattern "links/dir" is a directory; use links/dir/* or links/dir/**`},
		},
		{
			name:     "excluding the link keeps the target",
			patterns: []string{"**/*.zip", "!links/**"},
			want:     []string{"dist/app.zip"},
		},
	}
	root := t.TempDir()
	makeTree(t, root, tree)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := match(root, pats(root, tt.patterns...), tt.fail)
			if len(tt.errs) > 0 {
				if err == nil {
					t.Fatalf("Match = %v, want an error", rels(got))
				}
				for _, want := range tt.errs {
					if !strings.Contains(err.Error(), want) {
						t.Errorf("error\n%v\ndoes not contain %q", err, want)
					}
				}
				return
			}
			if err != nil {
				t.Fatalf("Match: %v", err)
			}
			if !slices.Equal(rels(got), tt.want) {
				t.Errorf("files = %q, want %q", rels(got), tt.want)
			}
		})
	}

	t.Run("link reports its target's size", func(t *testing.T) {
		t.Parallel()
		got, err := match(root, pats(root, "links/latest.zip"), true)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 {
			t.Fatalf("files = %q, want one", rels(got))
		}
		f := got[0]
		if f.Name != "latest.zip" || f.Path != filepath.Join(root, "links", "latest.zip") {
			t.Errorf("Name, Path = %q, %q; want the link's", f.Name, f.Path)
		}
		if want := int64(len("dist/app.zip")); f.Size != want {
			t.Errorf("Size = %d, want the target's %d", f.Size, want)
		}
	})
}

// TestMatchSpecialFiles covers files that exist but cannot be uploaded. A FIFO would
// block a reader forever, so it must be rejected without being opened; it behaves the
// same for every user, root included.
func TestMatchSpecialFiles(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	makeTree(t, root, []node{{path: "dist/app.zip"}})
	pipe := "dist/" + makeSpecial(t, filepath.Join(root, "dist"), "pipe")
	tests := []struct {
		name     string
		patterns []string
		want     []string
		errs     []string
	}{
		{
			name:     "fifo found by a wildcard is skipped",
			patterns: []string{"dist/*"},
			want:     []string{"dist/app.zip"},
		},
		{
			name:     "fifo named literally",
			patterns: []string{pipe},
			errs:     []string{`pattern "` + pipe + `": ` + pipe + ` is not a regular file`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := match(root, pats(root, tt.patterns...), true)
			if len(tt.errs) > 0 {
				if err == nil {
					t.Fatalf("Match = %v, want an error", rels(got))
				}
				for _, want := range tt.errs {
					if !strings.Contains(err.Error(), want) {
						t.Errorf("error\n%v\ndoes not contain %q", err, want)
					}
				}
				return
			}
			if err != nil {
				t.Fatalf("Match: %v", err)
			}
			if !slices.Equal(rels(got), tt.want) {
				t.Errorf("files = %q, want %q", rels(got), tt.want)
			}
		})
	}
}

// TestMatchUnreadable makes a file and a directory unreadable. Root reads them anyway,
// so there the test checks that instead, and the unreadable case every user meets is
// in TestMatchSpecialFiles.
func TestMatchUnreadable(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	makeTree(t, root, []node{{path: "dist/app.zip"}, {path: "dist/secret.bin"}, {path: "locked/inner.zip"}})
	secret := filepath.Join(root, "dist", "secret.bin")
	locked := filepath.Join(root, "locked")
	for _, p := range []string{secret, locked} {
		if err := os.Chmod(p, 0); err != nil {
			t.Fatal(err)
		}
	}
	// Let t.TempDir's cleanup remove the directory.
	t.Cleanup(func() { os.Chmod(locked, 0o755) })
	asRoot := os.Geteuid() == 0

	t.Run("file", func(t *testing.T) {
		t.Parallel()
		got, err := match(root, pats(root, "dist/*"), true)
		if asRoot {
			if err != nil || !slices.Equal(rels(got), []string{"dist/app.zip", "dist/secret.bin"}) {
				t.Errorf("as root: Match = %q, %v; want both files", rels(got), err)
			}
			return
		}
		if err == nil {
			t.Fatalf("Match = %q, want an error", rels(got))
		}
		if !strings.Contains(err.Error(), "dist/secret.bin is not readable") || !errors.Is(err, os.ErrPermission) {
			t.Errorf("error %q does not name dist/secret.bin as unreadable", err)
		}
	})
	t.Run("directory", func(t *testing.T) {
		t.Parallel()
		got, err := match(root, pats(root, "locked/**"), true)
		if asRoot {
			if err != nil || !slices.Equal(rels(got), []string{"locked/inner.zip"}) {
				t.Errorf("as root: Match = %q, %v; want locked/inner.zip", rels(got), err)
			}
			return
		}
		if err == nil {
			t.Fatalf("Match = %q, want an error", rels(got))
		}
		if !strings.Contains(err.Error(), `pattern "locked/**"`) || !errors.Is(err, os.ErrPermission) {
			t.Errorf("error %q does not name the pattern and the permission problem", err)
		}
	})
}

func TestMatchAllReportsUnmatchedPatterns(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	makeTree(t, root, release)
	ps := pats(root, "dist/*.zip", "dist/*.msi", "missing.txt", "!dist/*.sig")
	// The two patterns that found nothing are reported, in order; the exclude and
	// the pattern that matched are not.
	m, err := MatchAll(root, ps, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(m.Unmatched, ","); got != "dist/*.msi,missing.txt" {
		t.Errorf("Unmatched = %q", got)
	}
	if got := strings.Join(rels(m.Files), ","); got != "dist/app.zip" {
		t.Errorf("Files = %q", got)
	}
	// With FailOnUnmatched they are errors instead, and nothing is reported as a warning.
	m, err = MatchAll(root, ps, Options{FailOnUnmatched: true})
	if err == nil || !strings.Contains(err.Error(), `"dist/*.msi" matched no file`) || len(m.Unmatched) != 0 {
		t.Errorf("FailOnUnmatched: %+v, %v", m, err)
	}
}

// TestMatchRenames: "path => name" gives the asset its name, GitHub's renaming
// predicted on it (StoredName) and the content type taken from it; a pattern
// that gives a name may match one file only, counted after the exclusions; a
// file given two names is an error; a label comes with the name.
func TestMatchRenames(t *testing.T) {
	t.Parallel()
	tree := []node{{path: "dist/app-linux-amd64"}, {path: "dist/app-linux-arm64"}, {path: "dist/app.zip"}, {path: "dist/app.zip.sig"}}
	type want struct{ name, stored, label, ctype string }
	ok := []struct {
		name     string
		patterns []string
		want     map[string]want // Rel -> name, stored name, label, content type
	}{
		{
			name:     "one file renamed",
			patterns: []string{"dist/app-linux-amd64 => app_linux_amd64.tar.gz#Linux"},
			want:     map[string]want{"dist/app-linux-amd64": {"app_linux_amd64.tar.gz", "app_linux_amd64.tar.gz", "Linux", "application/gzip"}},
		},
		{
			name:     "GitHub's renaming predicted on the given name",
			patterns: []string{"dist/app.zip => my app (x64).zip"},
			want:     map[string]want{"dist/app.zip": {"my app (x64).zip", GitHubName("my app (x64).zip"), "", "application/zip"}},
		},
		{
			name:     "a wildcard that matches one file after the exclusions",
			patterns: []string{"dist/app.zip* => windows.zip", "!dist/*.sig"},
			want:     map[string]want{"dist/app.zip": {"windows.zip", "windows.zip", "", "application/zip"}},
		},
		{
			name:     "the name wins over a pattern without one",
			patterns: []string{"dist/app-linux-*", "dist/app-linux-arm64 => arm.bin"},
			want: map[string]want{
				"dist/app-linux-amd64": {"app-linux-amd64", "app-linux-amd64", "", ContentType("app-linux-amd64")},
				"dist/app-linux-arm64": {"arm.bin", "arm.bin", "", ContentType("arm.bin")},
			},
		},
	}
	for _, tt := range ok {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			root := t.TempDir()
			makeTree(t, root, tree)
			files, err := match(root, pats(root, tt.patterns...), true)
			if err != nil {
				t.Fatal(err)
			}
			if len(files) != len(tt.want) {
				t.Fatalf("files = %+v, want %v", files, tt.want)
			}
			for _, f := range files {
				w, ok := tt.want[f.Rel]
				if !ok {
					t.Fatalf("unexpected file %s", f.Rel)
				}
				got := want{f.Name, f.StoredName, f.Label, f.ContentType}
				if !strings.HasPrefix(got.ctype, w.ctype) {
					t.Errorf("%s: content type %q, want %q", f.Rel, got.ctype, w.ctype)
				}
				got.ctype = w.ctype
				if got != w {
					t.Errorf("%s: %+v, want %+v", f.Rel, got, w)
				}
			}
		})
	}
	bad := []struct {
		name     string
		patterns []string
		want     []string
	}{
		{"a name for several files", []string{"dist/app-linux-* => linux.bin"}, []string{`pattern "dist/app-linux-*" names one asset "linux.bin" but matches 2 files`, "dist/app-linux-amd64", "dist/app-linux-arm64"}},
		{"two names for one file", []string{"dist/app.zip => a.zip", "dist/*.zip => b.zip"}, []string{"dist/app.zip is given two names", `"a.zip"`, `"b.zip"`}},
		{"a name that another file has", []string{"dist/app-linux-amd64 => app.zip", "dist/app.zip"}, []string{`asset name "app.zip" would be used by`}},
		{"names GitHub stores alike", []string{"dist/app-linux-amd64 => a b.zip", "dist/app-linux-arm64 => a.b.zip"}, []string{`asset name "a.b.zip"`}},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			root := t.TempDir()
			makeTree(t, root, tree)
			files, err := match(root, pats(root, tt.patterns...), true)
			if err == nil {
				t.Fatalf("Match = %+v, want an error", files)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

// match is MatchAll with FailOnUnmatched alone set as given, returning the files.
func match(dir string, patterns []Pattern, failOnUnmatched bool) ([]File, error) {
	return matchWith(dir, patterns, Options{FailOnUnmatched: failOnUnmatched})
}

// matchWith is MatchAll returning the files.
func matchWith(dir string, patterns []Pattern, opts Options) ([]File, error) {
	m, err := MatchAll(dir, patterns, opts)
	return m.Files, err
}
