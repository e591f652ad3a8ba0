package lies_test

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/releasekit/release-action/internal/actiontest"
	"github.com/releasekit/release-action/internal/emulator"
	"github.com/releasekit/release-action/internal/ghclient"
	"github.com/releasekit/release-action/internal/hostile"
)

const (
	tag      = "v1"
	decoyTag = "v0"
	foreign  = "other/elsewhere"
)

// A case is one run of the action, in one scenario, under the lies of one seed.
type scenario struct {
	name string
	// prepare puts the scenario in place (a plain run may be part of it) and
	// returns the files the release must end with.
	prepare func(t *testing.T, h *actiontest.Harness) map[string]string
}

var inputs = map[string]string{"tag": tag, "files": "dist/*", "overwrite": "true"}

var scenarios = []scenario{
	{"new release with 2 files", func(t *testing.T, h *actiontest.Harness) map[string]string {
		h.Write("dist/a.txt", "alpha")
		h.Write("dist/b.txt", "beta")
		return map[string]string{"a.txt": "uploaded:alpha", "b.txt": "uploaded:beta"}
	}},
	{"re-run with one file changed", func(t *testing.T, h *actiontest.Harness) map[string]string {
		h.Write("dist/a.txt", "alpha")
		h.Write("dist/b.txt", "beta")
		if r := h.Run(inputs); r.Code != 0 {
			t.Fatalf("the first, honest run: exit %d\n%s", r.Code, r.Stdout)
		}
		h.Write("dist/b.txt", "beta, built again")
		return map[string]string{"a.txt": "uploaded:alpha", "b.txt": "uploaded:beta, built again"}
	}},
	{"published release that exists", func(t *testing.T, h *actiontest.Harness) map[string]string {
		rel := h.Emu.SeedRelease(actiontest.Repo, emulator.SeedRelease{TagName: tag, MakeLatest: "false"})
		h.Emu.SeedAsset(actiontest.Repo, rel.ID, "a.txt", "", "", []byte("alpha"))
		h.Emu.SeedAsset(actiontest.Repo, rel.ID, "b.txt", "", "", []byte("old beta"))
		h.Write("dist/a.txt", "alpha")
		h.Write("dist/b.txt", "beta")
		return map[string]string{"a.txt": "uploaded:alpha", "b.txt": "uploaded:beta"}
	}},
}

// decoys is what a run must never change: another published release of the
// repository with its assets, and a second repository's release for the same tag.
type decoys struct {
	h       *actiontest.Harness
	targets hostile.Targets
}

func seedDecoys(h *actiontest.Harness) decoys {
	h.Emu.AddRepo(foreign, false)
	fr := h.Emu.SeedRelease(foreign, emulator.SeedRelease{TagName: tag})
	h.Emu.SeedAsset(foreign, fr.ID, "a.txt", "", "", []byte("foreign alpha"))
	h.Emu.SeedAsset(foreign, fr.ID, "b.txt", "", "", []byte("foreign beta"))
	dr := h.Emu.SeedRelease(actiontest.Repo, emulator.SeedRelease{TagName: decoyTag, CreatedAt: time.Now().Add(-time.Hour)})
	da := h.Emu.SeedAsset(actiontest.Repo, dr.ID, "a.txt", "", "", []byte("decoy alpha"))
	h.Emu.SeedAsset(actiontest.Repo, dr.ID, "b.txt", "", "", []byte("decoy beta"))
	return decoys{h: h, targets: hostile.Targets{
		Tag: tag, DecoyTag: decoyTag, DecoyID: dr.ID, DecoyAssetID: da.ID, ForeignRepo: foreign, ForeignID: fr.ID,
	}}
}

// snapshot renders the decoys, one line per release and per asset, bytes
// included; what only reading changes (the download count) is left out.
func (d decoys) snapshot() string {
	var b strings.Builder
	add := func(repo string, rel emulator.Release) {
		fmt.Fprintf(&b, "%s release %d tag %q name %q body %q draft %v prerelease %v immutable %v target %q\n",
			repo, rel.ID, rel.TagName, rel.Name, rel.Body, rel.Draft, rel.Prerelease, rel.Immutable, rel.TargetCommitish)
		for _, a := range d.h.Emu.Assets(repo, rel.ID) {
			c, _ := d.h.Emu.AssetContent(repo, a.ID)
			fmt.Fprintf(&b, "%s release %d asset %d name %q label %q state %s size %d digest %s content %q updated %s\n",
				repo, rel.ID, a.ID, a.Name, a.Label, a.State, a.Size, a.Digest, c, a.UpdatedAt)
		}
	}
	for _, rel := range d.h.Emu.Releases(foreign) {
		add(foreign, rel)
	}
	for _, rel := range d.h.Emu.Releases(actiontest.Repo) {
		if rel.TagName != tag {
			add(actiontest.Repo, rel)
		}
	}
	return b.String()
}

