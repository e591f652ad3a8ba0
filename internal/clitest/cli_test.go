package clitest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/releasekit/release-action/internal/actiontest"
	"github.com/releasekit/release-action/internal/emulator"
	"github.com/releasekit/release-action/internal/publish"
)

// bin is the release-action binary, built once by TestMain.
var bin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "clitest")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	bin = filepath.Join(dir, "release-action")
	// RELEASE_ACTION_BIN names a binary built elsewhere: scripts/wine-test
	// passes the Windows build, since no Go toolchain runs under Wine.
	if prebuilt := os.Getenv("RELEASE_ACTION_BIN"); prebuilt != "" {
		bin = prebuilt
	} else if out, err := exec.Command("go", "build", "-o", bin, "../..").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "go build: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// shellEnv is the environment of a shell pointed at the emulator: no workflow
// variables, the token in GITHUB_TOKEN.
func shellEnv(h *actiontest.Harness, extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "GITHUB_") || strings.HasPrefix(k, "INPUT_") || strings.HasPrefix(k, "RUNNER_") ||
			k == "GH_TOKEN" || k == "NO_COLOR" || k == "TERM" {
			continue
		}
		env = append(env, kv)
	}
	env = append(env, "GITHUB_TOKEN="+actiontest.Token, "GITHUB_API_URL="+h.APIURL, "TERM=xterm-256color")
	return append(env, extra...)
}

// run is one finished run of the binary.
type run struct {
	code           int
	stdout, stderr string
}

func runBinary(t *testing.T, h *actiontest.Harness, args ...string) run {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), bin, args...)
	cmd.Env = shellEnv(h)
	cmd.Dir = h.WS
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	r := run{code: cmd.ProcessState.ExitCode(), stdout: out.String(), stderr: errb.String()}
	if err != nil && r.code <= 0 {
		t.Fatalf("run %v: %v", args, err)
	}
	if strings.Contains(r.stdout+r.stderr, actiontest.Token) {
		t.Fatal("the token was printed")
	}
	return r
}

// outputs reads stdout as the name=value lines it must consist of, and nothing else.
func outputs(t *testing.T, r run) map[string]string {
	t.Helper()
	got := map[string]string{}
	line := regexp.MustCompile(`^([a-z_]+)=(.*)$`)
	for _, l := range strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n") {
		m := line.FindStringSubmatch(l)
		if m == nil {
			t.Fatalf("stdout holds %q, which is not an output line:\n%s", l, r.stdout)
		}
		got[m[1]] = m[2]
	}
	return got
}

func newHarness(t *testing.T, o emulator.Options) *actiontest.Harness {
	h := actiontest.New(t, actiontest.Config{Emulator: o})
	h.Write("dist/app.zip", "zip")
	h.Write("dist/app.tar.gz", "tgz")
	return h
}

func base(h *actiontest.Harness, more ...string) []string {
	return append([]string{"--repository", actiontest.Repo, "--tag", "v1.2.3", "--working-directory", h.WS}, more...)
}

