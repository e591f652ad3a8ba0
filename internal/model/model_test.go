package model

import (
	"fmt"
	"math/rand/v2"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// binDir holds the binaries the tests build; TestMain removes it.
var binDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "model-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// binaries builds the action once per set of build tags.
var binaries sync.Map // tags → func() (string, error)

func binary(t *testing.T, tags ...string) string {
	t.Helper()
	key := fmt.Sprint(tags)
	f, _ := binaries.LoadOrStore(key, sync.OnceValues(func() (string, error) { return Build(binDir, tags...) }))
	bin, err := f.(func() (string, error))()
	if err != nil {
		t.Fatal(err)
	}
	return bin
}

func files(kv ...string) map[string]string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return m
}

var overwrite = map[string]string{"overwrite": "true"}

// plan is how a case is explored in CI: exhaustively (up to the reduction),
// or random schedules with a printed seed.
type plan struct {
	c          *Case
	exhaustive bool
	// limit caps an exhaustive search (per kill point), so that a change that
	// adds requests cannot take CI past its budget; reaching it is logged.
	limit  int
	random int // schedules when not exhaustive
}

// Matrix siblings share GITHUB_RUN_ID and GITHUB_JOB; separate workflow runs
// have their own run ids; a re-run has the same run id and the next attempt.
// The largest come first, so that the parallel cases end together. The
// limits keep TestModel near two minutes on two cores: with the replacement
// protocol of issue 18, replace-same has 518 schedules, delete-other 129.
var plans = []plan{
	{c: &Case{Name: "new-same-2", Runs: []Run{
		{Files: files("app.tgz", "build 1")},
		{Files: files("app.tgz", "build 1")},
	}}, exhaustive: true, limit: 800},
	{c: &Case{Name: "replace-same", Published: files("app.tgz", "build 1"), Runs: []Run{
		{Files: files("app.tgz", "build 2"), Inputs: overwrite},
		{Files: files("app.tgz", "build 2"), Inputs: overwrite},
	}}, exhaustive: true, limit: 600},
	{c: &Case{Name: "new-same-3", Runs: []Run{
		{Files: files("app.tgz", "build 1", "app.sig", "sig 1")},
		{Files: files("app.tgz", "build 1", "app.sig", "sig 1")},
		{Files: files("app.tgz", "build 1", "app.sig", "sig 1")},
	}}, random: 80},
	{c: &Case{Name: "new-same-4", Runs: []Run{
		{Files: files("app.tgz", "build 1")},
		{Files: files("app.tgz", "build 1"), RunID: "4243"},
		{Files: files("app.tgz", "build 1", "app.sig", "sig 1")},
		{Files: files("app.sig", "sig 1"), RunID: "4244", Job: "sign"},
	}}, random: 50},
	{c: &Case{Name: "replace-differ", Published: files("app.tgz", "build 1"), Runs: []Run{
		{Files: files("app.tgz", "build 2"), Inputs: overwrite},
		{Files: files("app.tgz", "build 3 (longer)"), Inputs: overwrite, RunID: "4243"},
	}}, exhaustive: true, limit: 150},
	{c: &Case{Name: "replace-rerun", Published: files("app.tgz", "build 1", "notes.txt", "notes"), Runs: []Run{
		{Files: files("app.tgz", "build 2", "notes.txt", "notes"), Inputs: overwrite},
		{Files: files("app.tgz", "build 2", "notes.txt", "notes"), Inputs: overwrite, Attempt: 2},
	}}, exhaustive: true, limit: 150},
	{c: &Case{Name: "replace-3", Published: files("app.tgz", "build 1"), Runs: []Run{
		{Files: files("app.tgz", "build 2"), Inputs: overwrite},
		{Files: files("app.tgz", "build 2"), Inputs: overwrite},
		{Files: files("app.tgz", "build 3"), Inputs: overwrite, RunID: "4243"},
	}}, random: 80},
	{c: &Case{Name: "delete-other", Published: files("app.tgz", "build 1", "stale.txt", "stale"), Runs: []Run{
		{Files: files("app.tgz", "build 2"), Inputs: map[string]string{"overwrite": "true", "delete_other_assets": "true"}},
		{Files: files("extra.txt", "extra"), RunID: "4243", Job: "docs"},
	}}, exhaustive: true, limit: 300},
	// Fan-in: each matrix job uploads its part, and the draft is published
	// only by a job that finds every expected asset on it.
	{c: &Case{Name: "fan-in-2", Runs: []Run{
		{Files: files("app-linux.tgz", "linux"), Inputs: fanInInputs},
		{Files: files("app-mac.tgz", "mac"), Inputs: fanInInputs},
	}}, exhaustive: true, limit: 150},
	{c: &Case{Name: "fan-in-3", Runs: []Run{
		{Files: files("app-linux.tgz", "linux"), Inputs: fanInInputs3},
		{Files: files("app-mac.tgz", "mac"), Inputs: fanInInputs3},
		{Files: files("app-win.tgz", "win"), Inputs: fanInInputs3},
	}}, random: 40},
	{c: &Case{Name: "kill-new", Runs: []Run{
		{Files: files("app.tgz", "build 1")},
		{Files: files("app.tgz", "build 1")},
	}, Kill: &Kill{Run: 0}}, random: 100},
	{c: &Case{Name: "cancel-new", Runs: []Run{
		{Files: files("app.tgz", "build 1")},
		{Files: files("app.tgz", "build 1")},
	}, Kill: &Kill{Run: 0, Signal: syscall.SIGTERM}}, exhaustive: true, limit: 30},
	{c: &Case{Name: "cancel-replace", Published: files("app.tgz", "build 1"), Runs: []Run{
		{Files: files("app.tgz", "build 2"), Inputs: overwrite},
		{Files: files("app.tgz", "build 3"), Inputs: overwrite, RunID: "4243"},
	}, Kill: &Kill{Run: 0, Signal: syscall.SIGTERM}}, exhaustive: true, limit: 20},
	{c: &Case{Name: "kill-replace", Published: files("app.tgz", "build 1"), Runs: []Run{
		{Files: files("app.tgz", "build 2"), Inputs: overwrite},
		{Files: files("app.tgz", "build 2"), Inputs: overwrite, RunID: "4243"},
	}, Kill: &Kill{Run: 0}}, exhaustive: true, limit: 50},
}

