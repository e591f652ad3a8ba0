package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/releasekit/release-action/internal/emulator"
	"github.com/releasekit/release-action/internal/testutil"
)

// The binaries under test, built once by TestMain: the emulator and release-action.
var emulatorBin, actionBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "emulator-cmd-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	emulatorBin, actionBin = filepath.Join(dir, "emulator"), filepath.Join(dir, "release-action")
	for bin, pkg := range map[string]string{emulatorBin: ".", actionBin: "../.."} {
		if out, err := exec.Command("go", "build", "-o", bin, pkg).CombinedOutput(); err != nil {
			fmt.Fprintf(os.Stderr, "go build %s: %v\n%s", pkg, err, out)
			os.Exit(1)
		}
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// terminalEnv is the test's environment as a terminal would have it: no workflow
// variables, no token, nothing that points at GitHub.
func terminalEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "GITHUB_") || strings.HasPrefix(k, "INPUT_") || strings.HasPrefix(k, "RUNNER_") || k == "GH_TOKEN" {
			continue
		}
		env = append(env, kv)
	}
	return env
}

// running is an emulator subprocess that has printed its setup.
type running struct {
	cmd     *exec.Cmd
	exports string // the export lines, as printed on stdout
	vars    map[string]string
	stderr  *testutil.SyncBuffer
	exited  chan error
}

var exportLine = regexp.MustCompile(`^export ([A-Z_]+)=(\S+)$`)

// exportCount is how many export lines the emulator prints: the four that
// point the tool at it, then the runner's variables for the emulated job.
func exportCount() int {
	n := 4
	for k := range (emulator.Workflow{Repository: "o/r"}).Env("http://x") {
		if k != "GITHUB_REPOSITORY" {
			n++
		}
	}
	return n
}

// start runs the emulator and waits for all its export lines.
func start(t *testing.T, args ...string) *running {
	t.Helper()
	cmd := exec.Command(emulatorBin, args...)
	cmd.Env = terminalEnv()
	r := &running{cmd: cmd, vars: map[string]string{}, stderr: &testutil.SyncBuffer{}, exited: make(chan error, 1)}
	cmd.Stderr = r.stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
		r.exited <- cmd.Wait()
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		for range lines {
		}
	})
	timeout := time.After(30 * time.Second)
	for len(r.vars) < exportCount() {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("emulator exited before printing its exports; stdout so far:\n%s\nstderr:\n%s", r.exports, r.stderr)
			}
			m := exportLine.FindStringSubmatch(l)
			if m == nil {
				t.Fatalf("stdout line %q is not an export line", l)
			}
			r.vars[m[1]] = strings.TrimSuffix(strings.TrimPrefix(m[2], "'"), "'") // shellQuote's quotes; no value holds one
			r.exports += l + "\n"
		case <-timeout:
			t.Fatalf("no exports after 30s; stderr:\n%s", r.stderr)
		}
	}
	go func() {
		for range lines { // nothing more is expected on stdout; keep the pipe drained
		}
	}()
	return r
}

