package conformance

import (
	"bytes"
	"maps"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/releasekit/release-action/internal/app"
	"github.com/releasekit/release-action/internal/emulator"
	"github.com/releasekit/release-action/internal/ghclient"
	"github.com/releasekit/release-action/internal/retry"
)

const (
	testRepo  = "octo/demo"
	testOwner = "octo"
	testName  = "demo"
	testToken = "ghs_conformance_token_0123456789"
)

// rig is the emulator behind the validator, on loopback.
type rig struct {
	t      *testing.T
	spec   *Spec
	emu    *emulator.Server
	val    *Validator
	srv    *httptest.Server
	apiURL string
	ws     string
	seen   map[string]int // operations validated when mark was last called
}

// newRig serves the emulator, laid out as layout, behind a validator for the
// description; the test fails at the end if any violation was recorded.
func newRig(t *testing.T, desc string, opts emulator.Options) *rig {
	t.Helper()
	spec := mustSpec(t, desc)
	if opts.Token == "" {
		opts.Token = testToken
	}
	emu := emulator.New(opts)
	emu.AddRepo(testRepo, false)
	val := NewValidator(spec, Layout{APIPrefix: opts.Layout.APIPrefix(), UploadPrefix: opts.Layout.UploadPrefix()}, emu)
	srv := httptest.NewServer(val)
	t.Cleanup(srv.Close)
	r := &rig{t: t, spec: spec, emu: emu, val: val, srv: srv, apiURL: srv.URL + opts.Layout.APIPrefix(), ws: t.TempDir(), seen: map[string]int{}}
	t.Cleanup(func() {
		if vs := val.Violations(); len(vs) > 0 {
			t.Errorf("%d violations of GitHub's %s description (%s %s):\n%s", len(vs), desc, OpenAPIPackage, spec.Version, Report(vs))
		}
	})
	return r
}

// write creates a file under the workspace.
func (r *rig) write(rel, content string) {
	r.t.Helper()
	p := filepath.Join(r.ws, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		r.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		r.t.Fatal(err)
	}
}

// run executes the real action once with the inputs (names as in action.yml).
func (r *rig) run(inputs map[string]string) string {
	r.t.Helper()
	out := filepath.Join(r.t.TempDir(), "output")
	if err := os.WriteFile(out, nil, 0o644); err != nil {
		r.t.Fatal(err)
	}
	env := map[string]string{
		"GITHUB_ACTIONS":    "true",
		"GITHUB_API_URL":    r.apiURL,
		"GITHUB_SERVER_URL": r.srv.URL,
		"GITHUB_REPOSITORY": testRepo,
		"GITHUB_WORKSPACE":  r.ws,
		"GITHUB_OUTPUT":     out,
		"INPUT_TOKEN":       testToken,
	}
	for k, v := range inputs {
		env["INPUT_"+strings.ToUpper(k)] = v
	}
	var stdout bytes.Buffer
	p := fastPolicy()
	code := app.Run(r.t.Context(), app.Env{Getenv: func(k string) string { return env[k] }, Stdout: &stdout, Policy: &p, Progress: -1})
	if code != 0 {
		r.t.Fatalf("action exit %d with %v\n%s", code, inputs, stdout.String())
	}
	b, err := os.ReadFile(out)
	if err != nil {
		r.t.Fatal(err)
	}
	return string(b)
}

// client is the action's GitHub client, pointed at the rig.
func (r *rig) client() *ghclient.Client {
	r.t.Helper()
	p := fastPolicy()
	c, err := ghclient.New(ghclient.Options{Token: testToken, APIURL: r.apiURL, Owner: testOwner, Repo: testName, UserAgent: "conformance-test", Policy: &p})
	if err != nil {
		r.t.Fatal(err)
	}
	return c
}

// since returns the operations validated since the last call, with counts.
func (r *rig) since() map[string]int {
	now := r.val.Operations()
	d := map[string]int{}
	for op, n := range now {
		if n > r.seen[op] {
			d[op] = n - r.seen[op]
		}
	}
	r.seen = now
	return d
}

// expectOps fails unless exactly these operations were validated since the last
// call (a scenario that validated nothing would prove nothing).
func (r *rig) expectOps(step string, want map[string]int) {
	r.t.Helper()
	if got := r.since(); !maps.Equal(got, want) {
		r.t.Errorf("%s: validated operations %v, want %v", step, got, want)
	}
}

// expectWrites fails unless the operations that write, validated since the last
// call, are exactly these.
func (r *rig) expectWrites(step string, writes ...string) {
	r.t.Helper()
	got := r.since()
	var gotWrites []string
	for op := range got {
		if !isRead(op) {
			gotWrites = append(gotWrites, op)
		}
	}
	slices.Sort(gotWrites)
	slices.Sort(writes)
	if !slices.Equal(gotWrites, writes) {
		r.t.Errorf("%s: write operations %v (all: %v), want %v", step, gotWrites, got, writes)
	}
}

func isRead(op string) bool {
	return strings.Contains(op, "/get-") || strings.Contains(op, "/list-") || op == "repos/generate-release-notes"
}

func fastPolicy() retry.Policy {
	p := retry.Default()
	p.BaseDelay = time.Millisecond
	p.MaxDelay = 5 * time.Millisecond
	p.LimitFallback = 20 * time.Millisecond
	return p
}
