package app_test

import (
	"bytes"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/releasekit/release-action/internal/actiontest"
	"github.com/releasekit/release-action/internal/emulator"
)

// binDir holds the binary the signal tests build; TestMain removes it.
var binDir string

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// buildBinary builds the action's binary once for the signal tests.
var buildBinary = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "release-action-bin-")
	if err != nil {
		return "", err
	}
	binDir = dir
	bin := filepath.Join(dir, "release-action")
	gobin := filepath.Join(runtime.GOROOT(), "bin", "go")
	out, err := exec.Command(gobin, "build", "-o", bin, "github.com/releasekit/release-action").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build: %w\n%s", err, out)
	}
	return bin, nil
})

// startSlowRun starts the binary against h for tag v1 with one large file, and
// returns once the upload is streaming (its "starter" asset is on the draft).
// setup, if any, changes the command before it starts.
func startSlowRun(t *testing.T, h *actiontest.Harness, setup ...func(*exec.Cmd)) (*exec.Cmd, *bytes.Buffer) {
	t.Helper()
	// The emulator reads what the socket still holds of the cancelled upload at
	// its slow rate; end those connections before the server waits for them.
	t.Cleanup(h.Srv.CloseClientConnections)
	bin, err := buildBinary()
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	h.Write("dist/big.bin", strings.Repeat("x", 4<<20))
	dir := t.TempDir()
	out, sum := filepath.Join(dir, "output"), filepath.Join(dir, "summary")
	for _, p := range []string{out, sum} {
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(bin)
	cmd.Env = []string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + dir,
		"GITHUB_ACTIONS=true", "GITHUB_API_URL=" + h.APIURL, "GITHUB_SERVER_URL=" + h.Srv.URL,
		"GITHUB_REPOSITORY=" + actiontest.Repo, "GITHUB_WORKSPACE=" + h.WS,
		"GITHUB_OUTPUT=" + out, "GITHUB_STEP_SUMMARY=" + sum,
		"INPUT_TOKEN=" + actiontest.Token, "INPUT_TAG=v1", "INPUT_FILES=dist/*",
	}
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	for _, f := range setup {
		f(cmd)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	deadline := time.Now().Add(30 * time.Second)
	for !uploading(h) {
		if time.Now().After(deadline) {
			t.Fatalf("the upload never started\n%s", logs.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	return cmd, &logs
}

func uploading(h *actiontest.Harness) bool {
	for _, r := range h.ReleasesFor("v1") {
		for _, a := range h.Emu.Assets(actiontest.Repo, r.ID) {
			if a.State == "starter" {
				return true
			}
		}
	}
	return false
}

// waitExit waits at most limit for cmd to end and returns its exit code.
func waitExit(t *testing.T, cmd *exec.Cmd, logs *bytes.Buffer, limit time.Duration) int {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
		return cmd.ProcessState.ExitCode()
	case <-time.After(limit):
		t.Fatalf("still running %v after the signal\n%s", limit, logs.String())
	}
	return -1
}

// TestSignalStopsTheRunAndRemovesItsDraft: the runner's cancel (SIGINT, or
// SIGTERM) during a slow upload ends the run within seconds, with 128 plus the
// signal's number, and the draft it created is gone.
func TestSignalStopsTheRunAndRemovesItsDraft(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		sig   syscall.Signal
		twice bool // a group signal: the same stop delivered twice at once
		code  int
	}{
		{"SIGINT", syscall.SIGINT, false, 130},
		{"SIGTERM", syscall.SIGTERM, false, 143},
		{"SIGINT twice at once", syscall.SIGINT, true, 130},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := actiontest.New(t, actiontest.Config{Emulator: emulator.Options{UploadBytesPerSecond: 64 << 10}})
			cmd, logs := startSlowRun(t, h)
			if err := cmd.Process.Signal(tc.sig); err != nil {
				t.Fatal(err)
			}
			if tc.twice {
				if err := cmd.Process.Signal(tc.sig); err != nil {
					t.Fatal(err)
				}
			}
			if code := waitExit(t, cmd, logs, 15*time.Second); code != tc.code {
				t.Fatalf("exit %d, want %d\n%s", code, tc.code, logs.String())
			}
			if rs := h.ReleasesFor("v1"); len(rs) != 0 {
				t.Fatalf("the run left %+v\n%s", rs, logs.String())
			}
			if !strings.Contains(logs.String(), "removed draft release") {
				t.Fatalf("the cleanup is not logged\n%s", logs.String())
			}
			// A signal is not a failure, and the cleanup's line says so.
			if !strings.Contains(logs.String(), "by this interrupted run") || strings.Contains(logs.String(), "failed run") {
				t.Fatalf("the cleanup does not say the run was interrupted\n%s", logs.String())
			}
		})
	}
}

// TestSecondSignalExitsAtOnce: a second signal while the cleanup waits on
// GitHub ends the process at once, with that signal's code.
func TestSecondSignalExitsAtOnce(t *testing.T) {
	t.Parallel()
	h := actiontest.New(t, actiontest.Config{Emulator: emulator.Options{UploadBytesPerSecond: 64 << 10}})
	deleting := make(chan struct{})
	release := make(chan struct{})
	var once sync.Once
	hook := func(r *http.Request) {
		if r.Method == http.MethodDelete {
			once.Do(func() { close(deleting) })
			select {
			case <-release:
			case <-time.After(20 * time.Second):
			}
		}
	}
	h.Hook.Store(&hook)
	defer close(release)
	cmd, logs := startSlowRun(t, h)
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case <-deleting:
	case <-time.After(15 * time.Second):
		t.Fatalf("no cleanup started\n%s", logs.String())
	}
	// A deliberate second signal, not a copy of the first (sameStop).
	time.Sleep(time.Second)
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	// The held DELETE would keep a cleanup going for 20 s.
	if code := waitExit(t, cmd, logs, 10*time.Second); code != 143 {
		t.Fatalf("exit %d, want 143\n%s", code, logs.String())
	}
}
