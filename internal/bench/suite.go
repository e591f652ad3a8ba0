package bench

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/releasekit/release-action/internal/emulator"
)

// Config says how to run the scenarios.
type Config struct {
	// Quick shrinks the sizes and repetitions for a smoke run.
	Quick bool
	// Action runs the action; Child{Path} for figures, InProcess{} for tests.
	Action Runner
	// CopyPath is the plain-copy baseline program (cmd/bench/internal/plaincopy),
	// needed by the huge scenario only, with the Launcher that measures it.
	CopyPath string
	Launcher *Launcher
	// Dir is a scratch directory the suite fills; the caller removes it.
	Dir string
	// Out receives the report as the runs happen.
	Out io.Writer
}

// Suite runs scenarios, one emulator per scenario.
type Suite struct {
	cfg      Config
	hugePath string
	nlog     int
}

// NewSuite returns a suite for cfg.
func NewSuite(cfg Config) *Suite {
	if cfg.Out == nil {
		cfg.Out = io.Discard
	}
	return &Suite{cfg: cfg}
}

// Record is one run of a program in a scenario.
type Record struct {
	Label string
	Measure
	Traffic
	ServerCPU time.Duration // CPU the emulator's process used during the run
	Log       string        // the run's output
}

// Verdict is one target of a scenario, met or not.
type Verdict struct {
	Scenario, Name   string
	Pass             bool
	Measured, Target string
}

func (v Verdict) String() string {
	word := "FAIL"
	if v.Pass {
		word = "PASS"
	}
	return fmt.Sprintf("VERDICT %s %s: %s = %s (target %s)", word, v.Scenario, v.Name, v.Measured, v.Target)
}

// Result is what one scenario measured.
type Result struct {
	Scenario string
	Runs     []Record
	Verdicts []Verdict
	Notes    []string
	Err      error // the scenario could not complete; also a failed verdict
}

// Passed reports whether every verdict passed and nothing broke.
func (r *Result) Passed() bool {
	if r.Err != nil {
		return false
	}
	for _, v := range r.Verdicts {
		if !v.Pass {
			return false
		}
	}
	return true
}

// Scenarios lists the scenario names in the order "all" runs them.
var Scenarios = []string{"small", "many-medium", "many-small", "huge", "parallel", "startup", "limit-short"}

// SlowScenarios take minutes; "all" runs them only when asked to.
var SlowScenarios = []string{"limit-minute", "hour-wait", "hour-stop"}

var scenarioFuncs = map[string]func(*Suite, context.Context, *Stages, *Result) error{
	"small":        (*Suite).small,
	"many-medium":  (*Suite).manyMedium,
	"many-small":   (*Suite).manySmall,
	"huge":         (*Suite).huge,
	"parallel":     (*Suite).parallel,
	"startup":      (*Suite).startup,
	"limit-short":  (*Suite).limitShort,
	"limit-minute": (*Suite).limitMinute,
	"hour-wait":    (*Suite).hourWait,
	"hour-stop":    (*Suite).hourStop,
}

// Stages starts the emulators of a scenario, each with the options the scenario
// needs (parallel caps the upload rate), and closes them when it ends.
type Stages struct{ open []*Stage }

func (ss *Stages) closeAll() {
	for _, s := range ss.open {
		s.Close()
	}
}

// Run runs the named scenario and prints its report as it goes.
func (s *Suite) Run(ctx context.Context, name string) *Result {
	res := &Result{Scenario: name}
	f := scenarioFuncs[name]
	if f == nil {
		res.Err = fmt.Errorf("unknown scenario %q (have %s)", name, strings.Join(append(Scenarios, SlowScenarios...), ", "))
		return res
	}
	s.printf("\n=== %s\n", name)
	ss := &Stages{}
	defer ss.closeAll()
	if err := f(s, ctx, ss, res); err != nil {
		res.Err = err
		s.printf("ERROR %s: %v\n", name, err)
	}
	for _, n := range res.Notes {
		s.printf("   note: %s\n", n)
	}
	for _, v := range res.Verdicts {
		s.printf("%s\n", v)
	}
	return res
}

func (s *Suite) printf(format string, args ...any) {
	fmt.Fprintf(s.cfg.Out, format, args...)
}

// stage starts an emulator for the scenario.
func (ss *Stages) stage(opts emulator.Options) (*Stage, error) {
	st, err := NewStage(opts)
	if err != nil {
		return nil, err
	}
	ss.open = append(ss.open, st)
	return st, nil
}

