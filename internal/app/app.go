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
	Stdout     io.Writer
	// Policy overrides the retry policy (tests shorten the waits); nil = default.
	Policy *retry.Policy
	// Progress overrides the interval of upload progress lines; 0 = default.
	Progress time.Duration
}

// Run performs one publish and returns the process exit code.
func Run(ctx context.Context, env Env) int {
	// Parsing prints nothing, so the logger can wait for the mode it reads.
	cfg, perr := inputs.ParseAll(env.Getenv)
	log := actions.New(env.Stdout, actions.Mode{Workflow: cfg.InActions, Debug: cfg.Debug})
	// Mask before anything else can print: the token may arrive under any of these.
	for _, v := range cfg.Secrets {
		log.Mask(v)
	}
	if err := run(ctx, env, cfg, perr, log); err != nil {
		for _, e := range flatten(err) {
			log.Errorf("%s", e.Error())
		}
		return 1
	}
	return 0
}

func run(ctx context.Context, env Env, cfg *inputs.Config, perr error, log *actions.Logger) error {
	// Every problem is reported in one run: bad inputs, and the files and
	// directories named by the good ones.
	job, lerr := newJob(cfg)
	if err := errors.Join(perr, lerr, preflight(env, cfg)); err != nil {
		return err
	}
	gh, err := ghclient.New(ghclient.Options{
		Token: cfg.Token, TokenSource: cfg.TokenSource, APIURL: cfg.APIURL, UploadURL: cfg.UploadURL,
		Owner: cfg.Owner, Repo: cfg.Repo, UserAgent: "release-action/" + Version,
		Policy: env.Policy, Logf: log.Warningf,
	})
	if err != nil {
		return err
	}
	pub := &publish.Publisher{GH: gh, Log: log, Progress: env.Progress}
	res, err := pub.Run(ctx, job)
	if err != nil {
		return err
	}
	return writeResults(cfg, res, log, env.Stdout)
}

// writeResults writes the step outputs and the summary, or prints them when the
// program runs outside a workflow.
func writeResults(cfg *inputs.Config, res *publish.Result, log *actions.Logger, stdout io.Writer) error {
	outs, err := report.Outputs(res)
	if err != nil {
		return err
	}
	summary := report.Summary(res)
	if cfg.OutputPath != "" {
		if err := actions.WriteOutputs(cfg.OutputPath, outs); err != nil {
			return err
		}
	}
	if cfg.SummaryPath != "" {
		if err := actions.AppendSummary(cfg.SummaryPath, summary); err != nil {
			return err
		}
	}
	if !cfg.InActions {
		log.Group("Outputs")
		for _, o := range outs {
			fmt.Fprintf(stdout, "%s=%s\n", o.Name, o.Value)
		}
		log.EndGroup()
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
