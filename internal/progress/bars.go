package progress

import (
	"io"
	"math"
	"time"

	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"

	"github.com/releasekit/release-action/internal/assets"
)

// bars draws the live view with mpb: a bar per running upload and a total bar
// below them. Its methods are called with Meter.mu held, in order.
type bars struct {
	p     *mpb.Progress
	color bool
	total *mpb.Bar // nil between waves
	seq   int      // orders file bars by start
}

// barWidth leaves room on an 80-column terminal for a name and the figures.
const barWidth = 30

// fileBar is one file's bar; nil for an empty file, which has nothing to watch.
type fileBar = *mpb.Bar

func newBars(out io.Writer, color bool) *bars {
	p := mpb.New(
		mpb.WithOutput(out),
		// Auto mode only gets here on a terminal; Bars asked for explicitly means
		// the caller knows the output understands cursor movements.
		mpb.ForceTTY(),
		mpb.WithAutoRefresh(),
		mpb.WithRefreshRate(150*time.Millisecond),
		// The line width when out is not a terminal (on one, its width is used).
		mpb.WithWidth(120),
	)
	return &bars{p: p, color: color}
}

// paint wraps a decorator in an SGR colour unless colour is off.
func (b *bars) paint(d decor.Decorator, sgr string) decor.Decorator {
	if !b.color {
		return d
	}
	return decor.Meta(d, func(s string) string { return "\x1b[" + sgr + "m" + s + "\x1b[0m" })
}

// figures are the decorators after a bar: bytes (assets.FormatSize, as in the
// plain lines), rate and time left since started.
func figures(started time.Time) mpb.BarOption {
	return mpb.AppendDecorators(
		decor.Any(func(s decor.Statistics) string {
			return assets.FormatSize(s.Current) + " / " + assets.FormatSize(s.Total)
		}, decor.WCSyncSpace),
		decor.Any(func(s decor.Statistics) string {
			return assets.FormatSize(rate(s.Current, time.Since(started))) + "/s"
		}, decor.WCSyncSpace),
		decor.NewAverageETA(decor.ET_STYLE_GO, started, nil, decor.WCSyncSpace),
		decor.Name(" left"),
	)
}

func (b *bars) start(f *File, w wave) {
	if b.total == nil {
		// Built with total 0, so that it completes when the wave ends, not when
		// the bytes known so far are sent.
		b.total = b.p.New(0, mpb.BarStyle(),
			mpb.BarPriority(math.MaxInt32),
			mpb.BarRemoveOnComplete(),
			mpb.BarWidth(barWidth),
			mpb.PrependDecorators(b.paint(decor.Name("total", decor.WCSyncSpaceR), "1")),
			figures(w.started),
		)
	}
	b.total.SetTotal(w.size, false)
	if f.size == 0 {
		return
	}
	b.seq++
	// Also built with total 0, so that a bar at 100% waits for GitHub's answer.
	f.bar = b.p.New(0, mpb.BarStyle(),
		mpb.BarPriority(b.seq),
		mpb.BarRemoveOnComplete(),
		mpb.BarWidth(barWidth),
		mpb.PrependDecorators(b.paint(decor.Name(f.name, decor.WCSyncSpaceR), "36")),
		figures(f.started),
	)
	f.bar.SetTotal(f.size, false)
}

func (b *bars) add(f *File, n int64) {
	if f.bar != nil {
		f.bar.IncrInt64(n)
	}
	b.total.IncrInt64(n)
}

// end removes the file's bar, and the total bar when no upload is left.
func (b *bars) end(f *File, err error, w wave, last bool) {
	if f.bar != nil {
		if err == nil {
			f.bar.SetTotal(f.size, true)
		} else {
			f.bar.Abort(true)
		}
	}
	b.total.SetTotal(w.size, false)
	b.total.SetCurrent(w.sent)
	if last {
		b.total.SetTotal(-1, true)
		b.total = nil
	}
}

// close waits until every bar is erased and the last lines are written.
func (b *bars) close() {
	b.p.Wait()
}
