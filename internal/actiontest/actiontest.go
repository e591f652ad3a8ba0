// Package actiontest runs the real action, from environment variables to the
// GITHUB_OUTPUT file, against the project's GitHub API emulator on loopback. The
// end-to-end, conformance and benchmark tests share it.
package actiontest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/releasekit/release-action/internal/app"
	"github.com/releasekit/release-action/internal/emulator"
	"github.com/releasekit/release-action/internal/ghclient"
	"github.com/releasekit/release-action/internal/publish"
	"github.com/releasekit/release-action/internal/retry"
)

const (
	Repo  = "octo/demo"
	Token = "ghs_test_Tok3n_that_must_never_leak_0123456789"
)

// Config shapes a Harness.
type Config struct {
	Emulator  emulator.Options
	Immutable bool // the repository has immutable releases on
	// Wrap, when set, puts a handler in front of the emulator (a validator, say).
	Wrap func(http.Handler) http.Handler
	// Timeouts shorten the client's waits (zero fields keep the defaults).
	Timeouts ghclient.Timeouts
}

// Harness is one emulator, one workspace, and any number of runs.
type Harness struct {
	T   testing.TB
	Emu *emulator.Server
	// Timeouts go to every run (Config.Timeouts).
	Timeouts ghclient.Timeouts
	Srv      *httptest.Server
	APIURL   string // what GITHUB_API_URL is set to
	WS       string // GITHUB_WORKSPACE
	// Hook, when set, sees every request before the emulator does.
	Hook atomic.Pointer[func(*http.Request)]
	tmp  string
	// hour is the emulator's scaled hour window (Options.HourWindow), told to
	// every run as GitHub's documented one is: nil when the emulator has none.
	hour *retry.HourWindow
}

// New starts an emulator with the repository Repo, reachable with Token.
func New(t testing.TB, c Config) *Harness {
	t.Helper()
	if c.Emulator.Token == "" {
		c.Emulator.Token = Token
	}
	h := &Harness{T: t, Emu: emulator.New(c.Emulator), WS: t.TempDir(), tmp: t.TempDir(), Timeouts: c.Timeouts}
	h.Emu.AddRepo(Repo, c.Immutable)
	var next http.Handler = h.Emu
	if c.Wrap != nil {
		next = c.Wrap(next)
	}
	h.Srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if f := h.Hook.Load(); f != nil {
			(*f)(r)
		}
		next.ServeHTTP(w, r)
	}))
	t.Cleanup(h.Srv.Close)
	h.APIURL = h.Srv.URL + c.Emulator.Layout.APIPrefix()
	if c.Emulator.HourWindow > 0 {
		h.hour = &retry.HourWindow{Allow: c.Emulator.HourAllow, Span: c.Emulator.HourWindow}
	}
	return h
}

// Write creates a file under the workspace and returns its path.
func (h *Harness) Write(rel, content string) string {
	h.T.Helper()
	p := filepath.Join(h.WS, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		h.T.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		h.T.Fatal(err)
	}
	return p
}

// Result is what one run left behind.
type Result struct {
	Code    int
	Stdout  string
	Outputs map[string]string
	Summary string
	OutRaw  string // the GITHUB_OUTPUT file as written
}

// Assets decodes the assets output.
func (r Result) Assets(t testing.TB) []publish.AssetReport {
	t.Helper()
	var list []publish.AssetReport
	if err := json.Unmarshal([]byte(r.Outputs["assets"]), &list); err != nil {
		t.Fatalf("assets output %q: %v", r.Outputs["assets"], err)
	}
	return list
}

// Run executes the action once with inputs: keys are input names as in
// action.yml, or raw variable names when upper-case ("" unsets one).
func (h *Harness) Run(inputs map[string]string) Result {
	h.T.Helper()
	return h.RunFull(h.T.Context(), inputs, -1)
}

// RunCtx is Run under ctx, which a test may cancel to kill the run.
func (h *Harness) RunCtx(ctx context.Context, inputs map[string]string) Result {
	h.T.Helper()
	return h.RunFull(ctx, inputs, -1)
}

// RunFull is Run with progress lines every progress (negative: none).
func (h *Harness) RunFull(ctx context.Context, inputs map[string]string, progress time.Duration) Result {
	h.T.Helper()
	dir, err := os.MkdirTemp(h.tmp, "run-")
	if err != nil {
		h.T.Fatal(err)
	}
	out := filepath.Join(dir, "output")
	sum := filepath.Join(dir, "summary")
	for _, p := range []string{out, sum} {
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			h.T.Fatal(err)
		}
	}
	env := map[string]string{
		"GITHUB_ACTIONS":      "true",
		"GITHUB_API_URL":      h.APIURL,
		"GITHUB_SERVER_URL":   h.Srv.URL,
		"GITHUB_REPOSITORY":   Repo,
		"GITHUB_WORKSPACE":    h.WS,
		"GITHUB_OUTPUT":       out,
		"GITHUB_STEP_SUMMARY": sum,
		"INPUT_TOKEN":         Token,
	}
	for k, v := range inputs {
		if k == strings.ToUpper(k) {
			env[k] = v
		} else {
			env["INPUT_"+strings.ToUpper(k)] = v
		}
	}
	var stdout bytes.Buffer
	p := FastPolicy()
	code := app.Run(ctx, app.Env{
		Getenv:  func(k string) string { return env[k] },
		Environ: func() []string { return environ(env) },
		// As main.go passes it: the declared inputs, for the unknown-input check.
		ActionYAML: ActionYAML(h.T),
		Stdout:     &stdout, Policy: &p, Timeouts: h.Timeouts, Progress: progress, Hour: h.hour,
	})
	raw, _ := os.ReadFile(out)
	s, _ := os.ReadFile(sum)
	r := Result{Code: code, Stdout: stdout.String(), Outputs: ParseOutputs(h.T, string(raw)), Summary: string(s), OutRaw: string(raw)}
	// Nothing a run writes may hold the token, except the one command that tells
	// the runner to redact it.
	for what, text := range map[string]string{"stdout": withoutMask(r.Stdout), "outputs": r.OutRaw, "summary": r.Summary} {
		if strings.Contains(text, Token) {
			h.T.Fatalf("the token appears in %s", what)
		}
	}
	return r
}