// diff lists the lines only one of two snapshots has.
func diff(before, after string) string {
	count := map[string]int{}
	for _, l := range strings.Split(before, "\n") {
		count[l]++
	}
	for _, l := range strings.Split(after, "\n") {
		count[l]--
	}
	var out []string
	for _, l := range strings.Split(before, "\n") {
		if count[l] > 0 {
			out = append(out, "    - "+strings.TrimSpace(l))
		}
	}
	for _, l := range strings.Split(after, "\n") {
		if count[l] < 0 {
			out = append(out, "    + "+strings.TrimSpace(l))
		}
	}
	return strings.Join(out, "\n")
}

// touch sends one request that changes nothing.
func touch(t *testing.T, h *actiontest.Harness) {
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, h.APIURL+"/repos/"+actiontest.Repo+"/releases/latest", nil)
	req.Header.Set("Authorization", "Bearer "+actiontest.Token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
}

// seeds returns the seeds to run: LIES_SEED replays one, else n from base.
func seeds(t *testing.T, base uint64, n int) []uint64 {
	if s := os.Getenv("LIES_SEED"); s != "" {
		v, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("LIES_SEED=%q: %v", s, err)
		}
		return []uint64{v}
	}
	if s := os.Getenv("LIES_CASES"); s != "" {
		if v, err := strconv.Atoi(s); err == nil && v > 0 {
			n = v
		}
	}
	out := make([]uint64, n)
	for i := range out {
		out[i] = base + uint64(i)
	}
	return out
}

// runCase runs the scenario the seed picks under the lies the seed generates,
// and checks the promise.
func runCase(t *testing.T, st *stats, seed uint64, kinds hostile.Kind, limit time.Duration) {
	var proxy *hostile.Proxy
	h := actiontest.New(t, actiontest.Config{Wrap: func(next http.Handler) http.Handler {
		proxy = hostile.NewProxy(next)
		return proxy
	}, Timeouts: shortTimeouts})
	t.Cleanup(proxy.Close)
	sc := scenarios[seed%uint64(len(scenarios))]
	d := seedDecoys(h)
	want := sc.prepare(t, h)
	touch(t, h) // the emulator renders URLs with the host of the last request
	before := d.snapshot()
	rules := hostile.Generate(seed, kinds, d.targets)
	proxy.SetRules(rules...)

	ctx, cancel := context.WithTimeout(t.Context(), limit)
	defer cancel()
	start := time.Now()
	res := h.RunCtx(ctx, inputs)
	took := time.Since(start)

	st.add(len(proxy.Told()) > 0, res.Code == 0)
	var broken []string
	if took >= limit {
		broken = append(broken, fmt.Sprintf("the run did not end by itself within %s", limit))
	}
	if after := d.snapshot(); after != before {
		broken = append(broken, "a release or asset the run did not identify changed:\n"+diff(before, after))
	}
	for _, rel := range h.Emu.Releases(actiontest.Repo) {
		if rel.TagName != tag && rel.TagName != decoyTag {
			broken = append(broken, fmt.Sprintf("a release for the tag %q appeared", rel.TagName))
		}
	}
	if res.Code == 0 {
		rels := h.ReleasesFor(tag)
		switch {
		case len(rels) != 1:
			broken = append(broken, fmt.Sprintf("exit 0 with %d releases for %s", len(rels), tag))
		case rels[0].Draft:
			broken = append(broken, "exit 0 with the release still a draft")
		default:
			if got := h.AssetContents(rels[0].ID); !maps.Equal(got, want) {
				broken = append(broken, fmt.Sprintf("exit 0 with assets %v, want %v", got, want))
			}
		}
	} else if msg := errorLine(res.Stdout); msg == "" {
		broken = append(broken, fmt.Sprintf("exit %d without an ::error:: line that says why", res.Code))
	}
	reportBroken(t, seed, fmt.Sprintf("scenario %q, ", sc.name), rules, proxy, res, took, broken)
}