var (
	fanInInputs  = map[string]string{"expected_assets": "app-linux.tgz, app-mac.tgz"}
	fanInInputs3 = map[string]string{"expected_assets": "app-linux.tgz, app-mac.tgz, app-*.tgz, app-win.tgz"}
)

// envInt reads a positive number from the environment.
func envInt(t *testing.T, name string, def int) int {
	t.Helper()
	s := os.Getenv(name)
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 {
		t.Fatalf("%s=%q: want a positive number", name, s)
	}
	return n
}

// seed is MODEL_SEED, or one drawn from the clock.
func seed(t *testing.T) uint64 {
	t.Helper()
	if s := os.Getenv("MODEL_SEED"); s != "" {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("MODEL_SEED=%q: %v", s, err)
		}
		return n
	}
	return uint64(time.Now().UnixNano())
}

// options are the exploration's knobs from the environment: MODEL_KEEP_GOING=1
// explores on after a failing schedule and counts them; MODEL_BUDGET (a
// duration, 2m by default) stops every case once it has passed.
func options(t *testing.T) Options {
	budget := 2 * time.Minute
	if s := os.Getenv("MODEL_BUDGET"); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil {
			t.Fatalf("MODEL_BUDGET=%q: %v", s, err)
		}
		budget = d
	}
	return Options{KeepGoing: os.Getenv("MODEL_KEEP_GOING") != "", Deadline: time.Now().Add(budget)}
}