// TestResultsOnStdoutLogOnStderr: stdout holds only the outputs, and the log, the
// plan and the warnings are on stderr, with no workflow commands anywhere.
func TestResultsOnStdoutLogOnStderr(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	r := runBinary(t, h, base(h, "--files", "dist/*")...)
	if r.code != 0 {
		t.Fatalf("exit %d\nstderr:\n%s", r.code, r.stderr)
	}
	outs := outputs(t, r)
	if outs["created"] != "true" || outs["tag"] != "v1.2.3" || outs["id"] == "" {
		t.Errorf("outputs %v", outs)
	}
	for _, want := range []string{"uploaded app.zip", "uploaded app.tar.gz", "plan:"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if strings.Contains(r.stdout+r.stderr, "::") {
		t.Errorf("workflow commands from a terminal:\n%s%s", r.stdout, r.stderr)
	}
}

// TestBadFlagValueNamesTheFlag: an error names the flag the user typed, goes to
// stderr, leaves stdout empty and exits 2 without a request.
func TestBadFlagValueNamesTheFlag(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	r := runBinary(t, h, base(h, "--files", "dist/*", "--max-parallel", "0", "--overwrite=maybe")...)
	if r.code != 2 {
		t.Fatalf("exit %d, want 2\nstderr:\n%s", r.code, r.stderr)
	}
	if r.stdout != "" {
		t.Errorf("stdout holds %q; errors belong on stderr", r.stdout)
	}
	for _, want := range []string{`error: --max-parallel: "0" is not a whole number from 1 to 32`, `error: --overwrite: "maybe" is not a boolean`} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if strings.Contains(r.stderr, `input "`) || strings.Contains(r.stderr, "max_parallel") {
		t.Errorf("a terminal error names inputs:\n%s", r.stderr)
	}
	if n := len(h.Emu.Requests()); n != 0 {
		t.Errorf("%d requests for a bad command line", n)
	}
	// Without a token, it names the variables, not ${{ github.token }}.
	cmd := exec.Command(bin, base(h, "--dry-run")...)
	for _, kv := range shellEnv(h) {
		if !strings.HasPrefix(kv, "GITHUB_TOKEN=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	out, _ := cmd.CombinedOutput()
	if !strings.Contains(string(out), "set GITHUB_TOKEN or GH_TOKEN") || strings.Contains(string(out), "${{") {
		t.Errorf("no token:\n%s", out)
	}
}

// TestUnknownFlagIsOneLine: a typo gets one line with the nearest flag and a
// pointer to --help, not the help itself.
func TestUnknownFlagIsOneLine(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	for args, want := range map[string]string{
		"--max-paralel 3": "error: unknown flag --max-paralel; did you mean --max-parallel? (see release-action --help)\n",
		"-dry-rnu":        "error: unknown flag --dry-rnu; did you mean --dry-run? (see release-action --help)\n",
		"--colour":        "error: unknown flag --colour (see release-action --help)\n",
		"--tag":           "error: flag --tag needs a value, such as --tag=VALUE (see release-action --help)\n",
	} {
		r := runBinary(t, h, strings.Fields(args)...)
		if r.code != 2 || r.stdout != "" || r.stderr != want {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want exit 2 and stderr %q", args, r.code, r.stdout, r.stderr, want)
		}
	}
	r := runBinary(t, h, "--help")
	if r.code != 0 || r.stderr != "" || !strings.Contains(r.stdout, "Exit codes:") || !strings.Contains(r.stdout, "--overwrite=false") {
		t.Errorf("--help: exit %d, stderr %q, stdout:\n%s", r.code, r.stderr, r.stdout)
	}
}

// TestDryRunOutputsSayWouldAndChangeNothing: the assets output of a dry run only
// holds intentions, for every kind of step.
func TestDryRunOutputsSayWouldAndChangeNothing(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	if r := runBinary(t, h, base(h, "--files", "dist/*", "--checksums", "SHA256SUMS")...); r.code != 0 {
		t.Fatalf("setup: exit %d\n%s", r.code, r.stderr)
	}
	h.Write("dist/app.zip", "new zip")
	h.Write("dist/new.txt", "n")
	h.Write("dist/app.tar.gz", "tgz") // unchanged
	writes := h.Writes()
	// app.zip changed, new.txt is new, app.tar.gz is the same; SHA256SUMS is not
	// listed, so --delete-other-assets would remove it.
	r := runBinary(t, h, base(h, "--files", "dist/*.zip", "--files", "dist/*.txt", "--files", "dist/*.tar.gz", "--delete-other-assets", "--dry-run")...)
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	if h.Writes() != writes {
		t.Error("the dry run changed the release")
	}
	outs := outputs(t, r)
	var list []publish.AssetReport
	if err := json.Unmarshal([]byte(outs["assets"]), &list); err != nil {
		t.Fatal(err)
	}
	got := map[string]publish.Action{}
	for _, a := range list {
		got[a.Name] = a.Action
	}
	want := map[string]publish.Action{
		"app.zip": publish.ActionWouldReplace, "new.txt": publish.ActionWouldUpload,
		"app.tar.gz": publish.ActionWouldKeep, "SHA256SUMS": publish.ActionWouldDelete,
	}
	if len(got) != len(want) {
		t.Errorf("assets %v, want %v", got, want)
	}
	for name, act := range want {
		if got[name] != act {
			t.Errorf("%s: action %q, want %q (all: %v)", name, got[name], act, got)
		}
	}
	if outs["created"] != "false" || outs["plan"] == "" || outs["plan"] == "[]" {
		t.Errorf("created=%s plan=%s", outs["created"], outs["plan"])
	}
	if !strings.Contains(r.stderr, "dry run: would update") {
		t.Errorf("stderr:\n%s", r.stderr)
	}
}

// TestWarningsAndReplacementSteps: an unmatched pattern is a warning on stderr
// naming it when it is not an error, and a replacement logs each of its steps.
func TestWarningsAndReplacementSteps(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{})
	if r := runBinary(t, h, base(h, "--files", "dist/*.zip")...); r.code != 0 {
		t.Fatalf("setup: exit %d\n%s", r.code, r.stderr)
	}
	h.Write("dist/app.zip", "changed")
	r := runBinary(t, h, base(h, "--files", "dist/*.zip", "--files", "dist/*.msi", "--fail-on-unmatched-files=false")...)
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	want := `warning: --files: pattern "dist/*.msi" matched no file, so nothing is uploaded for it (--fail-on-unmatched-files=false)`
	if !strings.Contains(r.stderr, want) || strings.Contains(r.stdout, "warning") {
		t.Errorf("stderr lacks %q (or stdout has it):\n%s", want, r.stderr)
	}
	steps := regexp.MustCompile(`(?s)replace app\.zip: uploading the new content as app\.zip\.replacing-[0-9a-f]{8} first.*` +
		`uploaded app\.zip\.replacing-.*replace app\.zip: deleted the old asset \(id \d+\).*replace app\.zip: renamed app\.zip\.replacing-[0-9a-f]{8} to app\.zip; replaced`)
	if !steps.MatchString(r.stderr) {
		t.Errorf("the replacement's steps are not all logged, in order:\n%s", r.stderr)
	}
	// The same pattern with the default fails, naming the pattern.
	r = runBinary(t, h, base(h, "--files", "dist/*.msi")...)
	if r.code != 2 || !strings.Contains(r.stderr, `error: --files: pattern "dist/*.msi" matched no file`) {
		t.Errorf("exit %d\n%s", r.code, r.stderr)
	}
}
