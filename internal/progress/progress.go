// Package progress shows how uploads are going. On a terminal it draws live bars
// (bytes, rate, time left, one per file and one for the total) with
// github.com/vbauerster/mpb/v8; in a workflow log, a pipe or a file it prints a plain
// line per running upload every few seconds instead, because cursor movements there
// would only be noise. NO_COLOR turns colour off; non-terminal output never gets an
// escape code. The package reads no environment variable: internal/inputs does,
// and the caller passes what it found as a Terminal.
//
// A Meter spans any number of uploads: the caller starts a File for each, reports
// the bytes sent, and ends it with the upload's error. A nil *Meter and a nil *File
// do nothing, so a caller that wants no progress needs no special case.
//
//	m := progress.New(progress.Options{Out: os.Stderr, Logf: log.Infof})
//	defer m.Close()
//	f := m.Start("app.tar.gz", size)
//	// ... f.Add(n) after each n bytes sent ...
//	f.End(err)
//
// While bars are drawn, other output should go through m.Writer().
package progress

import (
	"fmt"
	"io"
	"sync"
	"time"

	"golang.org/x/term"

	"github.com/releasekit/release-action/internal/assets"
)

// Mode says how progress is shown.
type Mode int

const (
	// Auto draws bars on a terminal outside a workflow and prints lines elsewhere.
	Auto Mode = iota
	// Bars always draws live bars (the output must understand cursor movements).
	Bars
	// Lines prints a line per running upload every Interval.
	Lines
	// Off shows nothing.
	Off
)

// DefaultInterval is the time between plain progress lines.
const DefaultInterval = 5 * time.Second

// Options configures a Meter.
type Options struct {
	// Out is where bars or lines go: stderr from a terminal, stdout in a workflow.
	Out io.Writer
	// Terminal is what the environment says about the output.
	Terminal Terminal
	// Logf prints one plain progress line (the logger's Infof, say); nil writes
	// the line to Out.
	Logf func(format string, args ...any)
	// Interval is the time between plain lines; 0 means DefaultInterval.
	Interval time.Duration
	// Mode chooses bars or lines; Auto decides from Out and the environment.
	Mode Mode
}

// Terminal is what the environment says about where progress is shown, as
// internal/inputs reads it. The zero value is an interactive terminal that
// takes colour.
type Terminal struct {
	// Workflow is set in a workflow step (GITHUB_ACTIONS=true), whose log is
	// read later, not watched: Auto prints lines there.
	Workflow bool
	// NoColor (NO_COLOR set and not empty, https://no-color.org) draws bars
	// without colour.
	NoColor bool
	// Dumb (TERM=dumb) is a terminal that cannot move its cursor or colour
	// text: Auto prints lines, and bars, if asked for, get no colour.
	Dumb bool
}

// Meter shows the progress of the uploads started on it. It is safe for
// concurrent use.
type Meter struct {
	mode     Mode
	out      io.Writer
	logf     func(format string, args ...any)
	interval time.Duration
	color    bool

	mu     sync.Mutex
	active []*File
	wave   wave // the uploads since the last moment none was running
	closed bool
	bars   *bars // nil unless mode is Bars

	stop chan struct{} // ends the line ticker
	done sync.WaitGroup
}

// wave adds up the uploads that overlap in time, for the total.
type wave struct {
	size, sent int64
	started    time.Time
}

// New returns a Meter; call Close when the uploads are over.
func New(o Options) *Meter {
	m := &Meter{mode: o.Mode, out: o.Out, logf: o.Logf, interval: o.Interval}
	if m.out == nil {
		m.out = io.Discard
	}
	if m.mode == Auto {
		m.mode = Detect(m.out, o.Terminal)
	}
	if m.interval <= 0 {
		m.interval = DefaultInterval
	}
	if m.logf == nil {
		m.logf = func(format string, args ...any) { fmt.Fprintf(m.out, format+"\n", args...) }
	}
	m.color = !o.Terminal.NoColor && !o.Terminal.Dumb
	switch m.mode {
	case Bars:
		m.bars = newBars(m.out, m.color)
	case Lines:
		m.stop = make(chan struct{})
		m.done.Add(1)
		go m.tick()
	}
	return m
}

// Detect picks the mode Auto stands for: bars only when out is a sized terminal
// that can move its cursor and the program is not running as a workflow step, whose log is
// read later, not watched.
func Detect(out io.Writer, t Terminal) Mode {
	if t.Workflow || t.Dumb {
		return Lines
	}
	f, ok := out.(interface{ Fd() uintptr })
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return Lines
	}
	// A terminal that reports no size (a pty nobody sized, as some CI wrappers
	// make) would get bars clipped to nothing.
	if w, _, err := term.GetSize(int(f.Fd())); err != nil || w <= 0 {
		return Lines
	}
	return Bars
}

// Mode reports how this Meter shows progress (never Auto).
func (m *Meter) Mode() Mode {
	if m == nil {
		return Off
	}
	return m.mode
}