// explore runs one plan and logs its figures: schedules, whether exhaustive,
// the seed, the mean time per schedule.
func explore(t *testing.T, h *Harness, p plan, seed uint64, opt Options) Stats {
	t.Helper()
	c := p.c
	kills, err := h.KillPoints(c)
	if err != nil {
		t.Fatalf("case %s: %v", c.Name, err)
	}
	var st Stats
	what := ""
	switch {
	case p.exhaustive:
		opt.Limit = p.limit
		if os.Getenv("MODEL_EXHAUSTIVE_LIMIT") != "" {
			opt.Limit = envInt(t, "MODEL_EXHAUSTIVE_LIMIT", p.limit)
		}
		points := []int{0}
		if c.Kill != nil {
			points = kills
			what = fmt.Sprintf(" for kill points 1..%d", len(kills))
		}
		st.Exhaustive = true
		bound := -2
		for _, k := range points {
			s := h.Exhaustive(c, k, opt)
			st.Add(s)
			st.Exhaustive = st.Exhaustive && s.Exhaustive
			if bound == -2 || s.Preemptions < bound {
				bound = s.Preemptions
			}
			if s.Failure != nil && !opt.KeepGoing {
				break
			}
		}
		what = fmt.Sprintf("exhaustive %v%s", st.Exhaustive && !st.Limited, what)
		if st.Limited {
			covered := fmt.Sprintf("every branch with at most %d preemptions explored", bound)
			if bound < 0 {
				covered = "not every branch without preemption explored"
			}
			what += fmt.Sprintf(" (stopped at the limit of %d schedules or at MODEL_BUDGET; %s)", opt.Limit, covered)
		}
		if st.Pruned > 0 {
			what += fmt.Sprintf(", %d more stopped early by the reduction", st.Pruned)
		}
	default:
		n := p.random
		if os.Getenv("MODEL_SCHEDULES") != "" {
			n = envInt(t, "MODEL_SCHEDULES", n)
		}
		st = h.Random(c, seed, n, kills, opt)
		what = fmt.Sprintf("random, seed %d (MODEL_SEED=%d draws them again)", seed, seed)
		if st.Limited {
			what += ", stopped at MODEL_BUDGET"
		}
	}
	if st.Failures > 0 {
		what += fmt.Sprintf(", %d failing", st.Failures)
	}
	t.Logf("%s: %d schedules, %s, %v in all, %v per schedule",
		c.Name, st.Schedules, what, st.Elapsed.Round(time.Millisecond), st.Mean().Round(100*time.Microsecond))
	return st
}

// TestModel explores every case against the action as built from this tree,
// and fails with a replayable report at the first broken invariant of each.
// The cases run in parallel (go test's -parallel, GOMAXPROCS by default), one
// schedule at a time each. Knobs: MODEL_SCHEDULES (random schedules per
// random case), MODEL_EXHAUSTIVE_LIMIT, MODEL_BUDGET, MODEL_SEED,
// MODEL_KEEP_GOING; MODEL_REPLAY with TestModelReplay.
func TestModel(t *testing.T) {
	h := &Harness{Bin: binary(t)}
	base, opt := seed(t), options(t)
	var mu sync.Mutex
	total, ran, failed := 0, 0, false
	start := time.Now()
	t.Run("cases", func(t *testing.T) {
		for i, p := range plans {
			t.Run(p.c.Name, func(t *testing.T) {
				t.Parallel()
				st := explore(t, h, p, base+uint64(i), opt)
				mu.Lock()
				total += st.Schedules
				ran++
				failed = failed || st.Failure != nil
				mu.Unlock()
				if st.Failure != nil {
					t.Errorf("broken after %d schedules (%v):\n%s", st.FailedAt, st.Elapsed.Round(time.Millisecond), st.Failure.Report())
				}
			})
		}
	})
	t.Logf("%d schedules in all, %v", total, time.Since(start).Round(time.Millisecond))
	knobs := false
	for _, k := range []string{"MODEL_SCHEDULES", "MODEL_EXHAUSTIVE_LIMIT", "MODEL_BUDGET"} {
		knobs = knobs || os.Getenv(k) != ""
	}
	// CI's budget: with the defaults, every case together explores 1,000 or more.
	if !failed && !knobs && ran == len(plans) && total < 1000 {
		t.Errorf("only %d schedules explored; CI's budget is at least 1,000", total)
	}
}

