package conformance

import (
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/releasekit/release-action/internal/actiontest"
	"github.com/releasekit/release-action/internal/emulator"
	"github.com/releasekit/release-action/internal/ghclient"
	"github.com/releasekit/release-action/internal/retry"
)

const (
	testRepo  = actiontest.Repo
	testOwner = "octo"
	testName  = "demo"
	testToken = actiontest.Token
)

// rig runs the action against the emulator behind the validator, on loopback.
type rig struct {
	*actiontest.Harness
	t    *testing.T
	spec *Spec
	val  *Validator
	seen map[string]int // operations validated when mark was last called
}

// newRig serves the emulator, laid out as opts says, behind a validator for the
// description; the test fails at the end if any violation was recorded.
func newRig(t *testing.T, desc string, opts emulator.Options) *rig {
	t.Helper()
	spec := mustSpec(t, desc)
	r := &rig{t: t, spec: spec, seen: map[string]int{}}
	r.Harness = actiontest.New(t, actiontest.Config{Emulator: opts, Wrap: func(next http.Handler) http.Handler {
		r.val = NewValidator(spec, Layout{APIPrefix: opts.Layout.APIPrefix(), UploadPrefix: opts.Layout.UploadPrefix()}, next)
		return r.val
	}})
	t.Cleanup(func() {
		if vs := r.val.Violations(); len(vs) > 0 {
			t.Errorf("%d violations of GitHub's %s description (%s %s):\n%s", len(vs), desc, OpenAPIPackage, spec.Version, Report(vs))
		}
	})
	return r
}

// run executes the real action once and returns the GITHUB_OUTPUT file.
func (r *rig) run(inputs map[string]string) string {
	r.t.Helper()
	res := r.Run(inputs)
	if res.Code != 0 {
		r.t.Fatalf("action exit %d with %v\n%s", res.Code, inputs, res.Stdout)
	}
	return res.OutRaw
}

// client is the action's GitHub client, pointed at the rig.
func (r *rig) client() *ghclient.Client {
	r.t.Helper()
	p := fastPolicy()
	c, err := ghclient.New(ghclient.Options{Token: testToken, APIURL: r.APIURL, Owner: testOwner, Repo: testName, UserAgent: "conformance-test", Policy: &p})
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
	return strings.Contains(op, "/get-") || strings.Contains(op, "/list-") || op == "repos/generate-release-notes" ||
		strings.HasPrefix(op, "repos/compare-commits") || op == "repos/check-immutable-releases"
}

func fastPolicy() retry.Policy { return actiontest.FastPolicy() }