// example is the command line the emulator suggests on stderr.
func (r *running) example(t *testing.T) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		for _, l := range strings.Split(r.stderr.String(), "\n") {
			if cmd, ok := strings.CutPrefix(l, "  go run . "); ok {
				return cmd
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no example command on stderr:\n%s", r.stderr)
	return ""
}

// waitStderr waits until the emulator's stderr holds want.
func (r *running) waitStderr(t *testing.T, want string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(r.stderr.String(), want) {
		if time.Now().After(deadline) {
			t.Fatalf("stderr lacks %q:\n%s", want, r.stderr)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// tool runs release-action the way a person would after pasting the exports: a
// shell evaluates the printed lines, then runs the suggested command line (with
// the built binary in place of `go run .`), from the repository's root.
func (r *running) tool(t *testing.T, exports, args string) (string, error) {
	t.Helper()
	cmd := exec.Command("bash", "-c", exports+"\nexec \"$TOOL\" "+args)
	cmd.Env = append(terminalEnv(), "TOOL="+actionBin)
	cmd.Dir = "../.."
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// get calls the emulator's API with the exported URL and token.
func (r *running) get(t *testing.T, path string, into any) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, r.vars["GITHUB_API_URL"]+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+r.vars["GITHUB_TOKEN"])
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if into != nil && res.StatusCode == http.StatusOK {
		if err := json.NewDecoder(res.Body).Decode(into); err != nil {
			t.Fatal(err)
		}
	}
	return res.StatusCode
}

func TestPrintedExportsPointTheToolAtTheEmulator(t *testing.T) {
	t.Parallel()
	readme, err := os.Stat("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, layout := range []string{"dotcom", "ghes"} {
		t.Run(layout, func(t *testing.T) {
			t.Parallel()
			r := start(t, "--addr", "127.0.0.1:0", "--layout", layout, "--repo", "acme/widget", "--tag", "v2.0.0")
			if !strings.HasPrefix(r.vars["GITHUB_API_URL"], "http://127.0.0.1:") || r.vars["GITHUB_REPOSITORY"] != "acme/widget" {
				t.Fatalf("exports:\n%s", r.exports)
			}
			example := r.example(t)
			if !strings.Contains(example, "--tag v2.0.0") {
				t.Fatalf("example %q does not use the seeded tag", example)
			}

			out, err := r.tool(t, r.exports, example+" --dry-run")
			if err != nil {
				t.Fatalf("dry run: %v\n%s", err, out)
			}
			var rels []map[string]any
			if code := r.get(t, "/repos/acme/widget/releases", &rels); code != http.StatusOK || len(rels) != 0 {
				t.Fatalf("after the dry run: status %d, %d releases", code, len(rels))
			}

			out, err = r.tool(t, r.exports, example)
			if err != nil {
				t.Fatalf("publish: %v\n%s", err, out)
			}
			var rel struct {
				Draft  bool `json:"draft"`
				Assets []struct {
					Name string `json:"name"`
					Size int64  `json:"size"`
				} `json:"assets"`
			}
			if code := r.get(t, "/repos/acme/widget/releases/tags/v2.0.0", &rel); code != http.StatusOK {
				t.Fatalf("get the release: status %d; tool output:\n%s", code, out)
			}
			if rel.Draft || len(rel.Assets) != 1 || rel.Assets[0].Name != "README.md" || rel.Assets[0].Size != readme.Size() {
				t.Fatalf("release %+v, want published with README.md of %d bytes", rel, readme.Size())
			}
			r.waitStderr(t, "/repos/acme/widget/releases 201\n") // the request log shows the create
		})
	}
}

func TestPrintedTokenIsTheOneChecked(t *testing.T) {
	t.Parallel()
	r := start(t, "--addr", "127.0.0.1:0")
	wrong := strings.Replace(r.exports, "GITHUB_TOKEN="+r.vars["GITHUB_TOKEN"], "GITHUB_TOKEN=not-the-token", 1)
	if wrong == r.exports {
		t.Fatalf("no token line in:\n%s", r.exports)
	}
	if out, err := r.tool(t, wrong, r.example(t)); err == nil {
		t.Fatalf("a wrong token was accepted:\n%s", out)
	}
	if out, err := r.tool(t, r.exports, r.example(t)+" --dry-run"); err != nil {
		t.Fatalf("the printed token was refused: %v\n%s", err, out)
	}
}

func TestQuietLogsNoRequests(t *testing.T) {
	t.Parallel()
	r := start(t, "--addr", "127.0.0.1:0", "--quiet")
	if out, err := r.tool(t, r.exports, r.example(t)+" --dry-run"); err != nil {
		t.Fatalf("dry run: %v\n%s", err, out)
	}
	if err := r.cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	<-r.exited
	if strings.Contains(r.stderr.String(), "emulator: GET ") {
		t.Errorf("--quiet logged requests:\n%s", r.stderr)
	}
}

func TestInterruptStopsCleanly(t *testing.T) {
	t.Parallel()
	r := start(t, "--addr", "127.0.0.1:0")
	if err := r.cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-r.exited:
		if err != nil {
			t.Fatalf("exit after Ctrl-C: %v\n%s", err, r.stderr)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("still running 10s after SIGINT")
	}
	if !strings.HasSuffix(r.stderr.String(), "emulator: stopped\n") {
		t.Errorf("stderr does not end with the stop line:\n%s", r.stderr)
	}
	if _, err := net.DialTimeout("tcp", strings.TrimPrefix(r.vars["GITHUB_SERVER_URL"], "http://"), time.Second); err == nil {
		t.Error("the port still answers after the emulator stopped")
	}
}

// runToEnd runs the emulator to completion.
func runToEnd(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(emulatorBin, args...)
	cmd.Env = terminalEnv()
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		code = exit.ExitCode()
	case err != nil:
		t.Fatal(err)
	}
	return o.String(), e.String(), code
}

func TestHelpExitsZero(t *testing.T) {
	t.Parallel()
	for _, arg := range []string{"--help", "-h"} {
		stdout, stderr, code := runToEnd(t, arg)
		if code != 0 || stderr != "" {
			t.Fatalf("%s: exit %d, stderr %q", arg, code, stderr)
		}
		for _, want := range []string{"Usage: go run ./cmd/emulator", "--addr STRING", "--allow-non-loopback", DefaultAddr, "go run . --tag"} {
			if !strings.Contains(stdout, want) {
				t.Errorf("%s: usage lacks %q:\n%s", arg, want, stdout)
			}
		}
	}
}

func TestBadFlagsExitTwoWithOneLine(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown flag", []string{"--bogus"}, "unknown flag --bogus"},
		{"layout", []string{"--layout", "gitlab"}, "--layout must be dotcom or ghes"},
		{"repo", []string{"--repo", "nodash"}, `--repo "nodash" is not owner/name`},
		{"all interfaces", []string{"--addr", "0.0.0.0:0"}, "not a loopback address"},
		{"empty host", []string{"--addr", ":0"}, "not a loopback address"},
		{"host name", []string{"--addr", "example.com:0"}, "not a loopback address"},
		{"no port", []string{"--addr", "127.0.0.1"}, "is not HOST:PORT"},
		{"argument", []string{"serve"}, `unexpected argument "serve"`},
		{"hour window without writes", []string{"--hour-window", "1h", "--hour-allow", "0"}, "want a positive window and at least 1 write"},
		{"negative hour window", []string{"--hour-window", "-1h"}, "want a positive window"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			stdout, stderr, code := runToEnd(t, tc.args...)
			if code != 2 || stdout != "" {
				t.Fatalf("exit %d, stdout %q", code, stdout)
			}
			if strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, tc.want) || !strings.HasSuffix(stderr, "(see --help)\n") {
				t.Errorf("stderr %q, want one line with %q and a pointer to --help", stderr, tc.want)
			}
		})
	}
}

