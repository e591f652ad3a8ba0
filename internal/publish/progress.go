package publish

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/releasekit/release-action/internal/assets"
)

// transfer is one upload in flight, for progress lines.
type transfer struct {
	e       *executor
	name    string
	total   int64
	sent    atomic.Int64
	started time.Time
}

func (e *executor) track(name string, total int64) *transfer {
	t := &transfer{e: e, name: name, total: total, started: time.Now()}
	e.tmu.Lock()
	e.active = append(e.active, t)
	e.tmu.Unlock()
	return t
}

func (t *transfer) add(n int64) { t.sent.Add(n) }

func (t *transfer) done() {
	e := t.e
	e.tmu.Lock()
	defer e.tmu.Unlock()
	for i, x := range e.active {
		if x == t {
			e.active = append(e.active[:i], e.active[i+1:]...)
			break
		}
	}
}

// startProgress logs, every interval, one line per upload still running.
func (e *executor) startProgress() (stop func()) {
	if e.progress <= 0 {
		return func() {}
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(e.progress)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				e.tmu.Lock()
				list := append([]*transfer(nil), e.active...)
				e.tmu.Unlock()
				for _, t := range list {
					sent := t.sent.Load()
					rate := float64(sent) / time.Since(t.started).Seconds()
					e.log.Infof("%s: %s of %s (%s/s)", t.name, assets.FormatSize(sent), assets.FormatSize(t.total), assets.FormatSize(int64(rate)))
				}
			}
		}
	}()
	return func() {
		close(done)
		wg.Wait()
	}
}
