package app

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/releasekit/release-action/internal/emulator"
	"github.com/releasekit/release-action/internal/publish"
	"github.com/releasekit/release-action/internal/retry"
)

const (
	testRepo  = "octo/demo"
	testToken = "ghs_test_Tok3n_that_must_never_leak_0123456789"
)

// harness runs the real action, from environment variables to the output file,
// against an emulator on loopback.
type harness struct {
	t   *testing.T
	emu *emulator.Server
	srv *httptest.Server
	// hook, when set, sees every request before the emulator does.
	hook   atomic.Pointer[func(*http.Request)]
	apiURL string
	ws     string // GITHUB_WORKSPACE
	tmp    string
}

func newHarness(t *testing.T, opts emulator.Options) *harness {
	t.Helper()
	if opts.Token == "" {
		opts.Token = testToken
	}
	emu := emulator.New(opts)
	emu.AddRepo(testRepo, false)
	h := &harness{t: t, emu: emu, ws: t.TempDir(), tmp: t.TempDir()}
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if f := h.hook.Load(); f != nil {
			(*f)(r)
		}
		emu.ServeHTTP(w, r)
	}))
	t.Cleanup(h.srv.Close)
	h.apiURL = h.srv.URL
	if opts.Layout == emulator.GHES {
		h.apiURL = h.srv.URL + "/api/v3"
	}
	return h
}

// write creates a file under the workspace.
func (h *harness) write(rel, content string) string {
	h.t.Helper()
	p := filepath.Join(h.ws, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		h.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		h.t.Fatal(err)
	}
	return p
}

// result is what one run left behind.
type result struct {
	code    int
	stdout  string
	outputs map[string]string
	summary string
	outRaw  string
}

func (r result) assets(t *testing.T) []publish.AssetReport {
	t.Helper()
	var list []publish.AssetReport
	if err := json.Unmarshal([]byte(r.outputs["assets"]), &list); err != nil {
		t.Fatalf("assets output %q: %v", r.outputs["assets"], err)
	}
	return list
}

// run executes the action once with the base environment plus inputs (keys are
// input names as in action.yml, or raw variable names when upper-case).
func (h *harness) run(inputs map[string]string) result {
	h.t.Helper()
	return h.runCtx(h.t.Context(), inputs)
}

func (h *harness) runCtx(ctx context.Context, inputs map[string]string) result {
	h.t.Helper()
	return h.runFull(ctx, inputs, -1)
}

// runWith runs with upload progress lines every interval.
func (h *harness) runWith(inputs map[string]string, progress time.Duration) result {
	h.t.Helper()
	return h.runFull(h.t.Context(), inputs, progress)
}

func (h *harness) runFull(ctx context.Context, inputs map[string]string, progress time.Duration) result {
	h.t.Helper()
	dir, err := os.MkdirTemp(h.tmp, "run-")
	if err != nil {
		h.t.Fatal(err)
	}
	out := filepath.Join(dir, "output")
	sum := filepath.Join(dir, "summary")
	for _, p := range []string{out, sum} {
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			h.t.Fatal(err)
		}
	}
	env := map[string]string{
		"GITHUB_ACTIONS":      "true",
		"GITHUB_API_URL":      h.apiURL,
		"GITHUB_SERVER_URL":   h.srv.URL,
		"GITHUB_REPOSITORY":   testRepo,
		"GITHUB_WORKSPACE":    h.ws,
		"GITHUB_OUTPUT":       out,
		"GITHUB_STEP_SUMMARY": sum,
		"INPUT_TOKEN":         testToken,
	}
	for k, v := range inputs {
		if k == strings.ToUpper(k) {
			env[k] = v
		} else {
			env["INPUT_"+strings.ToUpper(k)] = v
		}
	}
	var stdout bytes.Buffer
	p := fastPolicy()
	code := Run(ctx, Env{
		Getenv: func(k string) string { return env[k] },
		Stdout: &stdout, Policy: &p, Progress: progress,
	})
	raw, _ := os.ReadFile(out)
	s, _ := os.ReadFile(sum)
	r := result{code: code, stdout: stdout.String(), outputs: parseOutputs(h.t, string(raw)), summary: string(s), outRaw: string(raw)}
	// Nothing a run writes may hold the token, except the one command that tells
	// the runner to redact it.
	for what, text := range map[string]string{"stdout": withoutMask(r.stdout), "outputs": r.outRaw, "summary": r.summary} {
		if strings.Contains(text, testToken) {
			h.t.Fatalf("the token appears in %s", what)
		}
	}
	return r
}

// fastPolicy keeps the default's shape with waits short enough for tests.
func fastPolicy() retry.Policy {
	p := retry.Default()
	p.BaseDelay = time.Millisecond
	p.MaxDelay = 5 * time.Millisecond
	p.LimitFallback = 20 * time.Millisecond
	return p
}

// parseOutputs reads GITHUB_OUTPUT's "name<<DELIM" blocks the way the runner does.
func parseOutputs(t *testing.T, s string) map[string]string {
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

// releasesFor returns the emulator's releases with the tag.
func (h *harness) releasesFor(tag string) []emulator.Release {
	var out []emulator.Release
	for _, r := range h.emu.Releases(testRepo) {
		if r.TagName == tag {
			out = append(out, r)
		}
	}
	return out
}

// only returns the single release for tag, failing otherwise.
func (h *harness) only(tag string) emulator.Release {
	h.t.Helper()
	rs := h.releasesFor(tag)
	if len(rs) != 1 {
		h.t.Fatalf("%d releases for %s, want exactly 1: %+v", len(rs), tag, rs)
	}
	return rs[0]
}

// assetNames lists a release's assets as name=content.
func (h *harness) assetContents(id int64) map[string]string {
	out := map[string]string{}
	for _, a := range h.emu.Assets(testRepo, id) {
		b, _ := h.emu.AssetContent(testRepo, a.ID)
		out[a.Name] = a.State + ":" + string(b)
	}
	return out
}

func (h *harness) writes() int {
	n := 0
	for _, r := range h.emu.Requests() {
		if r.Method != "GET" {
			n++
		}
	}
	return n
}

// withoutMask drops the "::add-mask::" lines, and fails if the token is masked
// anywhere but on one of them.
func withoutMask(stdout string) string {
	var keep []string
	for _, l := range strings.Split(stdout, "\n") {
		if !strings.HasPrefix(l, "::add-mask::") {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}
