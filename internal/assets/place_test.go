package assets

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestMatchRefusesFilesFromElsewhere(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	work := filepath.Join(root, "work")
	outside := filepath.Join(root, "outside")
	makeTree(t, root, []node{
		{path: "outside/secret.txt"},
		{path: "outside/more/a.txt"},
		{path: "work/dist/app.zip"},
		{path: "work/dist/env", link: "/proc/self/environ"},
		{path: "work/dist/secret.txt", link: "../../outside/secret.txt"},
		{path: "work/dist/inside.zip", link: "app.zip"},
		{path: "work/alias", link: "../outside/more"},
	})
	cases := []struct {
		name     string
		patterns []string
		opts     Options
		want     []string // Rel of the files, when no error
		errs     []string // each must appear in the error
	}{
		{name: "wildcard finds a link into /proc", patterns: []string{"dist/*"},
			errs: []string{"dist/env resolves to /proc/", "under /proc", "dist/secret.txt resolves through a symbolic link to " + filepath.Join(outside, "secret.txt")}},
		{name: "literal link into /proc", patterns: []string{"dist/env"}, opts: Options{FollowOutside: true},
			errs: []string{"dist/env resolves to /proc/"}},
		{name: "a /proc path written out", patterns: []string{"/proc/self/status"}, opts: Options{FollowOutside: true},
			errs: []string{"under /proc"}},
		{name: "link out of the working directory", patterns: []string{"dist/secret.txt"}, opts: Options{OutsideHint: "set the input to allow it"},
			errs: []string{"dist/secret.txt resolves through a symbolic link to " + filepath.Join(outside, "secret.txt"), "outside the working directory " + work, "(set the input to allow it)"}},
		{name: "linked directory out of the working directory", patterns: []string{"alias/*"},
			errs: []string{"alias/a.txt resolves through a symbolic link to " + filepath.Join(outside, "more", "a.txt")}},
		{name: "following outside on purpose", patterns: []string{"dist/secret.txt", "alias/*"}, opts: Options{FollowOutside: true},
			want: []string{"alias/a.txt", "dist/secret.txt"}},
		{name: "links that stay inside are fine", patterns: []string{"dist/*.zip"},
			want: []string{"dist/app.zip", "dist/inside.zip"}},
		{name: "a path the user wrote outside is where they pointed", patterns: []string{"../outside/secret.txt"},
			want: []string{"../outside/secret.txt"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := matchWith(work, pats(root, tc.patterns...), tc.opts)
			if tc.errs == nil {
				if err != nil || strings.Join(rels(got), " ") != strings.Join(tc.want, " ") {
					t.Fatalf("got %v, %v; want %v", rels(got), err, tc.want)
				}
				return
			}
			if err == nil {
				t.Fatalf("got %v, want an error", rels(got))
			}
			for _, want := range tc.errs {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not say %q", err, want)
				}
			}
		})
	}
}

// The working directory reached through a link of its own is still inside itself.
func TestMatchWorkingDirectoryBehindALink(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	makeTree(t, root, []node{{path: "real/dist/a.zip"}, {path: "real/dist/b.zip", link: "a.zip"}, {path: "ws", link: "real"}})
	got, err := match(filepath.Join(root, "ws"), pats(root, "dist/*"), true)
	if err != nil || len(got) != 2 {
		t.Fatalf("got %v, %v; want both files", rels(got), err)
	}
}
