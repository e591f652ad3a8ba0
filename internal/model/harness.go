package model

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/releasekit/release-action/internal/actiontest"
	"github.com/releasekit/release-action/internal/conformance"
	"github.com/releasekit/release-action/internal/emulator"
)

// The repository and tags every case uses.
const (
	Repo = actiontest.Repo
	// Tag is the tag the runs release.
	Tag = "v1.0.0"
	// OtherTag is a published release no run asks for: it must end as it began.
	OtherTag = "v0.9.0"
	// RunID is GITHUB_RUN_ID of the runs that do not set their own.
	RunID = "4242"
)

// BuildSHA is GITHUB_SHA for every run: a commit on main, seeded before the runs.
var BuildSHA = emulator.CommitSHA("model build")

// Case is one scenario: what the repository holds, and the runs that start
// together against it.
type Case struct {
	Name string
	// Published, when not nil, is a published release for Tag holding these
	// assets (name → content) before the runs.
	Published map[string]string
	Runs      []Run
	// Kill, when set, kills one run with SIGKILL when it sends one of its
	// requests, then runs it again, alone, as the next attempt once every other
	// run is done.
	Kill *Kill
}

// Run is one run of the action.
type Run struct {
	Files  map[string]string // dist/NAME → content; the run publishes dist/*
	Inputs map[string]string // more inputs by action.yml's names (overwrite, ...)
	// RunID, Job and Attempt are GITHUB_RUN_ID, GITHUB_JOB and
	// GITHUB_RUN_ATTEMPT ("4242", "release", 1 when empty). Matrix jobs share
	// the run id and the job.
	RunID   string
	Job     string
	Attempt int
}

func (r Run) attempt() int { return max(1, r.Attempt) }

func (r Run) runID() string {
	if r.RunID == "" {
		return RunID
	}
	return r.RunID
}

func (r Run) job() string {
	if r.Job == "" {
		return "release"
	}
	return r.Job
}

func (r Run) input(name string) string { return r.Inputs[name] }

// Kill says which run is stopped, and how; when is the explorer's choice
// (the kill point).
type Kill struct {
	Run int
	// Signal is what the run gets: SIGKILL when 0. With SIGKILL, the request
	// at the kill point reaches the emulator, which answers it after the
	// process died. With SIGTERM or SIGINT (the runner's cancel), the model
	// waits until the run abandoned that request (it then sends its cleanup
	// requests, scheduled like any other) or exited, then lets the request
	// through: it reached GitHub, the run never saw the answer. An upload's
	// body is read whole before it counts as held (sched.go), so it arrives
	// complete either way.
	Signal syscall.Signal
}

func (k *Kill) signal() syscall.Signal {
	if k.Signal == 0 {
		return syscall.SIGKILL
	}
	return k.Signal
}

// Harness runs schedules of cases against the action's binary.
type Harness struct {
	Bin  string // the action's binary
	Tags string // the build tags it was built with, for the replay line
	// Quiet bounds the wait for a run's next request or exit (30 s if 0).
	Quiet time.Duration
	// MaxSteps bounds the requests of one schedule (500 if 0): a run that
	// polls while another is held could otherwise be chosen for ever.
	MaxSteps int
}

// RunResult is what one run left behind.
type RunResult struct {
	Index    int
	Spec     Run
	Attempt  int
	Killed   bool   // killed by the model (SIGKILL)
	Stopped  string // the signal the model sent it to stop (SIGTERM, SIGINT), if any
	Code     int    // exit code; -1 when a signal ended it
	Signal   string // the signal that ended the process, if one did
	Stdout   string // the "::add-mask::" lines dropped and the token redacted
	Stderr   string
	Outputs  map[string]string
	OutErr   string // GITHUB_OUTPUT could not be parsed
	AtExit   State  // the emulator's state when the run exited
	Requests int    // requests the model let through for it
	token    string
}

