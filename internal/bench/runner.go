package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"sync/atomic"
	"time"

	"github.com/releasekit/release-action/internal/app"
)

// Measure is what one run of a program cost.
type Measure struct {
	Start     time.Time // just before the process started
	Wall      time.Duration
	User, Sys time.Duration // CPU time of the process; 0 when run in-process
	MaxRSS    int64         // peak resident set size in bytes; 0 when run in-process
	Exit      int
}

// Runner runs the action once with exactly the environment env, writing its
// output to out.
type Runner interface {
	RunAction(ctx context.Context, env map[string]string, out io.Writer) (Measure, error)
}

// Child runs the action binary at Path as a child process, through the launcher,
// so that its resources are measured alone.
type Child struct {
	Launcher *Launcher
	Path     string
}

// RunAction implements Runner.
func (c Child) RunAction(ctx context.Context, env map[string]string, out io.Writer) (Measure, error) {
	return c.Launcher.Run(ctx, c.Path, nil, env, out)
}

// InProcess runs the action inside this process through app.Run: no process
// start and no resource figures, for functional tests.
type InProcess struct{}

// RunAction implements Runner.
func (InProcess) RunAction(ctx context.Context, env map[string]string, out io.Writer) (Measure, error) {
	m := Measure{Start: time.Now()}
	m.Exit = app.Run(ctx, app.Env{Getenv: func(k string) string { return env[k] }, Stdout: out})
	m.Wall = time.Since(m.Start)
	return m, nil
}

// Launcher is the cmd/bench/internal/launch program, which starts each measured
// program and reports its costs. Measuring through it keeps this process's memory
// out of the child's peak RSS (see that command's documentation).
type Launcher struct {
	Path string // the launch binary
	Dir  string // where result files go
	n    atomic.Int64
}

// launchResult mirrors the JSON that cmd/bench/internal/launch writes.
type launchResult struct {
	StartUnixNano int64 `json:"start_unix_nano"`
	WallNanos     int64 `json:"wall_nanos"`
	UserNanos     int64 `json:"user_nanos"`
	SysNanos      int64 `json:"sys_nanos"`
	MaxRSSKiB     int64 `json:"max_rss_kib"`
	Exit          int   `json:"exit"`
}

// Run runs path with args and an environment made of env plus PATH, HOME and
// TMPDIR from this process (nothing else leaks in, GITHUB_ACTIONS included). A
// non-zero exit is reported in Measure.Exit, not as an error.
func (l *Launcher) Run(ctx context.Context, path string, args []string, env map[string]string, out io.Writer) (Measure, error) {
	result := filepath.Join(l.Dir, fmt.Sprintf("launch-%d.json", l.n.Add(1)))
	cmd := exec.CommandContext(ctx, l.Path, append([]string{"-result", result, "--", path}, args...)...)
	cmd.Env = environ(env)
	cmd.Stdout, cmd.Stderr = out, out
	cmd.WaitDelay = 5 * time.Second
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return Measure{}, ctx.Err()
		}
		return Measure{}, fmt.Errorf("launch %s: %w", filepath.Base(path), err)
	}
	b, err := os.ReadFile(result)
	if err != nil {
		return Measure{}, err
	}
	os.Remove(result)
	var r launchResult
	if err := json.Unmarshal(b, &r); err != nil {
		return Measure{}, fmt.Errorf("launch result %s: %w", result, err)
	}
	return Measure{
		Start:  time.Unix(0, r.StartUnixNano),
		Wall:   time.Duration(r.WallNanos),
		User:   time.Duration(r.UserNanos),
		Sys:    time.Duration(r.SysNanos),
		MaxRSS: r.MaxRSSKiB * 1024,
		Exit:   r.Exit,
	}, nil
}

// Floor is the peak RSS the launcher reports for /bin/true: no smaller figure
// can be measured.
func (l *Launcher) Floor(ctx context.Context) (int64, error) {
	m, err := l.Run(ctx, "/bin/true", nil, nil, io.Discard)
	return m.MaxRSS, err
}

func environ(env map[string]string) []string {
	out := make([]string, 0, len(env)+3)
	for _, k := range []string{"PATH", "HOME", "TMPDIR"} {
		if _, set := env[k]; !set {
			if v, ok := os.LookupEnv(k); ok {
				out = append(out, k+"="+v)
			}
		}
	}
	for k, v := range env {
		out = append(out, k+"="+v)
	}
	sort.Strings(out)
	return out
}
