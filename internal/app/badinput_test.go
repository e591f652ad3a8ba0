package app_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/releasekit/release-action/internal/actiontest"
	"github.com/releasekit/release-action/internal/emulator"
)

// TestBadInput is the catalogue of bad input and hostile environments: each case
// must fail with a message naming the problem, exit non-zero, and change nothing on
// GitHub. Cases caught before the network must not send a single request.
func TestBadInput(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		in      map[string]string
		setup   func(h *actiontest.Harness)
		want    []string // all must appear in one ::error:: line each
		offline bool     // no request at all may be sent
	}{
		{name: "missing token", in: map[string]string{"INPUT_TOKEN": ""}, want: []string{`"token"`}, offline: true},
		{name: "malformed repository", in: map[string]string{"repository": "octo"}, want: []string{`"repository"`, "owner/name"}, offline: true},
		{name: "repository with three parts", in: map[string]string{"repository": "octo/demo/x"}, want: []string{`"repository"`}, offline: true},
		{name: "tag with spaces", in: map[string]string{"tag": "v1 0"}, want: []string{`"tag"`}, offline: true},
		{name: "tag with dot dot", in: map[string]string{"tag": "v1..0"}, want: []string{`"tag"`}, offline: true},
		{name: "no tag on a branch", in: map[string]string{"tag": "", "GITHUB_REF": "refs/heads/main"}, want: []string{`"tag"`}, offline: true},
		{name: "unknown make_latest", in: map[string]string{"make_latest": "maybe"}, want: []string{`"make_latest"`, "legacy"}, offline: true},
		{name: "non-boolean draft", in: map[string]string{"draft": "yes"}, want: []string{`"draft"`, "true or false"}, offline: true},
		{name: "non-boolean prerelease", in: map[string]string{"prerelease": "1"}, want: []string{`"prerelease"`}, offline: true},
		{name: "prerelease neither boolean nor auto", in: map[string]string{"prerelease": "semver"}, want: []string{`"prerelease"`, "auto"}, offline: true},
		{name: "make_latest true on an rc tag with prerelease auto", in: map[string]string{"tag": "v2.0.0-rc.1", "make_latest": "true", "prerelease": "auto"}, want: []string{`"make_latest"`, `"prerelease"`, "rc.1"}, offline: true},
		{name: "non-boolean overwrite", in: map[string]string{"overwrite": "nah"}, want: []string{`"overwrite"`}, offline: true},
		{name: "non-boolean fail_on_unmatched_files", in: map[string]string{"fail_on_unmatched_files": "maybe"}, want: []string{`"fail_on_unmatched_files"`}, offline: true},
		{name: "max_parallel 0", in: map[string]string{"max_parallel": "0"}, want: []string{`"max_parallel"`}, offline: true},
		{name: "max_parallel not a number", in: map[string]string{"max_parallel": "four"}, want: []string{`"max_parallel"`}, offline: true},
		{name: "missing body_path", in: map[string]string{"body_path": "nope.md"}, want: []string{`"body_path"`, "nope.md"}, offline: true},
		{name: "both body and body_path", in: map[string]string{"body": "x", "body_path": "notes.md"}, want: []string{`"body"`, `"body_path"`}, offline: true},
		{name: "no match with fail_on_unmatched_files", in: map[string]string{"files": "dist/*.nothing"}, want: []string{`"files"`, "dist/*.nothing"}, offline: true},
		{name: "missing working_directory", in: map[string]string{"working_directory": "/does/not/exist", "files": "*"}, want: []string{`"working_directory"`, "/does/not/exist"}, offline: true},
		{name: "a directory as a file", in: map[string]string{"files": "dist"}, want: []string{`"files"`, "directory"}, offline: true},
		{name: "a FIFO as a file", in: map[string]string{"files": special("pipe")}, setup: func(h *actiontest.Harness) {
			makeSpecial(t, h.WS, "pipe")
		}, want: []string{`"files"`, special("pipe")}, offline: true},
		{name: "a broken link as a file", in: map[string]string{"files": "gone.zip"}, setup: func(h *actiontest.Harness) {
			if err := os.Symlink(filepath.Join(h.WS, "missing-target"), filepath.Join(h.WS, "gone.zip")); err != nil {
				t.Fatal(err)
			}
		}, want: []string{`"files"`, "gone.zip"}, offline: true},
		{name: "unreadable directory under a wildcard", in: map[string]string{"files": "locked/**"}, setup: func(h *actiontest.Harness) {
			// Root reads any file, so unreadability comes from a directory loop
			// that is not a directory: a link to itself.
			if err := os.Symlink("locked", filepath.Join(h.WS, "locked")); err != nil {
				t.Fatal(err)
			}
		}, want: []string{`"files"`, "locked"}, offline: true},
		{name: "two files with one asset name", in: map[string]string{"files": "twins/*"}, setup: func(h *actiontest.Harness) {
			h.Write("twins/a b.txt", "1")
			h.Write("twins/a.b.txt", "2")
		}, want: []string{`"files"`, "a.b.txt", "twins/a b.txt"}, offline: true},
		{name: "invalid glob", in: map[string]string{"files": "dist/[abc"}, want: []string{`"files"`, "dist/[abc"}, offline: true},
		{name: "exclude with a label", in: map[string]string{"files": "dist/*\n!dist/x#label"}, want: []string{`"files"`}, offline: true},
		{name: "delete_other_assets without files", in: map[string]string{"delete_other_assets": "true", "files": ""}, want: []string{`"delete_other_assets"`}, offline: true},
		{name: "checksums with a path", in: map[string]string{"checksums": "dir/SUMS"}, want: []string{`"checksums"`}, offline: true},
		{name: "checksums named like an asset", in: map[string]string{"checksums": "app.zip", "files": "dist/*"}, want: []string{`"checksums"`, "dist/app.zip"}, offline: true},
		{name: "GITHUB_OUTPUT unset", in: map[string]string{"GITHUB_OUTPUT": ""}, want: []string{"GITHUB_OUTPUT"}, offline: true},
		{name: "invalid GITHUB_API_URL", in: map[string]string{"GITHUB_API_URL": "not a url"}, want: []string{"GITHUB_API_URL"}, offline: true},
		{name: "GITHUB_API_URL with another scheme", in: map[string]string{"GITHUB_API_URL": "ftp://127.0.0.1/"}, want: []string{"GITHUB_API_URL"}, offline: true},
		{name: "make_latest true on a draft", in: map[string]string{"make_latest": "true", "draft": "true"}, want: []string{`"make_latest"`}, offline: true},
		{name: "body_path a FIFO", in: map[string]string{"body_path": special("notes.fifo")}, setup: func(h *actiontest.Harness) {
			makeSpecial(t, h.WS, "notes.fifo")
		}, want: []string{`"body_path"`, special("notes.fifo"), "not a regular file"}, offline: true},
		{name: "body_from_changelog a FIFO", in: map[string]string{"tag": "v1.0.0", "body_from_changelog": special("CHANGELOG.fifo")}, setup: func(h *actiontest.Harness) {
			makeSpecial(h.T, h.WS, "CHANGELOG.fifo")
		}, want: []string{`"body_from_changelog"`, special("CHANGELOG.fifo"), "not a regular file"}, offline: true},
		{name: "body_path a directory", in: map[string]string{"body_path": "dist"}, want: []string{`"body_path"`, "not a regular file"}, offline: true},
		{name: "body_path huge", in: map[string]string{"body_path": "huge.md"}, setup: func(h *actiontest.Harness) {
			sparse(t, filepath.Join(h.WS, "huge.md"), 1<<40) // a terabyte: read whole, the test would never end
		}, want: []string{`"body_path"`, "more than the 125000 characters"}, offline: true},
		{name: "body_path one character too long", in: map[string]string{"body_path": "long.md"}, setup: func(h *actiontest.Harness) {
			h.Write("long.md", strings.Repeat("é", 125_001)) // 250,002 bytes: under the byte cap, over in characters
		}, want: []string{`"body_path"`, "125001 characters"}, offline: true},
		{name: "body_path not UTF-8", in: map[string]string{"body_path": "latin1.md"}, setup: func(h *actiontest.Harness) {
			h.Write("latin1.md", "caf\xe9")
		}, want: []string{`"body_path"`, "UTF-8"}, offline: true},
		{name: "body_path with a NUL byte", in: map[string]string{"body_path": "bin.md"}, setup: func(h *actiontest.Harness) {
			h.Write("bin.md", "notes\x00more")
		}, want: []string{`"body_path"`, "NUL"}, offline: true},
		{name: "body too long", in: map[string]string{"body": strings.Repeat("x", 125_001)}, want: []string{`"body"`, "125001 characters"}, offline: true},
		{name: "an empty file", in: map[string]string{"files": "dist/*"}, setup: func(h *actiontest.Harness) {
			h.Write("dist/empty.txt", "")
		}, want: []string{`"files"`, "dist/empty.txt", "empty"}, offline: true},
		{name: "a file of 2 GiB", in: map[string]string{"files": "dist/*"}, setup: func(h *actiontest.Harness) {
			sparse(t, filepath.Join(h.WS, "dist", "big.iso"), 2<<30)
		}, want: []string{`"files"`, "dist/big.iso", "under 2 GiB"}, offline: true},
		{name: "delete_other_assets when nothing matched", in: map[string]string{"files": "build/*.zip", "fail_on_unmatched_files": "false", "delete_other_assets": "true"}, want: []string{`"delete_other_assets"`, `"files"`, "matched no file"}, offline: true},
		{name: "tag given as a branch ref", in: map[string]string{"tag": "refs/heads/main"}, want: []string{`"tag"`, "refs/heads/main", "not a tag"}, offline: true},
		{name: "a link out of the working directory", in: map[string]string{"files": "dist/*"}, setup: func(h *actiontest.Harness) {
			secret := filepath.Join(t.TempDir(), "id_ed25519")
			if err := os.WriteFile(secret, []byte("key"), 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(secret, filepath.Join(h.WS, "dist", "key")); err != nil {
				t.Fatal(err)
			}
		}, want: []string{`"files"`, "dist/key", "follow_symlinks"}, offline: true},
		{name: "a name given for a pattern that matches two files", in: map[string]string{"files": "dist/*.zip => app.zip"}, setup: func(h *actiontest.Harness) {
			h.Write("dist/other.zip", "zip")
		}, want: []string{`"files"`, `names one asset "app.zip" but matches 2 files`}, offline: true},
		{name: "two entries that end in one name", in: map[string]string{"files": "dist/app.zip => a.zip\nnotes.md => a.zip"}, want: []string{`"files"`, `both name the asset "a.zip"`}, offline: true},
		{name: "an asset name that is a path", in: map[string]string{"files": "dist/app.zip => out/app.zip"}, want: []string{`"files"`, "path separator"}, offline: true},
		{name: "softprops input name", in: map[string]string{"tag_name": "v1.0.0"}, want: []string{`"tag_name"`, `use "tag"`}, offline: true},
		{name: "ncipollo input name", in: map[string]string{"INPUT_ARTIFACTS": "dist/*"}, want: []string{`"artifacts"`, `"files"`}, offline: true},
		{name: "typo in an input name", in: map[string]string{"max_paralel": "2"}, want: []string{`"max_paralel"`, `"max_parallel"`}, offline: true},
		{name: "GITHUB_OUTPUT a directory", in: map[string]string{"GITHUB_OUTPUT": "/"}, want: []string{"GITHUB_OUTPUT", "cannot be opened"}, offline: true},
		{name: "GITHUB_STEP_SUMMARY a FIFO", setup: func(h *actiontest.Harness) {
			makeSpecial(t, h.WS, "summary.fifo")
		}, in: map[string]string{"GITHUB_STEP_SUMMARY": "FIFO"}, want: []string{"GITHUB_STEP_SUMMARY"}, offline: true},
		{name: "GITHUB_STEP_SUMMARY in a missing directory", in: map[string]string{"GITHUB_STEP_SUMMARY": "/does/not/exist/summary"}, want: []string{"GITHUB_STEP_SUMMARY", "/does/not/exist/summary"}, offline: true},
		{name: "wrong GITHUB_TOKEN answered 401", in: map[string]string{"INPUT_TOKEN": "", "GITHUB_TOKEN": "ghs_wrong_token_value"}, want: []string{"401", "from GITHUB_TOKEN"}},
		{name: "wrong token answered 401", in: map[string]string{"INPUT_TOKEN": "ghs_wrong_token_value"}, want: []string{"401", "Bad credentials"}},
		{name: "read-only token answered 403", in: map[string]string{"INPUT_TOKEN": "ghs_read_only_token"}, want: []string{"403"}},
		{name: "repository that does not exist", in: map[string]string{"repository": "octo/nope"}, want: []string{"octo/nope", "does not exist"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			h := actiontest.New(t, actiontest.Config{Emulator: emulator.Options{ReadOnlyToken: "ghs_read_only_token"}})
			h.Write("dist/app.zip", "zip")
			h.Write("notes.md", "notes")
			if c.setup != nil {
				c.setup(h)
			}
			in := map[string]string{"tag": "v1.0.0", "files": "dist/*"}
			for k, v := range c.in {
				if v == "FIFO" {
					v = filepath.Join(h.WS, special("summary.fifo"))
				}
				in[k] = v
			}
			r := h.Run(in)
			if r.Code == 0 {
				t.Fatalf("exit 0, want a failure\n%s", r.Stdout)
			}
			var errs []string
			for _, l := range strings.Split(r.Stdout, "\n") {
				if strings.HasPrefix(l, "::error") {
					errs = append(errs, l)
				}
			}
			if len(errs) == 0 {
				t.Fatalf("no ::error:: annotation\n%s", r.Stdout)
			}
			for _, w := range c.want {
				if !strings.Contains(strings.Join(errs, "\n"), w) {
					t.Errorf("errors do not mention %s:\n%s", w, strings.Join(errs, "\n"))
				}
			}
			if n := h.Writes(); n != 0 && c.offline {
				t.Errorf("bad input sent %d write requests", n)
			}
			if n := len(h.Emu.Requests()); c.offline && n != 0 {
				t.Errorf("input caught locally, yet %d requests were sent", n)
			}
			if len(h.Emu.Releases(actiontest.Repo)) != 0 {
				t.Errorf("a release exists after a failed run")
			}
			if len(r.Outputs) != 0 {
				t.Errorf("a failed run wrote outputs: %v", r.Outputs)
			}
		})
	}
}

// TestBadInputReportsEveryProblemAtOnce: one run, several mistakes, all reported.
func TestBadInputReportsEveryProblemAtOnce(t *testing.T) {
	t.Parallel()
	h := actiontest.New(t, actiontest.Config{Emulator: emulator.Options{}})
	r := h.Run(map[string]string{"tag": "bad tag", "draft": "maybe", "max_parallel": "0", "make_latest": "sometimes", "files": "nothing/*", "body_path": "missing.md"})
	if r.Code == 0 {
		t.Fatal("exit 0")
	}
	// Input problems and the file problems of the valid inputs, together.
	for _, in := range []string{`"tag"`, `"draft"`, `"max_parallel"`, `"make_latest"`, `"files"`, `"body_path"`} {
		if !strings.Contains(r.Stdout, in) {
			t.Errorf("problem with %s not reported:\n%s", in, r.Stdout)
		}
	}
	if n := len(h.Emu.Requests()); n != 0 {
		t.Fatalf("%d requests sent", n)
	}
}

// sparse creates a file of size bytes that takes no room on disk.
func sparse(t *testing.T, path string, size int64) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := f.Truncate(size); err != nil {
		t.Fatal(err)
	}
}