// Outcome is one schedule: the choices made, the runs, the final state and the
// broken invariants.
type Outcome struct {
	Case       *Case
	Tags       string // the binary's build tags
	KillAt     int
	Choices    []int // the run whose request went through, step by step
	Steps      []Choice
	Runs       []*RunResult
	Initial    State
	Final      State
	Violations []string
	Err        error // the model could not drive the schedule
	Pruned     bool  // stopped early: every continuation was explored already
	Elapsed    time.Duration
}

// Failed reports whether the schedule broke an invariant or could not be driven.
func (o *Outcome) Failed() bool { return o.Err != nil || len(o.Violations) > 0 }

// Picker chooses which held request goes through next: an index into enabled
// (sorted by run), or -1 to stop the schedule here.
type Picker func(step int, enabled []Choice) int

// Execute drives one schedule of c from scratch: a new emulator, the runs
// started as processes, then, each time every live run holds exactly one
// request (or has exited), pick chooses one request to let through and the
// model waits for its answer. When c.Kill is set, killAt is the request at
// which the run is killed (0: never).
func (h *Harness) Execute(c *Case, killAt int, pick Picker) *Outcome {
	start := time.Now()
	o := &Outcome{Case: c, KillAt: killAt, Tags: h.Tags}
	dir, err := os.MkdirTemp("", "model-")
	if err != nil {
		o.Err = err
		return o
	}
	defer os.RemoveAll(dir)
	x := &execution{h: h, c: c, o: o, dir: dir, sched: newScheduler(), killAt: killAt}
	x.emu = emulator.New(emulator.Options{Hold: x.sched.hold})
	seedCase(x.emu, c)
	x.srv = httptest.NewServer(x.emu)
	o.Initial = snapshot(x.emu, Repo)
	o.Err = x.drive(pick)
	x.stop()
	o.Final = snapshot(x.emu, Repo)
	x.srv.Close()
	if o.Err == nil && !o.Pruned {
		o.Violations = Check(o)
	}
	o.Elapsed = time.Since(start)
	return o
}

// seedCase puts the case's starting state in place: the commit the runs built,
// another published release, and the release for Tag when the case has one.
func seedCase(emu *emulator.Server, c *Case) {
	emu.AddRepo(Repo, false)
	emu.Git().SeedCommit(Repo, BuildSHA, emulator.InitialCommit(Repo))
	emu.Git().SetBranchHead(Repo, "main", BuildSHA)
	other := emu.SeedRelease(Repo, emulator.SeedRelease{TagName: OtherTag, Name: "older", Body: "an older release"})
	emu.SeedAsset(Repo, other.ID, "other.txt", "", "", []byte("an asset of another release"))
	if c.Published != nil {
		rel := emu.SeedRelease(Repo, emulator.SeedRelease{TagName: Tag, Name: Tag})
		for _, name := range sortedKeys(c.Published) {
			emu.SeedAsset(Repo, rel.ID, name, "", "", []byte(c.Published[name]))
		}
	}
}

// execution is one schedule under way.
type execution struct {
	h      *Harness
	c      *Case
	o      *Outcome
	dir    string
	sched  *scheduler
	emu    *emulator.Server
	srv    *httptest.Server
	killAt int

	mu    sync.Mutex
	procs []*proc
}

type proc struct {
	res  *RunResult
	cmd  *exec.Cmd
	out  string // GITHUB_OUTPUT
	done chan struct{}
	buf  struct{ stdout, stderr bytes.Buffer }
}

func (h *Harness) quiet() time.Duration {
	if h.Quiet > 0 {
		return h.Quiet
	}
	return 30 * time.Second
}

func (h *Harness) maxSteps() int {
	if h.MaxSteps > 0 {
		return h.MaxSteps
	}
	return 500
}

// drive starts the runs and lets their requests through one at a time.
func (x *execution) drive(pick Picker) error {
	for i, r := range x.c.Runs {
		if err := x.start(i, r, r.attempt()); err != nil {
			return err
		}
	}
	if err := x.loop(pick); err != nil || x.o.Pruned {
		return err
	}
	if k := x.c.Kill; k != nil {
		again := x.c.Runs[k.Run]
		again.Attempt = again.attempt() + 1
		if err := x.start(len(x.c.Runs), again, again.Attempt); err != nil {
			return err
		}
		return x.loop(pick)
	}
	return nil
}

