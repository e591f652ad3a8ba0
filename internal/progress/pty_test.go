package progress

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"
)

// helperEnv makes the test binary show uploads instead of running the tests.
const helperEnv = "PROGRESS_TEST_HELPER"

func TestMain(m *testing.M) {
	if os.Getenv(helperEnv) == "1" {
		showUploads()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// showUploads is the child process of the terminal tests: it shows two uploads
// on its real stdout, with the mode Auto picks there.
func showUploads() {
	// The test binary stands for internal/inputs here: it reads what the
	// program would, and hands it down.
	term := Terminal{Workflow: os.Getenv("GITHUB_ACTIONS") == "true", NoColor: os.Getenv("NO_COLOR") != "", Dumb: os.Getenv("TERM") == "dumb"}
	m := New(Options{Out: os.Stdout, Interval: 100 * time.Millisecond, Terminal: term})
	fmt.Fprintf(m.Writer(), "mode %d\n", m.Mode())
	a := m.Start("alpha.bin", 2<<20)
	b := m.Start("beta.bin", 1<<20)
	for range 10 {
		a.Add(200 << 10)
		b.Add(100 << 10)
		time.Sleep(80 * time.Millisecond)
	}
	a.End(nil)
	b.End(nil)
	fmt.Fprintln(m.Writer(), "uploads done")
	m.Close()
}

var (
	cursorUp = regexp.MustCompile(`\x1b\[\d+A`)
	sgr      = regexp.MustCompile(`\x1b\[[0-9;]*m`)
	barDrawn = regexp.MustCompile(`\[=+>?-*\]`)
	fileLine = regexp.MustCompile(`(?m)^alpha\.bin: [0-9.]+ [KM]iB of 2\.0 MiB \([0-9.]+ [KM]?i?B/s\)\r?$`)
)

// child runs the helper with a clean terminal environment plus extra.
func child(t *testing.T, extra ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0])
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if k == "GITHUB_ACTIONS" || k == "NO_COLOR" || k == "TERM" {
			continue
		}
		cmd.Env = append(cmd.Env, kv)
	}
	cmd.Env = append(cmd.Env, helperEnv+"=1", "TERM=xterm-256color")
	cmd.Env = append(cmd.Env, extra...)
	return cmd
}

// onTerminal runs the helper on a pseudo-terminal and returns what it drew.
func onTerminal(t *testing.T, extra ...string) string {
	t.Helper()
	cmd := child(t, extra...)
	tty, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 30, Cols: 120})
	if err != nil {
		t.Fatal(err)
	}
	defer tty.Close()
	var out bytes.Buffer
	copied := make(chan struct{})
	go func() {
		_, _ = io.Copy(&out, tty) // ends with EIO once the child has exited
		close(copied)
	}()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("helper: %v\n%q", err, out.String())
	}
	select {
	case <-copied:
	case <-time.After(10 * time.Second):
		t.Fatal("terminal output did not end")
	}
	return out.String()
}

func TestTerminalDrawsBars(t *testing.T) {
	t.Parallel()
	s := onTerminal(t)
	if !strings.Contains(s, fmt.Sprintf("mode %d", Bars)) {
		t.Fatalf("Auto did not choose bars on a terminal:\n%q", s)
	}
	if !cursorUp.MatchString(s) || !barDrawn.MatchString(s) {
		t.Errorf("no redrawn bars on the terminal:\n%q", s)
	}
	for _, want := range []string{"alpha.bin", "beta.bin", "total", "/ 2.0 MiB", "/ 3.0 MiB", "MiB/s", " left", "uploads done"} {
		if !strings.Contains(s, want) {
			t.Errorf("terminal output lacks %q", want)
		}
	}
	if !sgr.MatchString(s) {
		t.Errorf("no colour on a colour terminal:\n%q", s)
	}
	if fileLine.MatchString(s) {
		t.Errorf("plain progress lines on a terminal:\n%q", s)
	}
}

func TestTerminalWithNoColorHasBarsWithoutColour(t *testing.T) {
	t.Parallel()
	s := onTerminal(t, "NO_COLOR=1")
	if !cursorUp.MatchString(s) || !barDrawn.MatchString(s) || !strings.Contains(s, "alpha.bin") {
		t.Fatalf("no bars with NO_COLOR:\n%q", s)
	}
	if m := sgr.FindString(s); m != "" {
		t.Errorf("colour code %q despite NO_COLOR:\n%q", m, s)
	}
}

func TestWorkflowOnTerminalPrintsLines(t *testing.T) {
	t.Parallel()
	s := onTerminal(t, "GITHUB_ACTIONS=true")
	if strings.Contains(s, "\x1b") {
		t.Errorf("escape codes in a workflow:\n%q", s)
	}
	if !fileLine.MatchString(s) {
		t.Errorf("no plain progress lines in a workflow:\n%q", s)
	}
}

func TestPipeGetsPlainLinesOnly(t *testing.T) {
	t.Parallel()
	cmd := child(t)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("helper: %v\n%s", err, out.String())
	}
	s := out.String()
	if !strings.Contains(s, fmt.Sprintf("mode %d\n", Lines)) {
		t.Fatalf("Auto did not choose lines on a pipe:\n%s", s)
	}
	if strings.Contains(s, "\x1b") || barDrawn.MatchString(s) {
		t.Errorf("escape codes or bars in a pipe:\n%q", s)
	}
	if !fileLine.MatchString(s) || !strings.Contains(s, "all uploads: ") || !strings.Contains(s, "uploads done\n") {
		t.Errorf("plain lines missing from the pipe:\n%s", s)
	}
}
