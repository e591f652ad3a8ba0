//go:build !windows

package packaging

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	testRepo  = "octo/release-action"
	testTag   = "v1.2.3"
	testToken = "ghs_secret-token-value"
)

// platforms are the six binaries, by the runner's names for the platform.
var platforms = []struct{ os, arch, asset string }{
	{"Linux", "X64", "release-action-linux-amd64"},
	{"Linux", "ARM64", "release-action-linux-arm64"},
	{"macOS", "X64", "release-action-darwin-amd64"},
	{"macOS", "ARM64", "release-action-darwin-arm64"},
	{"Windows", "X64", "release-action-windows-amd64.exe"},
	{"Windows", "ARM64", "release-action-windows-arm64.exe"},
}

// fakeRelease serves a release's assets like github.com does: the download URL
// redirects to a storage URL, which serves the bytes. It records every request.
type fakeRelease struct {
	mu       sync.Mutex
	assets   map[string][]byte
	requests []*http.Request
	hang     bool
}

func (f *fakeRelease) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.requests = append(f.requests, r.Clone(context.Background()))
	hang := f.hang
	f.mu.Unlock()
	if hang {
		<-r.Context().Done()
		return
	}
	if name, ok := strings.CutPrefix(r.URL.Path, "/"+testRepo+"/releases/download/"+testTag+"/"); ok {
		http.Redirect(w, r, "/storage/"+name, http.StatusFound)
		return
	}
	name, ok := strings.CutPrefix(r.URL.Path, "/storage/")
	f.mu.Lock()
	body, found := f.assets[name]
	f.mu.Unlock()
	if !ok || !found {
		http.NotFound(w, r)
		return
	}
	_, _ = w.Write(body)
}

// edit changes the release under its lock: the handler runs on the server's
// goroutines, which only a subprocess's request orders after the test's write.
func (f *fakeRelease) edit(change func(f *fakeRelease)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	change(f)
}

func (f *fakeRelease) seen() []*http.Request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.requests)
}

// installFixture is one run's world: the release, the action folder holding
// the checksum list, the tool cache and the output file.
type installFixture struct {
	release   *fakeRelease
	serverURL string
	actionDir string
	toolCache string
	env       map[string]string
	shell     string // runs install.sh; "" = bash, as action.yml does
}

// newInstallFixture builds six fake binaries, pins them with
// scripts/pin-binaries into the action folder, and serves them.
func newInstallFixture(t *testing.T) *installFixture {
	t.Helper()
	dist := t.TempDir()
	f := &installFixture{release: &fakeRelease{assets: map[string][]byte{}}, actionDir: t.TempDir(), toolCache: t.TempDir()}
	for _, p := range platforms {
		body := []byte("binary for " + p.asset + "\n")
		f.release.assets[p.asset] = body
		if err := os.WriteFile(filepath.Join(dist, p.asset), body, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command("bash", "../../scripts/pin-binaries", dist, testTag, filepath.Join(f.actionDir, "checksums.txt"))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("scripts/pin-binaries: %v\n%s", err, out)
	}
	srv := httptest.NewServer(f.release)
	t.Cleanup(srv.Close)
	f.serverURL = srv.URL
	home := t.TempDir()
	f.env = map[string]string{
		"PATH":               os.Getenv("PATH"),
		"HOME":               home, // no ~/.curlrc, no ~/.netrc of the machine
		"RUNNER_OS":          "Linux",
		"RUNNER_ARCH":        "X64",
		"RUNNER_TOOL_CACHE":  f.toolCache,
		"GITHUB_ACTION_PATH": f.actionDir,
		"GITHUB_SERVER_URL":  f.serverURL,
		"GITHUB_OUTPUT":      filepath.Join(t.TempDir(), "output"),
		"ACTION_REPOSITORY":  testRepo,
		"ACTION_REF":         "v1",
		// What a workflow has in its environment; none of it may be sent.
		"GITHUB_TOKEN": testToken,
		"INPUT_TOKEN":  testToken,
		"GH_TOKEN":     testToken,
	}
	return f
}

type installRun struct {
	code   int
	stdout string
	path   string // the step output "path"
}

func (f *installFixture) run(t *testing.T) installRun {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	shell := f.shell
	if shell == "" {
		shell = "bash"
	}
	cmd := exec.CommandContext(ctx, shell, "../../portable/install.sh")
	for k, v := range f.env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	r := installRun{stdout: out.String()}
	var exit *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exit) && exit.Exited():
		r.code = exit.ExitCode()
	default:
		t.Fatalf("install.sh: %v\n%s", err, r.stdout)
	}
	if b, err := os.ReadFile(f.env["GITHUB_OUTPUT"]); err == nil {
		for line := range strings.SplitSeq(string(b), "\n") {
			if p, ok := strings.CutPrefix(line, "path="); ok {
				r.path = p
			}
		}
	}
	assertNoToken(t, f.release.seen(), testToken)
	return r
}

