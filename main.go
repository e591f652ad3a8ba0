// Command release-action publishes a GitHub release for a tag with its assets,
// idempotently: as a GitHub Action (container), or from a terminal.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/releasekit/release-action/internal/app"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := app.Run(ctx, app.Env{Getenv: os.Getenv, Stdout: os.Stdout})
	stop()
	os.Exit(code)
}