// loop runs until every started run has exited.
func (x *execution) loop(pick Picker) error {
	limit := x.h.quiet()
	for {
		enabled, err := x.sched.quiet(limit)
		if err != nil {
			return err
		}
		if len(enabled) == 0 {
			return nil
		}
		if limit := x.h.maxSteps(); len(x.o.Choices) >= limit {
			return &errStuck{fmt.Sprintf("the schedule went past %d requests (Harness.MaxSteps): a run may be polling while the model holds another", limit)}
		}
		i := pick(len(x.o.Choices), enabled)
		if i < 0 {
			x.o.Pruned = true
			return nil
		}
		if i >= len(enabled) {
			return &errStuck{fmt.Sprintf("the schedule chose choice %d of %d at step %d", i, len(enabled), len(x.o.Choices))}
		}
		ch := enabled[i]
		x.o.Choices = append(x.o.Choices, ch.Run)
		x.o.Steps = append(x.o.Steps, ch)
		p := x.procs[ch.Run]
		p.res.Requests++
		var before func() error
		if k := x.c.Kill; k != nil && ch.Run == k.Run && p.res.Requests == x.killAt {
			before = func() error {
				sig := k.signal()
				if sig == syscall.SIGKILL {
					p.res.Killed = true
					_ = p.cmd.Process.Kill()
					<-p.done
					return nil
				}
				p.res.Stopped = sig.String()
				if err := p.cmd.Process.Signal(sig); err != nil {
					return err
				}
				return x.sched.reacted(ch.Run, limit)
			}
		}
		if err := x.sched.let(ch.Run, limit, before); err != nil {
			return err
		}
	}
}

// start launches run i as a process with a runner's environment.
func (x *execution) start(i int, r Run, attempt int) error {
	rdir := filepath.Join(x.dir, "run"+strconv.Itoa(i))
	ws := filepath.Join(rdir, "ws")
	if err := os.MkdirAll(filepath.Join(ws, "dist"), 0o755); err != nil {
		return err
	}
	for name, content := range r.Files {
		if err := os.WriteFile(filepath.Join(ws, "dist", name), []byte(content), 0o644); err != nil {
			return err
		}
	}
	out, sum := filepath.Join(rdir, "output"), filepath.Join(rdir, "summary")
	for _, f := range []string{out, sum} {
		if err := os.WriteFile(f, nil, 0o644); err != nil {
			return err
		}
	}
	token := "ghs_model_" + strconv.Itoa(i) + "_" + randomHex(12)
	runID, job := r.runID(), r.job()
	env := map[string]string{
		"PATH": os.Getenv("PATH"), "HOME": rdir, "TMPDIR": rdir, "RUNNER_TEMP": rdir,
		"GITHUB_ACTIONS": "true", "CI": "true",
		"GITHUB_API_URL": x.srv.URL, "GITHUB_SERVER_URL": x.srv.URL,
		"GITHUB_REPOSITORY": Repo, "GITHUB_WORKSPACE": ws,
		"GITHUB_OUTPUT": out, "GITHUB_STEP_SUMMARY": sum,
		"GITHUB_RUN_ID": runID, "GITHUB_RUN_ATTEMPT": strconv.Itoa(attempt), "GITHUB_JOB": job,
		"GITHUB_SHA": BuildSHA, "GITHUB_REF": "refs/tags/" + Tag, "GITHUB_EVENT_NAME": "push",
		"INPUT_TOKEN": token, "INPUT_TAG": Tag, "INPUT_FILES": "dist/*", "INPUT_MAX_PARALLEL": "1",
	}
	for k, v := range r.Inputs {
		env["INPUT_"+strings.ToUpper(k)] = v
	}
	cmd := exec.Command(x.h.Bin)
	cmd.Dir = ws
	for _, k := range sortedKeys(env) {
		cmd.Env = append(cmd.Env, k+"="+env[k])
	}
	p := &proc{res: &RunResult{Index: i, Spec: r, Attempt: attempt, token: token}, cmd: cmd, out: out, done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = &p.buf.stdout, &p.buf.stderr
	x.sched.addRun(i, token)
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start run %d: %w", i, err)
	}
	x.mu.Lock()
	x.procs = append(x.procs, p)
	x.o.Runs = append(x.o.Runs, p.res)
	x.mu.Unlock()
	go x.wait(p)
	return nil
}

