package app_test

import (
	"net/http"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/releasekit/release-action/internal/actiontest"
	"github.com/releasekit/release-action/internal/emulator"
)

// TestGroupSIGINTStillCleansUp: the binary leads its own process group, and
// gets SIGINT as timeout -s INT sends it: once to the process, then once to
// its whole group, so two copies arrive within milliseconds. They are one stop: the run
// ends with 130 and removes the draft it created, with its "starter" asset.
func TestGroupSIGINTStillCleansUp(t *testing.T) {
	t.Parallel()
	h := actiontest.New(t, actiontest.Config{Emulator: emulator.Options{UploadBytesPerSecond: 64 << 10}})
	// The cleanup's requests are held a moment, so the second copy arrives
	// while the cleanup runs, where taking it as a second stop would skip it.
	deleting := make(chan struct{})
	var once sync.Once
	hook := func(r *http.Request) {
		if r.Method == http.MethodDelete {
			once.Do(func() { close(deleting) })
			time.Sleep(300 * time.Millisecond)
		}
	}
	h.Hook.Store(&hook)
	cmd, logs := startSlowRun(t, h, func(c *exec.Cmd) {
		c.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	})
	pgid, err := syscall.Getpgid(cmd.Process.Pid)
	if err != nil {
		t.Fatal(err)
	}
	if pgid != cmd.Process.Pid {
		t.Fatalf("the binary is not its group's leader: pgid %d, pid %d", pgid, cmd.Process.Pid)
	}
	if err := syscall.Kill(cmd.Process.Pid, syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	// The kernel merges a copy that arrives while the first is still pending;
	// the group's copy is sent once the cleanup has begun, well within the
	// moment that makes two signals one stop.
	select {
	case <-deleting:
	case <-time.After(300 * time.Millisecond):
	}
	if err := syscall.Kill(-pgid, syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	if code := waitExit(t, cmd, logs, 15*time.Second); code != 130 {
		t.Fatalf("exit %d, want 130\n%s", code, logs.String())
	}
	if rs := h.ReleasesFor("v1"); len(rs) != 0 {
		t.Fatalf("the group signal left %+v\n%s", rs, logs.String())
	}
	if !strings.Contains(logs.String(), "removed draft release") {
		t.Fatalf("the cleanup is not logged\n%s", logs.String())
	}
}