// assertNoToken fails when any request carries token, in its URL or any
// header, or carries an Authorization header at all.
func assertNoToken(t *testing.T, reqs []*http.Request, token string) {
	t.Helper()
	for _, req := range reqs {
		if strings.Contains(req.URL.String(), token) {
			t.Errorf("request %s carries the token in its URL", req.URL)
		}
		for k, vs := range req.Header {
			for _, v := range vs {
				if strings.Contains(v, token) || k == "Authorization" {
					t.Errorf("request %s carries header %s: %q", req.URL, k, v)
				}
			}
		}
	}
}

func (f *installFixture) cached(asset, goosArch string) string {
	name := "release-action"
	if strings.HasSuffix(asset, ".exe") {
		name += ".exe"
	}
	return filepath.Join(f.toolCache, "release-action", testTag, goosArch, name)
}

// assertNothingCached fails when the tool cache holds any file.
func (f *installFixture) assertNothingCached(t *testing.T) {
	t.Helper()
	_ = filepath.WalkDir(f.toolCache, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			t.Errorf("the tool cache holds %s after a failed run", p)
		}
		return err
	})
}

func TestPortableInstallDownloadsAndVerifies(t *testing.T) {
	t.Parallel()
	for _, p := range platforms {
		t.Run(p.os+"-"+p.arch, func(t *testing.T) {
			t.Parallel()
			f := newInstallFixture(t)
			f.env["RUNNER_OS"], f.env["RUNNER_ARCH"] = p.os, p.arch
			r := f.run(t)
			if r.code != 0 {
				t.Fatalf("exit code %d\n%s", r.code, r.stdout)
			}
			goosArch := strings.TrimSuffix(strings.TrimPrefix(p.asset, "release-action-"), ".exe")
			want := f.cached(p.asset, goosArch)
			if r.path != want {
				t.Errorf("output path=%q, want %q", r.path, want)
			}
			got, err := os.ReadFile(want)
			if err != nil || !bytes.Equal(got, f.release.assets[p.asset]) {
				t.Errorf("cached binary %q (%v), want the release's %s", got, err, p.asset)
			}
			if info, err := os.Stat(want); err != nil || info.Mode().Perm()&0o111 == 0 {
				t.Errorf("cached binary is not executable: %v %v", info, err)
			}
			var paths []string
			for _, req := range f.release.seen() {
				paths = append(paths, req.URL.Path)
			}
			wantPaths := []string{"/" + testRepo + "/releases/download/" + testTag + "/" + p.asset, "/storage/" + p.asset}
			if strings.Join(paths, " ") != strings.Join(wantPaths, " ") {
				t.Errorf("requests %v, want %v (the release download, then its redirect)", paths, wantPaths)
			}
		})
	}
}