// wait records a run's end: its exit code, outputs and the emulator's state
// at that moment (no other request is being answered then: the model lets one
// through at a time and waits for every run to hold one, or exit).
func (x *execution) wait(p *proc) {
	err := p.cmd.Wait()
	res := p.res
	res.AtExit = snapshot(x.emu, Repo)
	res.Code = p.cmd.ProcessState.ExitCode()
	if ws, ok := p.cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		res.Signal = ws.Signal().String()
	}
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		res.Stderr = "wait: " + err.Error() + "\n"
	}
	res.Stdout = clean(p.buf.stdout.String(), res.token)
	res.Stderr += clean(p.buf.stderr.String(), res.token)
	raw, rerr := os.ReadFile(p.out)
	if rerr != nil {
		res.OutErr = rerr.Error()
	} else {
		res.Outputs, res.OutErr = parseOutputs(string(raw))
		if strings.Contains(string(raw), res.token) {
			res.OutErr = "GITHUB_OUTPUT holds the token"
		}
	}
	close(p.done)
	x.sched.runExited(res.Index)
}

// stop ends whatever still runs after a schedule stopped early, lets every
// held request through and waits for the processes.
func (x *execution) stop() {
	x.mu.Lock()
	procs := append([]*proc(nil), x.procs...)
	x.mu.Unlock()
	for _, p := range procs {
		select {
		case <-p.done:
		default:
			_ = p.cmd.Process.Kill()
		}
	}
	x.sched.drain()
	for _, p := range procs {
		<-p.done
	}
}

// tokenLeak is set in a run's Stderr/Stdout when its token was printed.
const tokenLeak = "[the model redacted this run's token here: it was printed]"

// clean drops the one line that may carry the token (the mask command) and
// redacts any other occurrence, which Check reports.
func clean(s, token string) string {
	var keep []string
	for _, l := range strings.Split(s, "\n") {
		if strings.HasPrefix(l, "::add-mask::") {
			continue
		}
		keep = append(keep, strings.ReplaceAll(l, token, tokenLeak))
	}
	return strings.Join(keep, "\n")
}

// parseOutputs reads GITHUB_OUTPUT with actiontest.ParseOutputs, turning its
// Fatalf into an error the model reports as a broken invariant.
func parseOutputs(raw string) (out map[string]string, msg string) {
	rec := &fatalRecorder{}
	defer func() {
		if r := recover(); r != nil {
			if r != rec {
				panic(r)
			}
			out, msg = nil, rec.msg
		}
	}()
	return actiontest.ParseOutputs(rec, raw), ""
}

// fatalRecorder is a testing.TB whose Fatalf records the message and unwinds
// to parseOutputs; ParseOutputs calls nothing else.
type fatalRecorder struct {
	testing.TB
	msg string
}

func (f *fatalRecorder) Helper() {}

func (f *fatalRecorder) Fatalf(format string, args ...any) {
	f.msg = fmt.Sprintf(format, args...)
	panic(f)
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Build compiles the action's binary from the module's root into dir, with
// the build tags given, and returns its path. It is built without -race even
// when the tests run under it: the model needs many runs, fast.
func Build(dir string, tags ...string) (string, error) {
	root, err := conformance.ModuleRoot()
	if err != nil {
		return "", err
	}
	name := "release-action"
	if len(tags) > 0 {
		name += "-" + strings.Join(tags, "-")
	}
	bin := filepath.Join(dir, name)
	args := []string{"build", "-o", bin}
	if len(tags) > 0 {
		args = append(args, "-tags", strings.Join(tags, ","))
	}
	cmd := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), append(args, ".")...)
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go %s: %w\n%s", strings.Join(args, " "), err, out)
	}
	return bin, nil
}
