package model

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Choice is one held request that the scheduler may let through next: the run
// that sent it and what it is.
type Choice struct {
	Run    int
	Method string
	Route  string // the emulator's route name
	Path   string // without the query, which may carry a random temporary name
}

// Read reports whether the request cannot change the emulator's state.
func (c Choice) Read() bool { return c.Method == http.MethodGet || c.Method == http.MethodHead }

// Independent reports whether letting a and b through in either order reaches
// the same state. Two reads of different runs do: neither changes the server,
// and each run sees the same answer in both orders. Anything else is taken as
// dependent (two uploads of different names still draw their ids in order).
func Independent(a, b Choice) bool { return a.Run != b.Run && a.Read() && b.Read() }

func (c Choice) String() string { return fmt.Sprintf("run %d %s %s", c.Run, c.Method, c.Path) }

// pending is a request held by the scheduler.
type pending struct {
	Choice
	release  chan struct{} // closed to let the request through
	answered chan struct{} // closed once the emulator answered it
}

// scheduler is the emulator's Options.Hold: it holds every request of a known
// run until the explorer lets it through.
type scheduler struct {
	mu      sync.Mutex
	changed chan struct{} // closed and replaced on every change
	tokens  map[string]int
	held    map[int][]*pending
	exited  map[int]bool
	started map[int]bool
	open    bool // false once draining: requests pass at once
	strays  []string
}

func newScheduler() *scheduler {
	return &scheduler{
		changed: make(chan struct{}),
		tokens:  map[string]int{},
		held:    map[int][]*pending{},
		exited:  map[int]bool{},
		started: map[int]bool{},
		open:    true,
	}
}

// broadcast wakes every waiter; it must hold s.mu.
func (s *scheduler) broadcast() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// addRun registers the token a run presents.
func (s *scheduler) addRun(run int, token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokens[token] = run
	s.started[run] = true
}

// runExited records that a run's process ended.
func (s *scheduler) runExited(run int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.exited[run] = true
	s.broadcast()
}

// tokenOf reads the credentials of "Authorization: Bearer|token X".
func tokenOf(r *http.Request) string {
	_, cred, _ := strings.Cut(strings.TrimSpace(r.Header.Get("Authorization")), " ")
	return strings.TrimSpace(cred)
}

// maxHeldBody bounds the upload body the scheduler reads ahead; the model's
// files are a few bytes.
const maxHeldBody = 1 << 20

// hold is the emulator's HoldFunc.
func (s *scheduler) hold(r *http.Request, route string) func() {
	s.mu.Lock()
	if !s.open {
		s.mu.Unlock()
		return nil
	}
	run, ok := s.tokens[tokenOf(r)]
	if !ok {
		// Never the token itself: it may be a run's, mangled.
		s.strays = append(s.strays, r.Method+" "+r.URL.Path)
		s.broadcast()
		s.mu.Unlock()
		return nil
	}
	if route == "upload_asset" && r.Body != nil {
		// The whole body is read before the request counts as held, so that an
		// upload a killed or stopped run abandons reaches the emulator whole
		// whatever the timing: no schedule decides how much of a body left the
		// process before it died, so the model always takes all of it (an
		// upload that dies half-way is the emulator's FaultStarter, tested apart).
		s.mu.Unlock()
		body, err := io.ReadAll(io.LimitReader(r.Body, maxHeldBody))
		r.Body.Close()
		r.Body = io.NopCloser(bytes.NewReader(body))
		if err != nil {
			panic(http.ErrAbortHandler)
		}
		s.mu.Lock()
	}
	p := &pending{
		Choice:   Choice{Run: run, Method: r.Method, Route: route, Path: r.URL.Path},
		release:  make(chan struct{}),
		answered: make(chan struct{}),
	}
	s.held[run] = append(s.held[run], p)
	s.broadcast()
	s.mu.Unlock()
	<-p.release
	return func() {
		close(p.answered)
		s.mu.Lock()
		s.broadcast()
		s.mu.Unlock()
	}
}

// errStuck is a schedule the model could not drive: a run that neither sent a
// request nor exited in time, two requests of one run at once, a request of
// no run.
type errStuck struct{ msg string }

func (e *errStuck) Error() string { return e.msg }

// quiet waits until every started run has exactly one held request or has
// exited, and returns the held requests by run, sorted by run. It fails after
// limit, naming the runs it still waits for.
func (s *scheduler) quiet(limit time.Duration) ([]Choice, error) {
	deadline := time.NewTimer(limit)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		if len(s.strays) > 0 {
			msg := fmt.Sprintf("requests without any run's token reached the emulator: %s", strings.Join(s.strays, ", "))
			s.mu.Unlock()
			return nil, &errStuck{msg}
		}
		var enabled []Choice
		var waiting []int
		for run := 0; run < len(s.started); run++ {
			switch h := s.held[run]; {
			case len(h) > 1:
				s.mu.Unlock()
				return nil, &errStuck{fmt.Sprintf("run %d has %d requests in flight at once (%s and %s); the model needs INPUT_MAX_PARALLEL=1 to hold one request per run", run, len(h), h[0].Choice, h[1].Choice)}
			case len(h) == 1:
				enabled = append(enabled, h[0].Choice)
			case !s.exited[run]:
				waiting = append(waiting, run)
			}
		}
		ch := s.changed
		s.mu.Unlock()
		if len(waiting) == 0 {
			return enabled, nil
		}
		select {
		case <-ch:
		case <-deadline.C:
			return nil, &errStuck{fmt.Sprintf("run(s) %v neither sent another request nor exited within %v", waiting, limit)}
		}
	}
}

// let lets run's held request through, and waits until the emulator answered
// it. before, when set, runs after the request is taken off the list and
// before it goes through (the model kills or signals a run there); an error
// from it stops the schedule.
func (s *scheduler) let(run int, limit time.Duration, before func() error) error {
	s.mu.Lock()
	h := s.held[run]
	if len(h) == 0 {
		s.mu.Unlock()
		return &errStuck{fmt.Sprintf("run %d has no held request", run)}
	}
	p := h[0]
	s.held[run] = h[1:]
	s.mu.Unlock()
	if before != nil {
		if err := before(); err != nil {
			close(p.release)
			return err
		}
	}
	close(p.release)
	select {
	case <-p.answered:
		return nil
	case <-time.After(limit):
		return &errStuck{fmt.Sprintf("the emulator did not answer %s within %v", p.Choice, limit)}
	}
}

// reacted waits until run, whose held request was taken off the list, sends
// another request or exits: a run told to stop abandons the request it waits
// for and cleans up.
func (s *scheduler) reacted(run int, limit time.Duration) error {
	deadline := time.NewTimer(limit)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		done := s.exited[run] || len(s.held[run]) > 0
		ch := s.changed
		s.mu.Unlock()
		if done {
			return nil
		}
		select {
		case <-ch:
		case <-deadline.C:
			return &errStuck{fmt.Sprintf("run %d neither abandoned its request nor exited within %v of the signal", run, limit)}
		}
	}
}

// drain lets every held request and every later one through at once, so that
// the server can be closed after a schedule that stopped early.
func (s *scheduler) drain() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.open = false
	for run, h := range s.held {
		for _, p := range h {
			close(p.release)
		}
		delete(s.held, run)
	}
	s.broadcast()
}
