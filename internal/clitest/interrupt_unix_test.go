//go:build unix

package clitest

import (
	"bytes"
	"io"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"

	"github.com/releasekit/release-action/internal/actiontest"
	"github.com/releasekit/release-action/internal/emulator"
	"github.com/releasekit/release-action/internal/testutil"
)

// TestInterruptIsShownLastOnTheTerminal: Ctrl-C during an upload drawn with
// bars. The bars stop and are erased before the interrupt and the cleanup are
// printed, so nothing redraws over those lines: they are the last thing on the
// screen. The run says it was interrupted, not that it failed, and no
// "context canceled" reaches the person.
func TestInterruptIsShownLastOnTheTerminal(t *testing.T) {
	t.Parallel()
	h := actiontest.New(t, actiontest.Config{Emulator: emulator.Options{UploadBytesPerSecond: 256 << 10}})
	t.Cleanup(h.Srv.CloseClientConnections)
	h.Write("dist/big.bin", strings.Repeat("x", 8<<20))
	cmd := exec.Command(bin, base(h, "--files", "dist/*")...)
	cmd.Env = shellEnv(h)
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer ptmx.Close()
	if err := pty.Setsize(tty, &pty.Winsize{Rows: 30, Cols: 120}); err != nil {
		t.Fatal(err)
	}
	var stdout bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, tty
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	tty.Close()
	var drawn testutil.SyncBuffer // written by the copy from the terminal, read by the test
	copied := make(chan struct{})
	go func() {
		_, _ = io.Copy(&drawn, ptmx)
		close(copied)
	}()
	deadline := time.Now().Add(30 * time.Second)
	for len(cursorUp.FindAllString(drawn.String(), -1)) < 3 {
		if time.Now().After(deadline) {
			t.Fatalf("no bars drawn:\n%q", drawn.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatalf("still running after SIGINT:\n%q", drawn.String())
	}
	select {
	case <-copied:
	case <-time.After(10 * time.Second):
		t.Fatal("terminal output did not end")
	}
	if code := cmd.ProcessState.ExitCode(); code != 130 {
		t.Errorf("exit %d, want 130", code)
	}
	term := drawn.String()
	stop := strings.Index(term, "interrupt: stopping")
	removed := strings.Index(term, "removed draft release")
	if stop < 0 || removed < stop {
		t.Fatalf("the interrupt and then the cleanup are not on the terminal:\n%q", term)
	}
	// Nothing after the interrupt moves the cursor up or draws a bar: the
	// lines stay where they were printed.
	if last := cursorUp.FindAllStringIndex(term, -1); len(last) > 0 && last[len(last)-1][0] > stop {
		t.Errorf("the cursor moves up after the interrupt was printed:\n%q", term[stop:])
	}
	if last := barDrawn.FindAllStringIndex(term, -1); len(last) == 0 || last[len(last)-1][0] > stop {
		t.Errorf("a bar is drawn after the interrupt was printed:\n%q", term[stop:])
	}
	tail := term[stop:]
	if strings.Contains(tail, "context canceled") {
		t.Errorf("the person is shown context canceled:\n%q", tail)
	}
	lines := strings.Split(strings.TrimSpace(tail), "\n")
	if last := lines[len(lines)-1]; !strings.Contains(last, "interrupted by SIGINT") {
		t.Errorf("the run does not end saying it was interrupted:\n%q", tail)
	}
	if n := strings.Count(tail, "error:"); n != 1 {
		t.Errorf("%d error lines, want the one that says the run was interrupted:\n%q", n, tail)
	}
	if rs := h.ReleasesFor("v1"); len(rs) != 0 {
		t.Errorf("the run left %+v", rs)
	}
}
