// Package app runs the action: internal/inputs reads the environment, app builds
// the job (checking every local file), publishes, and has internal/report write
// the step outputs and summary. It is the one place where an error becomes an
// annotation and an exit code.
package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/releasekit/release-action/internal/actions"
	"github.com/releasekit/release-action/internal/ghclient"
	"github.com/releasekit/release-action/internal/inputs"
	"github.com/releasekit/release-action/internal/progress"
	"github.com/releasekit/release-action/internal/publish"
	"github.com/releasekit/release-action/internal/report"
	"github.com/releasekit/release-action/internal/retry"
)

// Version is set at build time with -ldflags "-X .../internal/app.Version=v1.2.3".
var Version = "dev"

// Env is what a run may read from outside: the environment, and its streams.
type Env struct {
	Getenv func(string) string
	// Environ lists the environment (os.Environ), so that an INPUT_* variable
	// action.yml does not declare can be found; internal/inputs reads it.
	Environ func() []string
	// ActionYAML is the embedded action.yml: the declared inputs.
	ActionYAML []byte
	// Stdout receives the results: in a workflow everything (the runner reads
	// workflow commands there), from a terminal only the outputs.
	Stdout io.Writer
	// Stderr receives, outside a workflow, the log, warnings, errors and
	// progress; nil means Stdout.
	Stderr io.Writer
	// Policy overrides the retry policy (tests shorten the waits); nil = default.
	Policy *retry.Policy
	// Timeouts override the client's waits (tests shorten them); a zero field
	// keeps its default.
	Timeouts ghclient.Timeouts
	// Progress overrides the interval of plain upload progress lines; 0 = default,
	// negative = no progress at all.
	Progress time.Duration
	// Hour scales GitHub's hour window down (its Allow and Span; tests make it
	// seconds long); nil = 500 an hour.
	Hour *retry.HourWindow
	// Pace overrides the pacing of every request (the minute window; the bench
	// scales it down with Hour); nil = retry's defaults.
	Pace *retry.Pace
}

// The exit codes, as --help and the README list them. 130 and 143 (SIGINT,
// SIGTERM) come from main.
const (
	exitOK     = 0 // the release is as asked (or, in a dry run, the plan was made)
	exitFailed = 1 // something failed on the way; the log says what
	exitUsage  = 2 // bad flags or inputs: nothing was sent to GitHub
)

// Run performs one publish and returns the process exit code.
func Run(ctx context.Context, env Env) int {
	// Parsing prints nothing, so the logger can wait for the mode it reads.
	cfg, perr := inputs.ParseAll(env.Getenv)
	mode := actions.Mode{Workflow: cfg.InActions, Debug: cfg.Debug}
	logTo := actions.LogStream(mode, env.Stdout, env.Stderr)
	var log *actions.Logger
	meter := newMeter(env, cfg, logTo, func(format string, args ...any) { log.Infof(format, args...) })
	// While bars are drawn, log lines go above them through the meter.
	log = actions.New(meter.Writer(), mode)
	// Mask before anything else can print: the token may arrive under any of these.
	for _, v := range cfg.Secrets {
		log.Mask(v)
	}
	// A signal stops the bars before its line and the cleanup's are printed,
	// so a redraw cannot erase them.
	undo := beforeStop(ctx, meter.Close)
	res, err := run(ctx, env, cfg, perr, log, meter)
	undo()
	// The bars are erased before the results, so none is torn by a redraw.
	meter.Close()
	if err == nil {
		err = writeResults(cfg, res, log, env.Stdout)
	}
	if err != nil {
		stopped := interruptedBy(ctx)
		for _, e := range flatten(err) {
			if stopped != nil && errors.Is(e, context.Canceled) {
				continue // what the interrupt cut short; the last line says so
			}
			log.Errorf("%s", e.Error())
		}
		if stopped != nil {
			log.Errorf("%s: the release is not finished; run the same command again to finish it", stopped.Error())
			return exitFailed // main exits with the signal's code
		}
		var bad *badInput
		if errors.As(err, &bad) {
			return exitUsage
		}
		if onlyHourStop(err) {
			return exitStopped // hour.go
		}
		return exitFailed
	}
	return exitOK
}

