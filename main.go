// Command release-action publishes a GitHub release for a tag with its assets,
// idempotently: as a GitHub Action (container), or from a terminal with flags
// named after the action's inputs.
package main

import (
	"context"
	_ "embed"
	"os"

	"github.com/releasekit/release-action/internal/app"
)

// actionYAML is the one list of inputs: it drives the flags and --help.
//
//go:embed action.yml
var actionYAML []byte

func main() {
	// SIGINT or SIGTERM stops the run and cleans up; a second one exits at once.
	ctx, signals := app.NotifySignals(context.Background(), os.Stderr)
	code := app.Main(ctx, os.Args[1:], actionYAML, app.Env{
		Getenv: os.Getenv, Environ: os.Environ, ActionYAML: actionYAML, Stdout: os.Stdout, Stderr: os.Stderr,
	})
	os.Exit(signals.Stop(code))
}