// reportBroken fails a case whose promise broke (nothing when broken is
// empty), with what replays it, the rules, the lies told and the run's log.
func reportBroken(t *testing.T, seed uint64, what string, rules []hostile.Rule, proxy *hostile.Proxy, res actiontest.Result, took time.Duration, broken []string) {
	t.Helper()
	if len(broken) == 0 {
		return
	}
	var rs []string
	for _, r := range rules {
		rs = append(rs, "  "+r.String())
	}
	t.Errorf("seed %d (replay: LIES_SEED=%d go test -run '%s' ./internal/lies), %sexit %d after %s\nrules:\n%s\nlies told:\n  %s\nbroken:\n  %s\nlog:\n%s",
		seed, seed, strings.SplitN(t.Name(), "/", 2)[0], what, res.Code, took.Round(time.Millisecond),
		strings.Join(rs, "\n"), strings.Join(proxy.Told(), "\n  "), strings.Join(broken, "\n  "), res.Stdout)
}

// stats counts what the cases of one test did, so a generator that stopped
// lying cannot pass unnoticed.
type stats struct {
	mu                     sync.Mutex
	cases, lied, succeeded int
}

func (s *stats) add(lied, succeeded bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cases++
	if lied {
		s.lied++
	}
	if succeeded {
		s.succeeded++
	}
}

// report logs the counts when the test's cases are done, and fails when fewer
// than half of them were lied to.
func (s *stats) report(t *testing.T) {
	t.Cleanup(func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		t.Logf("%d cases: %d were lied to; %d ended with exit 0, %d failed", s.cases, s.lied, s.succeeded, s.cases-s.succeeded)
		if s.cases > 1 && 2*s.lied < s.cases {
			t.Errorf("only %d of %d cases were lied to: the generator lost its lies", s.lied, s.cases)
		}
	})
}

// errorLine returns the message of the first ::error:: workflow command.
func errorLine(stdout string) string {
	for _, l := range strings.Split(stdout, "\n") {
		if _, msg, ok := strings.Cut(l, "::error"); ok && strings.HasPrefix(l, "::error") {
			if _, text, ok := strings.Cut(msg, "::"); ok && strings.TrimSpace(text) != "" {
				return text
			}
		}
	}
	return ""
}

// TestLiesAboutIdentityAndContent: under generated lies about tags,
// repositories, ids, duplicated entries, sizes and digests, every run ends with
// the release asked for or fails saying why, and changes nothing else.
func TestLiesAboutIdentityAndContent(t *testing.T) {
	t.Parallel()
	var st stats
	st.report(t)
	for _, seed := range seeds(t, 1, 400) {
		t.Run("seed="+strconv.FormatUint(seed, 10), func(t *testing.T) {
			t.Parallel()
			runCase(t, &st, seed, hostile.KindIdentity|hostile.KindContent, 30*time.Second)
		})
	}
}

// TestLiesTellingConsistently: lies told consistently where the request does
// not name what the answer must be about (a listing's entry, an upload's new
// asset: the id or tag changed in the URLs too). No single answer shows them:
// the publisher acts on an id (a delete, a rename) only once a second answer,
// about that asset of that release, agrees (publish.executor.stillKnown).
func TestLiesTellingConsistently(t *testing.T) {
	t.Parallel()
	var st stats
	st.report(t)
	for _, seed := range seeds(t, 200001, 600) {
		t.Run("seed="+strconv.FormatUint(seed, 10), func(t *testing.T) {
			t.Parallel()
			runCase(t, &st, seed, hostile.KindConsistent|hostile.KindContent, 30*time.Second)
		})
	}
}

// shortTimeouts are the client's waits scaled down for the tests: the same
// code, seconds instead of minutes. The honest emulator answers on loopback in
// milliseconds, so no honest answer comes near them.
var shortTimeouts = ghclient.Timeouts{
	Header: 2 * time.Second, UploadHeader: 2 * time.Second, Idle: time.Second,
	Total: 3 * time.Second, Transfer: 3 * time.Second,
}

// TestLiesBoundedAnswers: gzip bombs and answers dribbled a byte at a time end
// the run with an error in bounded time and memory, under the client's total
// deadlines and decompressed-size caps scaled down (shortTimeouts).
// LIES_BOUNDS_LIMIT sets how long a run may take (default 60s).
func TestLiesBoundedAnswers(t *testing.T) {
	limit := time.Minute
	if v, err := time.ParseDuration(os.Getenv("LIES_BOUNDS_LIMIT")); err == nil && v > 0 {
		limit = v
	}
	t.Parallel()
	var st stats
	st.report(t)
	for _, seed := range seeds(t, 100001, 12) {
		t.Run("seed="+strconv.FormatUint(seed, 10), func(t *testing.T) {
			t.Parallel()
			runCase(t, &st, seed, hostile.KindBounds, limit)
		})
	}
}