// badInput marks the problems found before any request: the flags or inputs,
// and the files they name.
type badInput struct{ err error }

func (b *badInput) Error() string   { return b.err.Error() }
func (b *badInput) Unwrap() []error { return []error{b.err} }

// newMeter shows upload progress on w: live bars when w is a terminal outside a
// workflow, plain lines through logf every env.Progress elsewhere, nothing when
// env.Progress is negative. What the environment says about the terminal comes
// from cfg, as internal/inputs read it.
func newMeter(env Env, cfg *inputs.Config, w io.Writer, logf func(string, ...any)) *progress.Meter {
	term := progress.Terminal{Workflow: cfg.InActions, NoColor: cfg.NoColor, Dumb: cfg.DumbTerminal}
	o := progress.Options{Out: w, Terminal: term, Logf: logf, Interval: env.Progress}
	if env.Progress < 0 {
		o.Mode = progress.Off
	}
	return progress.New(o)
}

func run(ctx context.Context, env Env, cfg *inputs.Config, perr error, log *actions.Logger, meter *progress.Meter) (*publish.Result, error) {
	// Every problem is reported in one run: bad inputs, and the files and
	// directories named by the good ones.
	job, lerr := newJob(cfg)
	signer, serr := newSigner(cfg) // attest.go
	trusted, terr := trustedRoot(cfg)
	if err := errors.Join(perr, lerr, serr, terr, preflight(env, cfg)); err != nil {
		return nil, &badInput{err}
	}
	hour := hourGate(env, cfg, log.Infof)
	gh, err := ghclient.New(ghclient.Options{
		Token: cfg.Token, TokenSource: cfg.TokenSource, APIURL: cfg.APIURL, UploadURL: cfg.UploadURL,
		Owner: cfg.Owner, Repo: cfg.Repo, UserAgent: "release-action/" + Version,
		Policy: env.Policy, Timeouts: env.Timeouts, Logf: log.Warningf, Hour: hour, Gate: gate(env),
	})
	if err != nil {
		return nil, err
	}
	for _, w := range job.Warnings {
		log.Warningf("%s", w)
	}
	pub := &publish.Publisher{GH: gh, Log: log, Meter: meter, Hour: hour, Signer: signer, TrustedRoot: trusted}
	// The result lists the job's warnings with the run's own, first.
	return pub.Run(ctx, job)
}

// writeResults writes the step outputs and the summary, or prints them when the
// program runs outside a workflow.
func writeResults(cfg *inputs.Config, res *publish.Result, log *actions.Logger, stdout io.Writer) error {
	rd, err := report.Render(res)
	if err != nil {
		return err
	}
	for _, w := range rd.Warnings { // an output cut to fit GitHub's limit
		log.Warningf("%s", w)
	}
	outs, summary := rd.Outputs, rd.Summary
	if cfg.OutputPath != "" {
		if err := actions.WriteOutputs(cfg.OutputPath, outs); err != nil {
			return err
		}
	}
	if cfg.SummaryPath != "" {
		// The summary is for people; the release is published and the outputs
		// are written, so a summary that cannot be written only warns.
		if err := actions.AppendSummary(cfg.SummaryPath, summary); err != nil {
			log.Warningf("%v", err)
		}
	}
	if !cfg.InActions {
		// The results alone on stdout, one name=value line each (every value is
		// one line: the JSON outputs are compact), for a script to read.
		for _, o := range outs {
			fmt.Fprintf(stdout, "%s=%s\n", o.Name, o.Value)
		}
	}
	return nil
}

// flatten splits joined errors so each becomes its own annotation.
func flatten(err error) []error {
	var out []error
	var walk func(error)
	walk = func(e error) {
		if j, ok := e.(interface{ Unwrap() []error }); ok {
			for _, x := range j.Unwrap() {
				walk(x)
			}
			return
		}
		out = append(out, e)
	}
	walk(err)
	return out
}

// unwrapPath drops the path an *fs.PathError repeats, since messages name it already.
func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