// environ lists env as os.Environ would.
func environ(env map[string]string) []string {
	out := make([]string, 0, len(env))
	for k, v := range env {
		if v != "" {
			out = append(out, k+"="+v)
		}
	}
	return out
}

// ActionYAML reads the module's action.yml, found from the test's directory up.
func ActionYAML(t testing.TB) []byte {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			b, err := os.ReadFile(filepath.Join(dir, "action.yml"))
			if err != nil {
				t.Fatal(err)
			}
			return b
		}
		up := filepath.Dir(dir)
		if up == dir {
			t.Fatal("no go.mod above the test's directory")
		}
		dir = up
	}
}

// FastPolicy keeps the default retry policy's shape with waits short enough for tests.
func FastPolicy() retry.Policy {
	p := retry.Default()
	p.BaseDelay = time.Millisecond
	p.MaxDelay = 5 * time.Millisecond
	p.LimitFallback = 20 * time.Millisecond
	return p
}

// ParseOutputs reads GITHUB_OUTPUT's "name<<DELIM" blocks the way the runner does.
func ParseOutputs(t testing.TB, s string) map[string]string {
	t.Helper()
	out := map[string]string{}
	lines := strings.Split(s, "\n")
	for i := 0; i < len(lines); i++ {
		if lines[i] == "" {
			continue
		}
		name, delim, ok := strings.Cut(lines[i], "<<")
		if !ok {
			t.Fatalf("output line %q is not a heredoc", lines[i])
		}
		var val []string
		for i++; i < len(lines) && lines[i] != delim; i++ {
			val = append(val, lines[i])
		}
		if i == len(lines) {
			t.Fatalf("output %s: delimiter never closed", name)
		}
		if _, dup := out[name]; dup {
			t.Fatalf("output %s written twice", name)
		}
		out[name] = strings.Join(val, "\n")
	}
	return out
}

// withoutMask drops the "::add-mask::" lines.
func withoutMask(stdout string) string {
	var keep []string
	for _, l := range strings.Split(stdout, "\n") {
		if !strings.HasPrefix(l, "::add-mask::") {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}

// ReleasesFor returns the emulator's releases with the tag.
func (h *Harness) ReleasesFor(tag string) []emulator.Release {
	var out []emulator.Release
	for _, r := range h.Emu.Releases(Repo) {
		if r.TagName == tag {
			out = append(out, r)
		}
	}
	return out
}

// Only returns the single release for tag, failing otherwise.
func (h *Harness) Only(tag string) emulator.Release {
	h.T.Helper()
	rs := h.ReleasesFor(tag)
	if len(rs) != 1 {
		h.T.Fatalf("%d releases for %s, want exactly 1", len(rs), tag)
	}
	return rs[0]
}

// AssetContents maps a release's asset names to "state:content".
func (h *Harness) AssetContents(id int64) map[string]string {
	out := map[string]string{}
	for _, a := range h.Emu.Assets(Repo, id) {
		b, _ := h.Emu.AssetContent(Repo, a.ID)
		out[a.Name] = a.State + ":" + string(b)
	}
	return out
}

// Writes counts the requests that were not GETs.
func (h *Harness) Writes() int {
	n := 0
	for _, r := range h.Emu.Requests() {
		if r.Method != http.MethodGet {
			n++
		}
	}
	return n
}

// Count returns how many requests hit route.
func (h *Harness) Count(route string) int { return h.Emu.Counts()[route] }

// API sends one request to the repository's API as a person with the token
// would (path below /repos/OWNER/NAME/, body JSON or empty) and returns the
// status: the hand edits and deletions tests put between runs.
func (h *Harness) API(method, path, body string) int {
	h.T.Helper()
	_, status := h.APIBody(method, path, body)
	return status
}

// APIBody is API that also returns the answer (its first 16 MiB).
func (h *Harness) APIBody(method, path, body string) ([]byte, int) {
	h.T.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, h.APIURL+"/repos/"+Repo+"/"+path, rd)
	if err != nil {
		h.T.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+Token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.T.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		h.T.Fatal(err)
	}
	return b, resp.StatusCode
}
