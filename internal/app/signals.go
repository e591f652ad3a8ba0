package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"
)

// Signals turns the runner's cancel into a clean stop. A workflow's cancel sends
// SIGINT, then SIGTERM a few seconds later, then kills the process: the first
// signal cancels the run's context, so no new work starts, requests in flight
// end, and the publisher removes what the run created under a bounded context of
// its own; a second signal exits at once, unless it comes within sameStop of the
// first: one Ctrl-C reaches every process of the terminal's group, and a wrapper
// (go run, a shell, timeout -s INT) may forward it once more, which is still
// the one stop and must not skip the cleanup. Either way the exit code is 128
// plus the signal's number (130 for SIGINT, 143 for SIGTERM).
type Signals struct {
	ch     chan os.Signal
	done   chan struct{}
	cancel context.CancelCauseFunc

	mu     sync.Mutex
	first  syscall.Signal // 0 until a signal arrives
	before func()         // run before the stop is printed: the run stops its bars
}

// interruption is the cause of a context that a signal cancelled.
type interruption struct{ Signal os.Signal }

func (i interruption) Error() string { return "interrupted by " + signalName(i.Signal) }

// Unwrap makes an interrupt a cancellation to every check of context.Canceled.
func (i interruption) Unwrap() error { return context.Canceled }

func signalName(sig os.Signal) string {
	switch toSyscall(sig) {
	case syscall.SIGINT:
		return "SIGINT"
	case syscall.SIGTERM:
		return "SIGTERM"
	}
	return sig.String()
}

// interruptedBy returns the signal that cancelled ctx, or nil.
func interruptedBy(ctx context.Context) *interruption {
	var i interruption
	if errors.As(context.Cause(ctx), &i) {
		return &i
	}
	return nil
}

type signalsKey struct{}

// beforeStop registers f to run when a signal arrives, before its line is
// printed and before the run's context is cancelled: the run stops and erases
// its progress bars there, so the stop and the cleanup are the last lines on a
// terminal, not erased by a redraw. It returns the function that unregisters f.
// A context that no Signals watches makes it do nothing.
func beforeStop(ctx context.Context, f func()) (undo func()) {
	s, ok := ctx.Value(signalsKey{}).(*Signals)
	if !ok {
		return func() {}
	}
	s.mu.Lock()
	s.before = f
	s.mu.Unlock()
	return func() {
		s.mu.Lock()
		s.before = nil
		s.mu.Unlock()
	}
}

// NotifySignals returns a context that SIGINT or SIGTERM cancels, and the
// Signals that watches for them; lines about them go to stderr.
func NotifySignals(parent context.Context, stderr io.Writer) (context.Context, *Signals) {
	ctx, cancel := context.WithCancelCause(parent)
	s := &Signals{ch: make(chan os.Signal, 2), done: make(chan struct{}), cancel: cancel}
	signal.Notify(s.ch, os.Interrupt, syscall.SIGTERM)
	go s.watch(stderr)
	return context.WithValue(ctx, signalsKey{}, s), s
}

func (s *Signals) watch(stderr io.Writer) {
	var sig os.Signal
	select {
	case sig = <-s.ch:
	case <-s.done:
		return
	}
	first := time.Now()
	s.mu.Lock()
	s.first = toSyscall(sig)
	before := s.before
	s.mu.Unlock()
	if before != nil {
		before()
	}
	fmt.Fprintf(stderr, "release-action: %s: stopping, and removing what this run created (a second signal exits at once)\n", sig)
	s.cancel(interruption{sig})
	for {
		select {
		case sig = <-s.ch:
			if time.Since(first) < sameStop {
				fmt.Fprintf(stderr, "release-action: %s again at once: the same stop (a group signal, or a wrapper forwarding it); the cleanup goes on\n", sig)
				continue
			}
			fmt.Fprintf(stderr, "release-action: %s during the cleanup: exiting now; what this run created may be left\n", sig)
			os.Exit(128 + int(toSyscall(sig)))
		case <-s.done:
			return
		}
	}
}

// sameStop is how soon after the first signal another one still counts as the
// same stop: copies of one group signal arrive within milliseconds; a person
// who presses Ctrl-C again takes longer.
const sameStop = 500 * time.Millisecond

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
	s.cancel(nil)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.first != 0 {
		return 128 + int(s.first)
	}
	return code
}
