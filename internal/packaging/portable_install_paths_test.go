//go:build !windows

package packaging

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// install.sh is plain POSIX sh: macOS still ships bash 3.2 as /bin/bash, and a
// bashism there fails on real runners only. It runs under every POSIX shell
// found here (dash is Debian's sh), not just a modern bash.
func TestPortableInstallRunsUnderPOSIXShells(t *testing.T) {
	t.Parallel()
	shells := []string{"sh", "dash", "bash"}
	ran := 0
	for _, sh := range shells {
		if _, err := exec.LookPath(sh); err != nil {
			continue
		}
		ran++
		t.Run(sh, func(t *testing.T) {
			t.Parallel()
			f := newInstallFixture(t)
			f.shell = sh
			f.env["RUNNER_OS"], f.env["RUNNER_ARCH"] = "macOS", "ARM64"
			want := f.cached("release-action-darwin-arm64", "darwin-arm64")
			if r := f.run(t); r.code != 0 || r.path != want {
				t.Fatalf("download: exit code %d, path %q; want 0, %q\n%s", r.code, r.path, want, r.stdout)
			}
			if r := f.run(t); r.code != 0 || !strings.Contains(r.stdout, "from the tool cache") {
				t.Fatalf("cache hit: exit code %d\n%s", r.code, r.stdout)
			}
			// The list's parsing: a CRLF list, and a pin that is not the asset's.
			list := filepath.Join(f.actionDir, "checksums.txt")
			b, err := os.ReadFile(list)
			if err != nil {
				t.Fatal(err)
			}
			crlf := strings.ReplaceAll(string(b), "\n", "\r\n")
			if err := os.WriteFile(list, []byte(crlf), 0o644); err != nil {
				t.Fatal(err)
			}
			if r := f.run(t); r.code != 0 || r.path != want {
				t.Fatalf("CRLF list: exit code %d, path %q\n%s", r.code, r.path, r.stdout)
			}
			f.env["RUNNER_ARCH"] = "X86"
			if r := f.run(t); r.code != 1 || !strings.Contains(r.stdout, "runner.arch 'X86' is not supported") {
				t.Fatalf("refusal: exit code %d\n%s", r.code, r.stdout)
			}
		})
	}
	if ran == 0 {
		t.Fatal("no POSIX shell found")
	}
}

// fakeTools writes shell scripts standing in for tools into a directory put
// first on the fixture's PATH.
func fakeTools(t *testing.T, f *installFixture, tools map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range tools {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("#!/bin/sh\n"+body), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	f.env["PATH"] = dir + string(os.PathListSeparator) + f.env["PATH"]
	return dir
}

// Windows paths from the runner (C:\...) are read through cygpath in Git Bash,
// through wslpath in WSL's bash, and without either the run stops and says
// what is missing.
func TestPortableInstallReadsWindowsPaths(t *testing.T) {
	t.Parallel()
	for _, tool := range []string{"cygpath", "wslpath"} {
		t.Run(tool, func(t *testing.T) {
			t.Parallel()
			f := newInstallFixture(t)
			root := t.TempDir() // stands for drive C:
			calls := filepath.Join(t.TempDir(), "calls")
			// Maps C:\a\b to ROOT/a/b, as the real tools map it to /c/a/b or /mnt/c/a/b.
			fakeTools(t, f, map[string]string{tool: `[ "$1" = -u ] || exit 2
printf '%s\n' "$2" >>'` + calls + `'
printf '%s\n' "$2" | sed -e 's|^[Cc]:|` + root + `|' -e 's|\\|/|g'
`})
			for _, d := range []string{"action", "cache", "out"} {
				if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
					t.Fatal(err)
				}
			}
			b, err := os.ReadFile(filepath.Join(f.actionDir, "checksums.txt"))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(root, "action", "checksums.txt"), b, 0o644); err != nil {
				t.Fatal(err)
			}
			f.env["RUNNER_OS"] = "Windows"
			f.env["GITHUB_ACTION_PATH"] = `C:\action`
			f.env["RUNNER_TOOL_CACHE"] = `C:\cache`
			f.env["GITHUB_OUTPUT"] = `C:\out\output`
			r := f.run(t)
			if r.code != 0 {
				t.Fatalf("exit code %d\n%s", r.code, r.stdout)
			}
			out, err := os.ReadFile(filepath.Join(root, "out", "output"))
			want := filepath.Join(root, "cache", "release-action", testTag, "windows-amd64", "release-action.exe")
			if err != nil || strings.TrimSpace(string(out)) != "path="+want {
				t.Errorf("output file holds %q (%v), want path=%s", out, err, want)
			}
			if got, err := os.ReadFile(want); err != nil || !bytes.Equal(got, f.release.assets["release-action-windows-amd64.exe"]) {
				t.Errorf("cached binary %q (%v)", got, err)
			}
			if c, _ := os.ReadFile(calls); strings.Count(string(c), "\n") != 3 {
				t.Errorf("%s called for %q, want the action path, the output and the tool cache", tool, c)
			}
		})
	}
	t.Run("neither", func(t *testing.T) {
		t.Parallel()
		for _, tool := range []string{"cygpath", "wslpath"} {
			if p, err := exec.LookPath(tool); err == nil {
				t.Fatalf("%s is on this machine's PATH (%s): the case without it cannot be made here", tool, p)
			}
		}
		f := newInstallFixture(t)
		f.env["RUNNER_OS"] = "Windows"
		f.env["GITHUB_ACTION_PATH"] = `Q:\no\such\drive`
		r := f.run(t)
		for _, m := range []string{"::error", `cannot read the Windows path 'Q:\no\such\drive'`, "neither cygpath (Git Bash) nor wslpath (WSL)", "/q or /mnt/q", "Git for Windows"} {
			if r.code != 1 || !strings.Contains(r.stdout, m) {
				t.Errorf("exit code %d, want 1 and %q:\n%s", r.code, m, r.stdout)
			}
		}
		if len(f.release.seen()) != 0 {
			t.Error("a run that cannot read its paths reached the server")
		}
	})
}

