package app

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync"
	"syscall"
)

// Signals turns the runner's cancel into a clean stop. A workflow's cancel sends
// SIGINT, then SIGTERM a few seconds later, then kills the process: the first
// signal cancels the run's context, so no new work starts, requests in flight
// end, and the publisher removes what the run created under a bounded context of
// its own; a second signal exits at once. Either way the exit code is 128 plus
// the signal's number (130 for SIGINT, 143 for SIGTERM).
type Signals struct {
	ch     chan os.Signal
	done   chan struct{}
	cancel context.CancelFunc

	mu    sync.Mutex
	first syscall.Signal // 0 until a signal arrives
}

// NotifySignals returns a context that SIGINT or SIGTERM cancels, and the
// Signals that watches for them; lines about them go to stderr.
func NotifySignals(parent context.Context, stderr io.Writer) (context.Context, *Signals) {
	ctx, cancel := context.WithCancel(parent)
	s := &Signals{ch: make(chan os.Signal, 2), done: make(chan struct{}), cancel: cancel}
	signal.Notify(s.ch, os.Interrupt, syscall.SIGTERM)
	go s.watch(stderr)
	return ctx, s
}

func (s *Signals) watch(stderr io.Writer) {
	var sig os.Signal
	select {
	case sig = <-s.ch:
	case <-s.done:
		return
	}
	s.mu.Lock()
	s.first = toSyscall(sig)
	s.mu.Unlock()
	fmt.Fprintf(stderr, "release-action: %s: stopping, and removing what this run created (a second signal exits at once)\n", sig)
	s.cancel()
	select {
	case sig = <-s.ch:
		fmt.Fprintf(stderr, "release-action: %s during the cleanup: exiting now; what this run created may be left\n", sig)
		os.Exit(128 + int(toSyscall(sig)))
	case <-s.done:
	}
}

func toSyscall(sig os.Signal) syscall.Signal {
	if n, ok := sig.(syscall.Signal); ok {
		return n
	}
	return syscall.SIGINT
}

// Stop ends the watch and returns the process's exit code: code, or 128 plus
// the signal's number when a signal stopped the run.
func (s *Signals) Stop(code int) int {
	signal.Stop(s.ch)
	close(s.done)
	s.cancel()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.first != 0 {
		return 128 + int(s.first)
	}
	return code
}
