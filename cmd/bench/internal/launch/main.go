// Command launch starts one program and writes what it cost (wall time, CPU time,
// peak RSS, exit code) as JSON. cmd/bench runs every measured program through it.
//
// The benchmark cannot read a child's peak RSS itself: Go starts children with
// clone(CLONE_VM|CLONE_VFORK), and when the child calls execve Linux folds the
// peak RSS of the memory it shared with its parent (the benchmark's, with the
// emulator in it) into the child's ru_maxrss. Started from this small process,
// the child's figure can only be raised to this process's own peak RSS, a few
// MiB, which bench reports as the measurement floor.
//
//	launch -result FILE -- PROGRAM [ARGS...]
//
// The program inherits this process's environment, standard streams and
// directory; it is killed if this process dies.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"time"
)

// Result is the JSON written to the -result file; internal/bench reads it.
type Result struct {
	StartUnixNano int64 `json:"start_unix_nano"` // just before the child was started
	WallNanos     int64 `json:"wall_nanos"`
	UserNanos     int64 `json:"user_nanos"`
	SysNanos      int64 `json:"sys_nanos"`
	MaxRSSKiB     int64 `json:"max_rss_kib"`
	Exit          int   `json:"exit"`
}

func main() {
	result := flag.String("result", "", "file to write the JSON result to")
	flag.Parse()
	if *result == "" || flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: launch -result FILE -- PROGRAM [ARGS...]")
		os.Exit(2)
	}
	if err := launch(*result, flag.Args()); err != nil {
		fmt.Fprintln(os.Stderr, "launch:", err)
		os.Exit(1)
	}
}

func launch(result string, argv []string) error {
	// Pdeathsig (Linux) is tied to the thread that starts the child: keep it alive.
	runtime.LockOSThread()
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.SysProcAttr = childAttr()
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return err
	}
	err := cmd.Wait()
	wall := time.Since(start)
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		return err
	}
	st := cmd.ProcessState
	r := Result{
		StartUnixNano: start.UnixNano(),
		WallNanos:     wall.Nanoseconds(),
		UserNanos:     st.UserTime().Nanoseconds(),
		SysNanos:      st.SystemTime().Nanoseconds(),
		Exit:          st.ExitCode(),
	}
	r.MaxRSSKiB = maxRSSKiB(st)
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	return os.WriteFile(result, b, 0o644)
}
