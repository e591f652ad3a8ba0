package clitest

import (
	"bytes"
	"io"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"

	"github.com/releasekit/release-action/internal/actiontest"
	"github.com/releasekit/release-action/internal/emulator"
)

var (
	cursorUp = regexp.MustCompile(`\x1b\[\d+A`)
	barDrawn = regexp.MustCompile(`\[=+>?-*\]`)
	sgr      = regexp.MustCompile(`\x1b\[[0-9;]*m`)
)

// slowUpload is a harness whose uploads take about two seconds, long enough for
// the bars to be drawn several times.
func slowUpload(t *testing.T) *actiontest.Harness {
	h := actiontest.New(t, actiontest.Config{Emulator: emulator.Options{UploadBytesPerSecond: 3 << 20}})
	h.Write("dist/big.bin", strings.Repeat("x", 6<<20))
	return h
}

// onTerminal runs the binary with stderr on a pseudo-terminal, as in a shell,
// and stdout on a pipe; it returns what each received.
func onTerminal(t *testing.T, h *actiontest.Harness, extra ...string) (term, stdout string) {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), bin, base(h, "--files", "dist/*")...)
	cmd.Env = shellEnv(h, extra...)
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer ptmx.Close()
	if err := pty.Setsize(tty, &pty.Winsize{Rows: 30, Cols: 120}); err != nil {
		t.Fatal(err)
	}
	var out, drawn bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, tty
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	tty.Close() // the child holds its own copy
	copied := make(chan struct{})
	go func() {
		_, _ = io.Copy(&drawn, ptmx) // ends with EIO once the child has exited
		close(copied)
	}()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("release-action: %v\n%q", err, drawn.String())
	}
	select {
	case <-copied:
	case <-time.After(10 * time.Second):
		t.Fatal("terminal output did not end")
	}
	return drawn.String(), out.String()
}

// TestTerminalShowsBarsOnStderr: on a terminal the real binary draws live bars on
// stderr, and stdout (a pipe) still gets the outputs alone.
func TestTerminalShowsBarsOnStderr(t *testing.T) {
	t.Parallel()
	h := slowUpload(t)
	term, stdout := onTerminal(t, h)
	if !cursorUp.MatchString(term) || !barDrawn.MatchString(term) {
		t.Fatalf("no redrawn bars on the terminal:\n%q", term)
	}
	for _, want := range []string{"big.bin", "total", "MiB/s", " left", "uploaded big.bin (6.0 MiB)"} {
		if !strings.Contains(term, want) {
			t.Errorf("terminal lacks %q:\n%q", want, term)
		}
	}
	if !sgr.MatchString(term) {
		t.Errorf("no colour on a colour terminal:\n%q", term)
	}
	if strings.Contains(stdout, "\x1b") || !strings.Contains(stdout, "created=true\n") {
		t.Errorf("stdout is not the outputs alone:\n%q", stdout)
	}
}

func TestTerminalBarsHonourNoColor(t *testing.T) {
	t.Parallel()
	h := slowUpload(t)
	term, _ := onTerminal(t, h, "NO_COLOR=1")
	if !barDrawn.MatchString(term) {
		t.Fatalf("no bars with NO_COLOR:\n%q", term)
	}
	if m := sgr.FindString(term); m != "" {
		t.Errorf("colour code %q despite NO_COLOR:\n%q", m, term)
	}
}

// TestPipeHasNoBars: with stderr on a pipe the same upload draws nothing: no
// escape code, no bar, only log lines.
func TestPipeHasNoBars(t *testing.T) {
	t.Parallel()
	h := slowUpload(t)
	r := runBinary(t, h, base(h, "--files", "dist/*")...)
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	if strings.Contains(r.stderr+r.stdout, "\x1b") || barDrawn.MatchString(r.stderr) {
		t.Errorf("escape codes or bars in a pipe:\n%q", r.stderr)
	}
	if !strings.Contains(r.stderr, "uploaded big.bin (6.0 MiB)") {
		t.Errorf("stderr:\n%s", r.stderr)
	}
}