func TestBusyPortExitsOne(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	stdout, stderr, code := runToEnd(t, "--addr", ln.Addr().String())
	if code != 1 || stdout != "" {
		t.Fatalf("exit %d, stdout %q", code, stdout)
	}
	if !strings.Contains(stderr, "--addr 127.0.0.1:0") {
		t.Errorf("stderr %q does not say how to pick a free port", stderr)
	}
}

func TestCheckAddr(t *testing.T) {
	t.Parallel()
	tests := []struct {
		addr  string
		allow bool
		ok    bool
	}{
		{DefaultAddr, false, true},
		{"127.0.0.1:0", false, true},
		{"127.8.9.10:0", false, true},
		{"[::1]:0", false, true},
		{"localhost:0", false, true},
		{"0.0.0.0:8080", false, false},
		{"[::]:8080", false, false},
		{"192.0.2.1:8080", false, false},
		{"0.0.0.0:8080", true, true},
		{":8080", true, true},
	}
	for _, tc := range tests {
		if err := checkAddr(tc.addr, tc.allow); (err == nil) != tc.ok {
			t.Errorf("checkAddr(%q, %v) = %v, want ok %v", tc.addr, tc.allow, err, tc.ok)
		}
	}
}

func TestDefaultsAreAFixedLoopbackPortAndToken(t *testing.T) {
	t.Parallel()
	cfg, err := parse(nil, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	host, port, _ := net.SplitHostPort(cfg.addr)
	if host != "127.0.0.1" || port == "0" || port == "" {
		t.Errorf("default address %q, want 127.0.0.1 on a fixed port", cfg.addr)
	}
	got := exports(cfg, "http://"+cfg.addr, map[string]string{"GITHUB_REPOSITORY": "ignored/dup", "Z_LAST": "z", "A_FIRST": "a b"})
	want := "export GITHUB_API_URL=http://127.0.0.1:8484\nexport GITHUB_SERVER_URL=http://127.0.0.1:8484\n" +
		"export GITHUB_REPOSITORY=octo/demo\nexport GITHUB_TOKEN=emulator-token\n" +
		"export A_FIRST='a b'\nexport Z_LAST=z\n"
	if got != want {
		t.Errorf("exports:\n%s\nwant:\n%s", got, want)
	}
}

func TestShellQuote(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"octo/demo":          "octo/demo",
		"http://[::1]:80":    "'http://[::1]:80'",
		"a token":            "'a token'",
		"it's":               `'it'\''s'`,
		"$(rm -rf ~)":        "'$(rm -rf ~)'",
		"":                   "''",
		"v1.0.0-rc.1+build5": "v1.0.0-rc.1+build5",
	} {
		if got := shellQuote(in); got != want {
			t.Errorf("shellQuote(%q) = %s, want %s", in, got, want)
		}
	}
}
