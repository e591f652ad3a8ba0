package emulator

import "net/http"

// HoldFunc is a test's hand on the order in which requests are served (Options.Hold).
//
// It is called once per request, first thing, in the request's own goroutine:
// before faults are matched, before the credentials are checked, before the
// request body is read and before the request is logged. The request waits
// until HoldFunc returns, so a test can keep it waiting for as long as it
// likes and let requests through one at a time, in an order it chooses.
// route is the request's route name (RouteUploadAsset, ...), so a scheduler
// can tell reads from writes without parsing the path; r is the request
// itself (its Authorization header tells which client sent it).
//
// The function HoldFunc returns, when not nil, is called once the request has
// been answered: the handler has returned and the request is in the log (the
// answer may still sit in the connection's buffer). A scheduler waits for it
// before it lets the next request through, which makes each request atomic.
//
// HoldFunc may panic with http.ErrAbortHandler to drop the request unanswered,
// as net/http does for any handler; it then never reaches the log.
// internal/model is the one user: it explores the interleavings of concurrent
// runs of the action.
type HoldFunc func(r *http.Request, route string) (answered func())

// hold runs Options.Hold for a request; the returned function is never nil.
func (s *Server) hold(r *http.Request, route string) func() {
	if s.opts.Hold == nil {
		return func() {}
	}
	if answered := s.opts.Hold(r, route); answered != nil {
		return answered
	}
	return func() {}
}