func TestPortableInstallUsesTheToolCache(t *testing.T) {
	t.Parallel()
	f := newInstallFixture(t)
	if r := f.run(t); r.code != 0 {
		t.Fatalf("first run: exit code %d\n%s", r.code, r.stdout)
	}
	before := len(f.release.seen())

	r := f.run(t)
	if r.code != 0 || r.path != f.cached("", "linux-amd64") {
		t.Fatalf("second run: exit code %d path %q\n%s", r.code, r.path, r.stdout)
	}
	if n := len(f.release.seen()) - before; n != 0 {
		t.Errorf("a cache hit made %d requests, want none", n)
	}
	if !strings.Contains(r.stdout, "from the tool cache") {
		t.Errorf("the log does not say the cached copy was used:\n%s", r.stdout)
	}

	// A local "uses: ./portable" has no action repository; the cache needs none.
	f.env["ACTION_REPOSITORY"] = ""
	if r := f.run(t); r.code != 0 || r.path != f.cached("", "linux-amd64") {
		t.Fatalf("cache hit without an action repository: exit code %d path %q\n%s", r.code, r.path, r.stdout)
	}
	f.env["ACTION_REPOSITORY"] = testRepo

	// A cached copy that no longer matches its pin is replaced, not run.
	bin := f.cached("", "linux-amd64")
	if err := os.WriteFile(bin, []byte("changed in the cache\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	r = f.run(t)
	if r.code != 0 || !strings.Contains(r.stdout, "::warning") {
		t.Fatalf("run with a changed cached copy: exit code %d, want 0 with a warning\n%s", r.code, r.stdout)
	}
	if got, _ := os.ReadFile(bin); !bytes.Equal(got, f.release.assets["release-action-linux-amd64"]) {
		t.Errorf("the changed cached copy was kept: %q", got)
	}
	if n := len(f.release.seen()) - before; n != 2 {
		t.Errorf("re-download made %d requests, want 2", n)
	}
}

func TestPortableInstallRefuses(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		edit     func(t *testing.T, f *installFixture)
		wantMsg  []string
		requests bool // whether the run may reach the server
	}{
		{
			name: "tampered binary",
			edit: func(_ *testing.T, f *installFixture) {
				f.release.edit(func(r *fakeRelease) { r.assets["release-action-linux-amd64"] = []byte("replaced after the release\n") })
			},
			wantMsg:  []string{"::error", "sha256", "pins", "not run"},
			requests: true,
		},
		{
			name: "missing binary",
			edit: func(_ *testing.T, f *installFixture) {
				f.release.edit(func(r *fakeRelease) { delete(r.assets, "release-action-linux-amd64") })
			},
			wantMsg:  []string{"::error", "has no asset release-action-linux-amd64", "404"},
			requests: true,
		},
		{
			name: "branch ref without checksum list",
			edit: func(t *testing.T, f *installFixture) {
				if err := os.Remove(filepath.Join(f.actionDir, "checksums.txt")); err != nil {
					t.Fatal(err)
				}
				f.env["ACTION_REF"] = "main"
			},
			wantMsg: []string{"::error", "ref 'main'", "no pinned binaries", "container action", "build the binary from source"},
		},
		{
			name: "no action repository to download from",
			edit: func(_ *testing.T, f *installFixture) {
				f.env["ACTION_REPOSITORY"] = ""
			},
			wantMsg: []string{"::error", "not owner/name, so there is no release to download release-action-linux-amd64 from"},
		},
		{
			name: "unsupported architecture",
			edit: func(_ *testing.T, f *installFixture) {
				f.env["RUNNER_ARCH"] = "X86"
			},
			wantMsg: []string{"::error", "runner.arch 'X86' is not supported"},
		},
		{
			name: "download over plain http from a host not named as loopback",
			edit: func(t *testing.T, f *installFixture) {
				// The fixture's own server, by its IPv4-mapped IPv6 address:
				// it would answer, but the script allows plain http only for
				// 127.0.0.1, [::1] and localhost, standing in for any other
				// host, which must be reached over https.
				u, err := url.Parse(f.serverURL)
				if err != nil {
					t.Fatal(err)
				}
				f.env["GITHUB_SERVER_URL"] = "http://[::ffff:127.0.0.1]:" + u.Port()
			},
			wantMsg: []string{"::error", "download of http://[::ffff:127.0.0.1]:", "failed (curl exit code 1,"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			f := newInstallFixture(t)
			c.edit(t, f)
			r := f.run(t)
			if r.code != 1 {
				t.Fatalf("exit code %d, want 1\n%s", r.code, r.stdout)
			}
			for _, m := range c.wantMsg {
				if !strings.Contains(r.stdout, m) {
					t.Errorf("output does not say %q:\n%s", m, r.stdout)
				}
			}
			if r.path != "" {
				t.Errorf("a refused run set output path=%q", r.path)
			}
			if n := len(f.release.seen()); !c.requests && n != 0 {
				t.Errorf("%d requests reached the server, want none", n)
			}
			f.assertNothingCached(t)
		})
	}
}

// TestPortableInstallBoundsTheDownload serves a download that never answers:
// curl's --max-time must end it, and the script must say what happened.
func TestPortableInstallBoundsTheDownload(t *testing.T) {
	t.Parallel()
	f := newInstallFixture(t)
	f.release.edit(func(r *fakeRelease) { r.hang = true })
	f.env["RELEASE_ACTION_MAX_TIME"] = "1"
	r := f.run(t)
	if r.code != 1 || !strings.Contains(r.stdout, "curl exit code 28") {
		t.Fatalf("exit code %d, want 1 naming curl's timeout (exit code 28)\n%s", r.code, r.stdout)
	}
	f.assertNothingCached(t)
}

// checkChecksumList returns what is wrong with a checksum list: it must name
// a tag and pin exactly the six binaries, each with a sha256.
func checkChecksumList(list string) error {
	var tag string
	pinned := map[string]bool{}
	line := regexp.MustCompile(`^([0-9a-f]{64})  (\S+)$`)
	for i, l := range strings.Split(strings.TrimSuffix(list, "\n"), "\n") {
		switch m := line.FindStringSubmatch(l); {
		case strings.HasPrefix(l, "# tag: "):
			tag = strings.TrimPrefix(l, "# tag: ")
		case strings.HasPrefix(l, "#"):
		case m == nil:
			return fmt.Errorf("line %d: %q is neither a comment nor HASH  NAME", i+1, l)
		case pinned[m[2]]:
			return fmt.Errorf("line %d: %s is pinned twice", i+1, m[2])
		default:
			pinned[m[2]] = true
		}
	}
	if tag == "" {
		return errors.New("no # tag: line")
	}
	for _, p := range platforms {
		if !pinned[p.asset] {
			return fmt.Errorf("%s is not pinned", p.asset)
		}
		delete(pinned, p.asset)
	}
	if len(pinned) > 0 {
		return fmt.Errorf("unknown names pinned: %v", pinned)
	}
	return nil
}

// TestPortableChecksumList checks the list a release commit carries (a branch
// has none) and the list scripts/pin-binaries writes, and that the checker
// rejects broken lists.
func TestPortableChecksumList(t *testing.T) {
	t.Parallel()
	if b, err := os.ReadFile("../../portable/checksums.txt"); err == nil {
		if err := checkChecksumList(string(b)); err != nil {
			t.Errorf("portable/checksums.txt: %v", err)
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}

	f := newInstallFixture(t)
	b, err := os.ReadFile(filepath.Join(f.actionDir, "checksums.txt"))
	if err != nil {
		t.Fatal(err)
	}
	good := string(b)
	if err := checkChecksumList(good); err != nil {
		t.Fatalf("the list scripts/pin-binaries wrote: %v\n%s", err, good)
	}
	first := regexp.MustCompile(`(?m)^[0-9a-f]{64}  release-action-darwin-amd64\n`)
	for name, bad := range map[string]string{
		"no tag":        strings.Replace(good, "# tag: "+testTag, "#", 1),
		"one missing":   first.ReplaceAllString(good, ""),
		"short hash":    regexp.MustCompile(`(?m)^[0-9a-f]{8}`).ReplaceAllString(good, "abc"),
		"extra binary":  good + strings.Repeat("0", 64) + "  release-action-freebsd-amd64\n",
		"pinned twice":  good + first.FindString(good),
		"not sha256sum": good + "garbage\n",
	} {
		if err := checkChecksumList(bad); err == nil {
			t.Errorf("%s: the checker accepts\n%s", name, bad)
		}
	}

	// pin-binaries refuses a directory missing a binary.
	dist := t.TempDir()
	cmd := exec.Command("bash", "../../scripts/pin-binaries", dist, testTag, filepath.Join(t.TempDir(), "list"))
	if out, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(out), "is missing or empty") {
		t.Errorf("pin-binaries with no binaries: %v\n%s", err, out)
	}
}