// Writer is where other output should go while the Meter is open: with bars, a line
// written here is printed above them instead of being torn by the next redraw.
// Without bars it is Out itself.
func (m *Meter) Writer() io.Writer {
	if m == nil {
		return io.Discard
	}
	if m.bars == nil {
		return m.out
	}
	return aboveBars{m}
}

// aboveBars sends writes through the bars while they are drawn, and straight to
// Out once the Meter is closed.
type aboveBars struct{ m *Meter }

func (a aboveBars) Write(p []byte) (int, error) {
	a.m.mu.Lock()
	closed := a.m.closed
	a.m.mu.Unlock()
	if closed {
		return a.m.out.Write(p)
	}
	n, err := a.m.bars.p.Write(p)
	if err != nil { // closed meanwhile
		return a.m.out.Write(p)
	}
	return n, nil
}

// Start begins showing one upload of size bytes under name.
func (m *Meter) Start(name string, size int64) *File {
	if m == nil || m.mode == Off {
		return nil
	}
	f := &File{m: m, name: name, size: max(size, 0), started: time.Now()}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return nil
	}
	if len(m.active) == 0 {
		m.wave = wave{started: f.started}
	}
	m.active = append(m.active, f)
	m.wave.size += f.size
	if m.bars != nil {
		m.bars.start(f, m.wave)
	}
	return f
}

// Close stops the ticker or waits for the bars to be erased. Uploads still running
// are shown as stopped. Close is idempotent.
func (m *Meter) Close() {
	if m == nil {
		return
	}
	m.mu.Lock()
	if m.closed {
		m.mu.Unlock()
		return
	}
	m.closed = true
	left := append([]*File(nil), m.active...)
	m.mu.Unlock()
	for _, f := range left {
		f.End(errClosed)
	}
	if m.stop != nil {
		close(m.stop)
		m.done.Wait()
	}
	if m.bars != nil {
		m.bars.close()
	}
}

var errClosed = fmt.Errorf("progress closed before the upload ended")

// File is one upload being shown.
type File struct {
	m       *Meter
	name    string
	size    int64
	started time.Time

	sent  int64 // bytes reported, capped at size; guarded by m.mu
	ended bool
	bar   fileBar // the bars' state for this file, if any
}

// Add reports n more bytes sent. A retried upload reads the file again from the
// start, so the count is capped at the file's size rather than going past 100%.
func (f *File) Add(n int64) {
	if f == nil || n <= 0 {
		return
	}
	m := f.m
	m.mu.Lock()
	defer m.mu.Unlock()
	if f.ended {
		return
	}
	n = min(n, f.size-f.sent)
	if n <= 0 {
		return
	}
	f.sent += n
	m.wave.sent += n
	if m.bars != nil {
		m.bars.add(f, n)
	}
}

// End finishes the upload (err nil) or marks it failed. Later calls do nothing.
func (f *File) End(err error) {
	if f == nil {
		return
	}
	m := f.m
	m.mu.Lock()
	defer m.mu.Unlock()
	if f.ended {
		return
	}
	f.ended = true
	for i, x := range m.active {
		if x == f {
			m.active = append(m.active[:i], m.active[i+1:]...)
			break
		}
	}
	if err == nil {
		m.wave.sent += f.size - f.sent
		f.sent = f.size
	} else {
		m.wave.size -= f.size - f.sent // what will never be sent leaves the total
	}
	if m.bars != nil {
		m.bars.end(f, err, m.wave, len(m.active) == 0)
	}
}

// tick prints the plain lines until Close.
func (m *Meter) tick() {
	defer m.done.Done()
	t := time.NewTicker(m.interval)
	defer t.Stop()
	for {
		select {
		case <-m.stop:
			return
		case <-t.C:
			m.printLines(time.Now())
		}
	}
}

// printLines logs one line per running upload, in the executor's long-standing
// format ("NAME: SENT of SIZE (RATE/s)"), then the total when several overlap.
func (m *Meter) printLines(now time.Time) {
	m.mu.Lock()
	type line struct {
		name             string
		sent, size, rate int64
	}
	lines := make([]line, 0, len(m.active))
	for _, f := range m.active {
		lines = append(lines, line{f.name, f.sent, f.size, rate(f.sent, now.Sub(f.started))})
	}
	w := m.wave
	m.mu.Unlock()
	for _, l := range lines {
		m.logf("%s: %s of %s (%s/s)", l.name, assets.FormatSize(l.sent), assets.FormatSize(l.size), assets.FormatSize(l.rate))
	}
	if len(lines) > 1 {
		r := rate(w.sent, now.Sub(w.started))
		m.logf("all uploads: %s of %s (%s/s), %s left", assets.FormatSize(w.sent), assets.FormatSize(w.size), assets.FormatSize(r), timeLeft(w.size-w.sent, r))
	}
}

func rate(n int64, d time.Duration) int64 {
	if d <= 0 {
		return 0
	}
	return int64(float64(n) / d.Seconds())
}

// timeLeft estimates the time to send n bytes at rate bytes per second.
func timeLeft(n, rate int64) string {
	if rate <= 0 {
		return "unknown time"
	}
	return time.Duration(float64(n) / float64(rate) * float64(time.Second)).Round(time.Second).String()
}
