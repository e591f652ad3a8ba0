// Command release-action publishes a GitHub release for a tag with its assets,
// idempotently: as a GitHub Action (container), or from a terminal with flags
// named after the action's inputs.
package main

import (
	"context"
	_ "embed"
	"os"
	"os/signal"
	"syscall"

	"github.com/releasekit/release-action/internal/app"
)

// actionYAML is the one list of inputs: it drives the flags and --help.
//
//go:embed action.yml
var actionYAML []byte

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := app.Main(ctx, os.Args[1:], actionYAML, app.Env{
		Getenv: os.Getenv, Environ: os.Environ, ActionYAML: actionYAML, Stdout: os.Stdout,
	})
	stop()
	os.Exit(code)
}
