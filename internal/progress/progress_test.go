package progress

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/releasekit/release-action/internal/testutil"
)

// logRecorder collects plain lines as a logger's Infof would receive them.
type logRecorder struct {
	mu    sync.Mutex
	lines []string
}

func (l *logRecorder) logf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, fmt.Sprintf(format, args...))
}

func (l *logRecorder) all() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.lines...)
}

func TestPlainLinesKeepTheExecutorFormat(t *testing.T) {
	t.Parallel()
	var rec logRecorder
	// An hour-long interval: the test prints the lines itself, at a chosen time.
	m := New(Options{Out: io.Discard, Logf: rec.logf, Interval: time.Hour, Mode: Lines})
	defer m.Close()
	a := m.Start("app.tar.gz", 4<<20)
	b := m.Start("notes.txt", 1<<20)
	a.Add(1 << 20)
	b.Add(512 << 10)
	a.started, b.started, m.wave.started = time.Unix(0, 0), time.Unix(0, 0), time.Unix(0, 0)
	m.printLines(time.Unix(2, 0))
	want := []string{
		"app.tar.gz: 1.0 MiB of 4.0 MiB (512.0 KiB/s)",
		"notes.txt: 512.0 KiB of 1.0 MiB (256.0 KiB/s)",
		"all uploads: 1.5 MiB of 5.0 MiB (768.0 KiB/s), 5s left",
	}
	if got := rec.all(); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("lines:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	b.End(nil)
	rec.lines = nil
	m.printLines(time.Unix(2, 0))
	if got := rec.all(); len(got) != 1 || !strings.HasPrefix(got[0], "app.tar.gz: ") {
		t.Fatalf("with one upload left: %q, want its line alone", got)
	}
}

func TestTickerPrintsLinesWhileUploadsRun(t *testing.T) {
	t.Parallel()
	var rec logRecorder
	m := New(Options{Out: io.Discard, Logf: rec.logf, Interval: 10 * time.Millisecond, Mode: Lines})
	f := m.Start("big.bin", 100)
	deadline := time.Now().Add(10 * time.Second)
	for len(rec.all()) < 3 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	f.End(nil)
	m.Close()
	n := len(rec.all())
	if n < 3 {
		t.Fatalf("%d lines in 10s at a 10ms interval", n)
	}
	time.Sleep(50 * time.Millisecond)
	if len(rec.all()) != n {
		t.Error("lines kept coming after Close")
	}
}

func TestNoLinesWithoutUploads(t *testing.T) {
	t.Parallel()
	var rec logRecorder
	m := New(Options{Out: io.Discard, Logf: rec.logf, Mode: Lines})
	m.Start("done.bin", 10).End(nil)
	m.printLines(time.Now())
	m.Close()
	if got := rec.all(); len(got) != 0 {
		t.Fatalf("lines with nothing running: %q", got)
	}
}

func TestCountsAreCappedAndFailuresLeaveTheTotal(t *testing.T) {
	t.Parallel()
	m := New(Options{Out: io.Discard, Mode: Lines, Interval: time.Hour})
	defer m.Close()
	retried := m.Start("retried.bin", 1000)
	failed := m.Start("failed.bin", 500)
	retried.Add(600)
	retried.Add(1000) // the retry sends the whole file again
	failed.Add(100)
	if retried.sent != 1000 || m.wave.sent != 1100 {
		t.Fatalf("sent %d (wave %d), want 1000 (1100): a retry must not go past the size", retried.sent, m.wave.sent)
	}
	failed.End(errors.New("boom"))
	if m.wave.size != 1100 {
		t.Errorf("wave size %d after a failure at 100 of 500 bytes, want 1100", m.wave.size)
	}
	failed.Add(50)
	failed.End(nil)
	if m.wave.sent != 1100 {
		t.Errorf("a file already ended changed the total: sent %d", m.wave.sent)
	}
	retried.End(nil)
	if len(m.active) != 0 {
		t.Errorf("%d files still active", len(m.active))
	}
}

func TestSuccessCountsTheWholeFile(t *testing.T) {
	t.Parallel()
	m := New(Options{Out: io.Discard, Mode: Lines, Interval: time.Hour})
	defer m.Close()
	other := m.Start("other.bin", 10) // keeps the wave open
	f := m.Start("short.bin", 300)
	f.Add(200) // the last read was not reported before the answer came
	f.End(nil)
	if m.wave.sent != 300 || m.wave.size != 310 {
		t.Errorf("wave %d of %d, want 300 of 310", m.wave.sent, m.wave.size)
	}
	other.End(nil)
}

func TestNilAndOffDoNothing(t *testing.T) {
	t.Parallel()
	var m *Meter
	f := m.Start("x", 10)
	f.Add(5)
	f.End(nil)
	m.Close()
	if m.Mode() != Off {
		t.Errorf("nil meter mode %v", m.Mode())
	}
	if _, err := fmt.Fprint(m.Writer(), "dropped"); err != nil {
		t.Error(err)
	}

	var out bytes.Buffer
	off := New(Options{Out: &out, Mode: Off})
	if g := off.Start("x", 10); g != nil {
		t.Error("Off mode started a file")
	}
	off.Close()
	if out.Len() != 0 {
		t.Errorf("Off mode wrote %q", out.String())
	}
}

func TestDetect(t *testing.T) {
	t.Parallel()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	tests := []struct {
		name string
		out  io.Writer
		term Terminal
	}{
		{"buffer", &bytes.Buffer{}, Terminal{}},
		{"pipe", w, Terminal{}},
		{"workflow", w, Terminal{Workflow: true}},
		{"dumb terminal", w, Terminal{Dumb: true}},
	}
	for _, tc := range tests {
		if got := Detect(tc.out, tc.term); got != Lines {
			t.Errorf("%s: mode %v, want Lines", tc.name, got)
		}
	}
	if New(Options{Out: w}).Mode() != Lines {
		t.Error("Auto on a pipe is not Lines")
	}
}

func TestBarsAboveWriterAndAfterClose(t *testing.T) {
	t.Parallel()
	var out testutil.SyncBuffer
	m := New(Options{Out: &out, Mode: Bars})
	f := m.Start("asset.zip", 1<<20)
	fmt.Fprintln(m.Writer(), "a log line")
	for range 4 {
		f.Add(256 << 10)
		time.Sleep(200 * time.Millisecond) // more than the 150ms refresh
	}
	f.End(nil)
	m.Close()
	fmt.Fprintln(m.Writer(), "after close")
	s := out.String()
	for _, want := range []string{"asset.zip", "total", "[=", "/ 1.0 MiB", "a log line\n", "after close\n", "\x1b[36m"} {
		if !strings.Contains(s, want) {
			t.Errorf("bars output lacks %q:\n%q", want, s)
		}
	}
	if strings.Contains(s, "asset.zip: ") {
		t.Errorf("bars output has a plain line:\n%q", s)
	}
}

func TestBarsWithoutColour(t *testing.T) {
	t.Parallel()
	var out testutil.SyncBuffer
	m := New(Options{Out: &out, Terminal: Terminal{NoColor: true}, Mode: Bars})
	f := m.Start("plain.zip", 1000)
	f.Add(500)
	time.Sleep(400 * time.Millisecond)
	f.End(nil)
	m.Close()
	s := out.String()
	if !strings.Contains(s, "plain.zip") || !strings.Contains(s, "[=") {
		t.Fatalf("no bar drawn:\n%q", s)
	}
	if sgr.MatchString(s) {
		t.Errorf("colour codes despite NO_COLOR:\n%q", s)
	}
}

func TestCloseEndsRunningUploads(t *testing.T) {
	t.Parallel()
	var out testutil.SyncBuffer
	m := New(Options{Out: &out, Mode: Bars})
	f := m.Start("cut.bin", 100)
	f.Add(10)
	done := make(chan struct{})
	go func() { m.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Close hangs with an upload running")
	}
	if !f.ended {
		t.Error("the running file was not ended")
	}
	if m.Start("late.bin", 1) != nil {
		t.Error("Start after Close returned a file")
	}
}

func TestTimeLeft(t *testing.T) {
	t.Parallel()
	if got := timeLeft(90<<20, 1<<20); got != "1m30s" {
		t.Errorf("90 MiB at 1 MiB/s: %s", got)
	}
	if got := timeLeft(10, 0); got != "unknown time" {
		t.Errorf("no rate yet: %s", got)
	}
}
