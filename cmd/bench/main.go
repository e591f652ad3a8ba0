// Command bench measures the release action against the GitHub API emulator on
// 127.0.0.1 and prints one VERDICT line per target; it exits 1 if any target is
// missed. It builds the action once (CGO_ENABLED=0, -trimpath) and runs it as a
// child process per run, started by a small launcher so that its peak RSS is its
// own (see cmd/bench/internal/launch). See docs/benchmarks.md.
//
//	go run ./cmd/bench                    # every scenario, full sizes
//	go run ./cmd/bench -scenario huge     # one scenario
//	go run ./cmd/bench -quick             # smaller sizes, for a smoke run
//	go run ./cmd/bench -minute-limit      # also GitHub's documented 80 writes / minute (minutes)
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/releasekit/release-action/internal/bench"
)

func main() {
	os.Exit(run())
}

// known lists every scenario, the slow ones last.
func known() []string { return append(slices.Clone(bench.Scenarios), bench.SlowScenarios...) }

// pick returns the scenarios to run for the -scenario and -minute-limit flags.
func pick(scenario string, slow bool) ([]string, error) {
	switch {
	case scenario != "all" && !slices.Contains(known(), scenario):
		return nil, fmt.Errorf("unknown scenario %q; have all, %s", scenario, strings.Join(known(), ", "))
	case scenario != "all":
		return []string{scenario}, nil
	case slow:
		return known(), nil
	}
	return bench.Scenarios, nil
}

// buildAll builds the action, the plain-copy baseline and the launcher into
// dir/bin, the way a release builds the action.
func buildAll(ctx context.Context, dir string) (action, copier, launch string, err error) {
	root, err := bench.ModuleRoot(ctx)
	if err != nil {
		return "", "", "", err
	}
	bin := filepath.Join(dir, "bin")
	action, copier, launch = filepath.Join(bin, "release-action"), filepath.Join(bin, "plaincopy"), filepath.Join(bin, "launch")
	start := time.Now()
	for _, b := range []struct{ pkg, out string }{
		{".", action},
		{"./cmd/bench/internal/plaincopy", copier},
		{"./cmd/bench/internal/launch", launch},
	} {
		if err := bench.Build(ctx, root, b.pkg, b.out); err != nil {
			return "", "", "", err
		}
	}
	fmt.Printf("built the action, the plain-copy baseline and the launcher in %.1f s (CGO_ENABLED=0, -trimpath)\n", time.Since(start).Seconds())
	return action, copier, launch, nil
}

func run() int {
	scenario := flag.String("scenario", "all", "scenario to run: all, "+strings.Join(known(), ", "))
	quick := flag.Bool("quick", false, "shrink sizes and repetitions for a smoke run")
	keep := flag.Bool("keep", false, "keep the scratch directory (logs, workspaces) instead of deleting it")
	minute := flag.Bool("minute-limit", false, "with -scenario all, also run "+strings.Join(bench.SlowScenarios, ", ")+
		" (GitHub's documented 80 writes a minute; takes a few minutes)")
	flag.Parse()

	names, err := pick(*scenario, *minute)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		return 2
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	dir, err := os.MkdirTemp("", "release-action-bench-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		return 1
	}
	if *keep {
		defer fmt.Printf("\nscratch directory kept: %s\n", dir)
	} else {
		defer os.RemoveAll(dir)
	}

	action, copier, launch, err := buildAll(ctx, dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		return 1
	}
	fmt.Printf("%s %s/%s, %d CPUs, scratch %s, quick=%v\n", runtime.Version(), runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), dir, *quick)
	launcher := &bench.Launcher{Path: launch, Dir: dir}
	if floor, err := launcher.Floor(ctx); err == nil {
		fmt.Printf("peak RSS measurement floor (/bin/true through the launcher): %.1f MiB\n", float64(floor)/(1<<20))
	}

	suite := bench.NewSuite(bench.Config{
		Quick:    *quick,
		Action:   bench.Child{Launcher: launcher, Path: action},
		CopyPath: copier,
		Launcher: launcher,
		Dir:      dir,
		Out:      os.Stdout,
	})
	var results []*bench.Result
	failed := 0
	for _, name := range names {
		if ctx.Err() != nil {
			break
		}
		res := suite.Run(ctx, name)
		results = append(results, res)
		if !res.Passed() {
			failed++
		}
	}
	fmt.Printf("\n=== summary\n\n")
	bench.WriteSummary(os.Stdout, results)
	if ctx.Err() != nil {
		fmt.Println("\ninterrupted")
		return 1
	}
	if failed > 0 {
		fmt.Printf("\n%d of %d scenarios missed a target\n", failed, len(results))
		return 1
	}
	fmt.Printf("\nevery target met\n")
	return 0
}