// TestModelReplay replays one schedule: MODEL_REPLAY="CASE:CHOICES" as a
// failing schedule prints it. Without MODEL_REPLAY it proves the replay line
// itself: a schedule drawn at random, replayed from the line its outcome
// prints, must take the same steps to the same state.
func TestModelReplay(t *testing.T) {
	s := os.Getenv("MODEL_REPLAY")
	if s == "" {
		t.Parallel()
		h := &Harness{Bin: binary(t)}
		c := planNamed(t, "replace-differ")
		seed := uint64(time.Now().UnixNano())
		first := h.Execute(c, 0, RandomPicker(rand.New(rand.NewPCG(seed, 0))))
		if first.Failed() {
			t.Fatalf("seed %d:\n%s", seed, first.Report())
		}
		r, err := ParseReplay(first.Replay())
		if err != nil {
			t.Fatal(err)
		}
		again := h.Execute(c, r.KillAt, ReplayPicker(r.Choices))
		if again.Failed() || !slices.Equal(again.Steps, first.Steps) || again.Final.String() != first.Final.String() {
			t.Fatalf("MODEL_REPLAY=%q (seed %d) did not take the same schedule to the same state\nfirst:\n%s\nreplayed:\n%s", first.Replay(), seed, first.Report(), again.Report())
		}
		return
	}
	r, err := ParseReplay(s)
	if err != nil {
		t.Fatal(err)
	}
	c := planNamed(t, r.Case)
	var tags []string
	if s := os.Getenv("MODEL_TAGS"); s != "" {
		tags = []string{s}
	}
	h := &Harness{Bin: binary(t, tags...), Tags: os.Getenv("MODEL_TAGS")}
	o := h.Execute(c, r.KillAt, ReplayPicker(r.Choices))
	if o.Failed() {
		t.Fatalf("%s", o.Report())
	}
	t.Logf("no invariant broken:\n%s", o.Report())
}

// planNamed returns the case of plans named name.
func planNamed(t *testing.T, name string) *Case {
	t.Helper()
	for _, p := range plans {
		if p.c.Name == name {
			return p.c
		}
	}
	t.Fatalf("MODEL_REPLAY: no case %q", name)
	return nil
}

// TestModelFindsTheOldReplacement is the proof that the model finds real
// bugs: the action built with -tags oldreplace (the replacement protocol from
// before issue 18: upload under a temporary name, delete the old asset,
// rename; leftovers taken by name) must break an invariant within CI's
// budget. It explores replace-same to the end (a few hundred schedules), and
// prints the first failing schedule, then the first schedule that broke each
// kind of invariant, with how many schedules and how long it took to find it.
func TestModelFindsTheOldReplacement(t *testing.T) {
	h := &Harness{Bin: binary(t, "oldreplace"), Tags: "oldreplace"}
	type found struct {
		o    *Outcome
		n    int
		took time.Duration
	}
	var kinds []string
	first := map[string]found{}
	n, failing := 0, 0
	start := time.Now()
	opt := Options{KeepGoing: true, Each: func(o *Outcome) {
		if o.Pruned {
			return
		}
		n++
		if !o.Failed() {
			return
		}
		failing++
		for _, v := range o.Violations {
			k := kindOf(v)
			if _, ok := first[k]; !ok {
				kinds = append(kinds, k)
				first[k] = found{o, n, time.Since(start)}
			}
		}
	}}
	for _, p := range plans {
		if p.c.Name == "replace-same" {
			explore(t, h, p, 0, opt)
		}
	}
	if len(kinds) == 0 {
		t.Fatalf("the model broke no invariant of the old replacement protocol in %d schedules (%v)", n, time.Since(start).Round(time.Millisecond))
	}
	t.Logf("%d of %d schedules broke an invariant (%v); the first:\n%s", failing, n, time.Since(start).Round(time.Millisecond), first[kinds[0]].o.Report())
	for _, k := range kinds {
		f := first[k]
		t.Logf("%s: first at schedule %d, after %v: MODEL_TAGS=oldreplace MODEL_REPLAY=%q", k, f.n, f.took.Round(time.Millisecond), f.o.Replay())
	}
}

// kindOf is a violation without its ids and temporary names: what kind of
// invariant broke.
func kindOf(v string) string {
	v = tempNonce.ReplaceAllString(v, ".replacing-X")
	return number.ReplaceAllString(v, "N")
}

var (
	tempNonce = regexp.MustCompile(`\.replacing-[0-9A-Za-z_-]+`)
	number    = regexp.MustCompile(`[0-9]+`)
)

// TestLongScheduleIsStopped: a schedule that goes on past Harness.MaxSteps
// (a run polling while another is held, say) fails with a message that says
// so, and leaves no process behind.
func TestLongScheduleIsStopped(t *testing.T) {
	h := &Harness{Bin: binary(t), MaxSteps: 3}
	o := h.Execute(plans[0].c, 0, ReplayPicker(nil))
	if o.Err == nil || !strings.Contains(o.Err.Error(), "went past 3 requests") {
		t.Fatalf("schedule of more than 3 requests: err %v", o.Err)
	}
	for _, r := range o.Runs {
		if r.Signal != "killed" {
			t.Errorf("run %d: ended by %q, want killed when the schedule stopped", r.Index, r.Signal)
		}
	}
}