// On Windows a binary that runs (another job) or that a virus scanner holds
// cannot be replaced. A fake mv stands for that: it fails while told to.
func TestPortableInstallWaitsForABusyBinary(t *testing.T) {
	t.Parallel()
	realMv, err := exec.LookPath("mv")
	if err != nil {
		t.Fatal(err)
	}
	// busyMv fails its first FAILS calls; with WINNER set, it first puts that
	// file where the binary goes, as another job that got there first would.
	busyMv := func(f *installFixture, fails int, winner string) {
		count := filepath.Join(t.TempDir(), "count")
		fakeTools(t, f, map[string]string{"mv": `n=$(cat '` + count + `' 2>/dev/null || echo 0)
echo $((n + 1)) >'` + count + `'
if [ "$n" -lt ` + strconv.Itoa(fails) + ` ]; then
	for last; do :; done
	if [ -n '` + winner + `' ]; then cp '` + winner + `' "$last"; fi
	echo "mv: cannot move: Device or resource busy" >&2
	exit 1
fi
exec '` + realMv + `' "$@"
`})
	}
	t.Run("free again within the bound", func(t *testing.T) {
		t.Parallel()
		f := newInstallFixture(t)
		busyMv(f, 2, "")
		f.env["RELEASE_ACTION_REPLACE_WAIT"] = "10"
		r := f.run(t)
		if r.code != 0 || r.path != f.cached("", "linux-amd64") || !strings.Contains(r.stdout, "is busy; retrying for up to 10s") {
			t.Fatalf("exit code %d, path %q; want 0 after retries\n%s", r.code, r.path, r.stdout)
		}
		if got, _ := os.ReadFile(r.path); !bytes.Equal(got, f.release.assets["release-action-linux-amd64"]) {
			t.Errorf("cached binary %q", got)
		}
	})
	t.Run("already the pinned binary", func(t *testing.T) {
		t.Parallel()
		f := newInstallFixture(t)
		winner := filepath.Join(t.TempDir(), "winner")
		if err := os.WriteFile(winner, f.release.assets["release-action-linux-amd64"], 0o755); err != nil {
			t.Fatal(err)
		}
		busyMv(f, 1000, winner)
		start := time.Now()
		r := f.run(t)
		if r.code != 0 || r.path != f.cached("", "linux-amd64") || !strings.Contains(r.stdout, "already the pinned binary") {
			t.Fatalf("exit code %d, path %q; want the other job's copy used\n%s", r.code, r.path, r.stdout)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("took %v; a pinned copy in place needs no wait", d)
		}
		leftovers(t, f)
	})
	t.Run("busy past the bound", func(t *testing.T) {
		t.Parallel()
		f := newInstallFixture(t)
		busyMv(f, 1000, "")
		f.env["RELEASE_ACTION_REPLACE_WAIT"] = "2"
		start := time.Now()
		r := f.run(t)
		if r.code != 1 || !strings.Contains(r.stdout, "cannot replace") || !strings.Contains(r.stdout, "busy for 2s") ||
			!strings.Contains(r.stdout, "RELEASE_ACTION_REPLACE_WAIT") || r.path != "" {
			t.Fatalf("exit code %d, path %q; want 1 naming the busy binary\n%s", r.code, r.path, r.stdout)
		}
		if d := time.Since(start); d > 15*time.Second {
			t.Errorf("took %v for a 2 s bound", d)
		}
		f.assertNothingCached(t)
	})
	t.Run("bad bound", func(t *testing.T) {
		t.Parallel()
		f := newInstallFixture(t)
		busyMv(f, 1, "")
		f.env["RELEASE_ACTION_REPLACE_WAIT"] = "soon"
		if r := f.run(t); r.code != 1 || !strings.Contains(r.stdout, "RELEASE_ACTION_REPLACE_WAIT is 'soon'") {
			t.Fatalf("exit code %d\n%s", r.code, r.stdout)
		}
		f.assertNothingCached(t)
	})
}

// leftovers fails when the cache directory holds anything but the binary.
func leftovers(t *testing.T, f *installFixture) {
	t.Helper()
	dir := filepath.Dir(f.cached("", "linux-amd64"))
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if e.Name() != "release-action" {
			t.Errorf("left in the cache: %s", e.Name())
		}
	}
}