// verdict records a target.
func (r *Result) verdict(name string, pass bool, measured, target string) {
	r.Verdicts = append(r.Verdicts, Verdict{Scenario: r.Scenario, Name: name, Pass: pass, Measured: measured, Target: target})
}

func (r *Result) notef(format string, args ...any) {
	r.Notes = append(r.Notes, fmt.Sprintf(format, args...))
}

// runAction runs the action once against st and records it.
func (s *Suite) runAction(ctx context.Context, st *Stage, res *Result, label string, env map[string]string) (Record, error) {
	return s.record(ctx, st, res, label, func(ctx context.Context, out io.Writer) (Measure, error) {
		return s.cfg.Action.RunAction(ctx, env, out)
	})
}

// runCopy uploads path with the plain-copy baseline to a new draft release.
func (s *Suite) runCopy(ctx context.Context, st *Stage, res *Result, label, tag, path string) (Record, error) {
	if s.cfg.CopyPath == "" || s.cfg.Launcher == nil {
		return Record{}, fmt.Errorf("no plain-copy program to compare with")
	}
	args := []string{"-url", st.UploadURL(tag, filepath.Base(path)), "-token", Token, "-file", path}
	return s.record(ctx, st, res, label, func(ctx context.Context, out io.Writer) (Measure, error) {
		return s.cfg.Launcher.Run(ctx, s.cfg.CopyPath, args, nil, out)
	})
}

// record runs one program, collects what the emulator saw and prints the run.
// A non-zero exit becomes a failed verdict and shows the end of the output.
func (s *Suite) record(ctx context.Context, st *Stage, res *Result, label string, run func(context.Context, io.Writer) (Measure, error)) (Record, error) {
	if err := os.MkdirAll(filepath.Join(s.cfg.Dir, "logs"), 0o755); err != nil {
		return Record{}, err
	}
	s.nlog++
	logPath := filepath.Join(s.cfg.Dir, "logs", fmt.Sprintf("%02d-%s.log", s.nlog, res.Scenario))
	f, err := os.Create(logPath)
	if err != nil {
		return Record{}, err
	}
	defer f.Close()
	if _, err := st.collect(ctx); err != nil { // forget anything before this run
		return Record{}, err
	}
	rctx, cancel := context.WithTimeout(ctx, 20*time.Minute)
	defer cancel()
	cpu0 := selfCPU()
	m, err := run(rctx, f)
	if err != nil {
		return Record{}, fmt.Errorf("%s: %w", label, err)
	}
	tr, err := st.collect(ctx)
	if err != nil {
		return Record{}, fmt.Errorf("%s: %w", label, err)
	}
	rec := Record{Label: label, Measure: m, Traffic: tr, ServerCPU: selfCPU() - cpu0, Log: logPath}
	res.Runs = append(res.Runs, rec)
	s.printRecord(rec)
	if m.Exit != 0 {
		res.verdict(label+": exit code", false, fmt.Sprint(m.Exit), "0")
		s.printf("   last lines of %s:\n", logPath)
		for _, l := range tail(logPath, 20) {
			s.printf("   | %s\n", l)
		}
	}
	return rec, nil
}

func (s *Suite) printRecord(r Record) {
	s.printf("-- %s: exit %d, wall %s", r.Label, r.Exit, fmtDur(r.Wall))
	if r.MaxRSS > 0 {
		s.printf(", peak RSS %s, CPU %s user + %s sys", fmtMiB(r.MaxRSS), fmtDur(r.User), fmtDur(r.Sys))
	}
	s.printf(", emulator CPU %s\n", fmtDur(r.ServerCPU))
	s.printf("   requests %d: %s\n", r.Requests, fmtCounts(r.Counts))
	s.printf("   uploaded %d assets, %s (%d bytes)", r.Uploads, fmtMiB(r.UploadBytes), r.UploadBytes)
	if r.UploadSpan > 0 {
		s.printf(", first upload start to last upload end %s", fmtDur(r.UploadSpan))
	}
	s.printf("\n")
	if r.ClientErrs+r.ServerErrs > 0 {
		s.printf("   answers: %d with 4xx (lookups of a release not made yet), %d with 5xx or dropped\n", r.ClientErrs-r.Limited, r.ServerErrs)
	}
	if r.Limited > 0 {
		s.printf("   limit answers (403 or 429 to a write): %d\n", r.Limited)
	}
}

func tail(path string, n int) []string {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		lines = append(lines, sc.Text())
		if len(lines) > n {
			lines = lines[1:]
		}
	}
	return lines
}

// workspace makes a fresh directory for a scenario's files.
func (s *Suite) workspace(name string) (string, error) {
	return os.MkdirTemp(s.cfg.Dir, name+"-")
}
