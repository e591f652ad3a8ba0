// Command demo publishes a release against the project's GitHub API emulator on
// loopback: no network, no token. It runs the action twice, the second time to show
// that an identical re-run changes nothing, and prints the outputs and the summary.
package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"

	"github.com/releasekit/release-action/internal/app"
	"github.com/releasekit/release-action/internal/emulator"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := demo(ctx, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(1)
	}
}

func demo(ctx context.Context, stdout io.Writer) error {
	const repo, token = "octo/demo", "demo-token"
	emu := emulator.New(emulator.Options{Token: token})
	emu.AddRepo(repo, false)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: emu}
	go srv.Serve(ln)
	defer srv.Close()
	api := "http://" + ln.Addr().String()

	ws, err := os.MkdirTemp("", "release-action-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(ws)
	files := map[string]string{
		"dist/app-linux-amd64.tar.gz": "pretend this is a linux build\n",
		"dist/app-darwin-arm64.zip":   "pretend this is a macOS build\n",
		"dist/app windows.exe":        "pretend this is a windows build\n",
		"NOTES.md":                    "Faster, smaller, kinder.\n",
	}
	for name, content := range files {
		p := filepath.Join(ws, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			return err
		}
	}
	for run := 1; run <= 2; run++ {
		out := filepath.Join(ws, fmt.Sprintf("output-%d", run))
		summary := filepath.Join(ws, fmt.Sprintf("summary-%d.md", run))
		env := map[string]string{
			"GITHUB_API_URL":               api,
			"GITHUB_SERVER_URL":            api,
			"GITHUB_REPOSITORY":            repo,
			"GITHUB_WORKSPACE":             ws,
			"GITHUB_OUTPUT":                out,
			"GITHUB_STEP_SUMMARY":          summary,
			"INPUT_TOKEN":                  token,
			"INPUT_TAG":                    "v1.0.0",
			"INPUT_BODY_PATH":              "NOTES.md",
			"INPUT_FILES":                  "dist/**",
			"INPUT_CHECKSUMS":              "SHA256SUMS",
			"INPUT_GENERATE_RELEASE_NOTES": "true",
		}
		fmt.Fprintf(stdout, "\n######## run %d of 2 against the emulator at %s ########\n\n", run, api)
		code := app.Run(ctx, app.Env{Getenv: func(k string) string { return env[k] }, Stdout: stdout})
		if code != 0 {
			return fmt.Errorf("run %d exited %d", run, code)
		}
		b, err := os.ReadFile(summary)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "\n---- GITHUB_STEP_SUMMARY (run %d) ----\n%s", run, b)
	}
	counts := emu.Counts()
	fmt.Fprintf(stdout, "\n---- requests the emulator answered, by route ----\n")
	for _, r := range []string{emulator.RouteCreateRelease, emulator.RouteUploadAsset, emulator.RouteUpdateRelease, emulator.RouteDeleteAsset, emulator.RouteListReleases, emulator.RouteListAssets} {
		fmt.Fprintf(stdout, "%-16s %d\n", r, counts[r])
	}
	return nil
}
