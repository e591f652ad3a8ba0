package emulator

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// FaultKind is the kind of failure an injected Fault produces.
type FaultKind int

const (
	// FaultStatus answers Fault.Status (with Fault.Body, if set) without doing the work.
	FaultStatus FaultKind = iota
	// FaultStarter, on an upload, reads part of the body, leaves a "starter" asset
	// with the upload's name and answers 502, as GitHub does on an upstream failure.
	// On other routes it is a plain 502.
	// https://docs.github.com/en/rest/releases/assets#upload-a-release-asset
	FaultStarter
	// FaultDrop closes the connection without answering; on an upload it first reads
	// part of the body and leaves a "starter" asset.
	FaultDrop
	// FaultSecondaryLimit answers 403 "You have exceeded a secondary rate limit",
	// with Retry-After when Fault.RetryAfter is set.
	// https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits
	FaultSecondaryLimit
	// FaultPrimaryLimit answers 403 with x-ratelimit-remaining: 0 and
	// x-ratelimit-reset Fault.RetryAfter seconds from now.
	// https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api#exceeding-the-primary-rate-limit
	FaultPrimaryLimit
	// FaultLostAnswer does the request's work, then closes the connection
	// without answering: the write landed, its answer is lost.
	FaultLostAnswer
)

// String names the kind, for test output.
func (k FaultKind) String() string {
	switch k {
	case FaultStatus:
		return "status"
	case FaultStarter:
		return "starter"
	case FaultDrop:
		return "drop"
	case FaultSecondaryLimit:
		return "secondary-limit"
	case FaultPrimaryLimit:
		return "primary-limit"
	case FaultLostAnswer:
		return "lost-answer"
	}
	return "FaultKind(" + strconv.Itoa(int(k)) + ")"
}

// Fault is a failure to inject into matching requests. Faults are queued: a request
// is owned by the oldest unspent fault whose Route and Method match it, which first
// lets Skip requests through, then affects Times requests. A fault is taken when the
// request arrives, before authentication; FaultStarter and FaultDrop on an upload act
// after the upload's own checks (an upload refused with 422 spends the fault).
//
// A fault with a Window is a standing limit instead, never spent: it lets Allow
// matching requests through in any sliding Window and refuses the others with its
// Kind (a limit kind). A request it lets through goes on to the younger faults.
type Fault struct {
	Route      string    // route name as in Request.Route; "" matches any
	Method     string    // HTTP method; "" matches any, MethodWrite every content-creating one
	Times      int       // how many matching requests it affects (0 means 1)
	Skip       int       // matching requests to let through first
	Kind       FaultKind // what happens
	Status     int       // FaultStatus: the status to answer; limits: 403 if 0 (429 is allowed)
	Body       string    // FaultStatus: the body (a GitHub JSON error when empty)
	RetryAfter int       // limits: seconds until the client may retry (0 = no Retry-After; see Window)
	// Window and Allow make a standing limit (see above). Its answers carry
	// RetryAfter when set, else the whole seconds until the window has room again.
	Window time.Duration
	Allow  int
}

// MethodWrite in Fault.Method matches POST, PATCH, PUT and DELETE: the
// content-creating requests GitHub's secondary limits count.
// https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits
const MethodWrite = "WRITE"

type faultState struct {
	f      Fault
	skip   int
	left   int
	window *slidingWindow // standing limits only
}

// Inject queues a fault.
func (s *Server) Inject(f Fault) {
	if f.Times <= 0 {
		f.Times = 1
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	fs := &faultState{f: f, skip: f.Skip, left: f.Times}
	if f.Window > 0 {
		fs.window = &slidingWindow{allow: f.Allow, span: f.Window}
	}
	s.faults = append(s.faults, fs)
}

// PendingFaults reports how many injected faults are not yet spent; standing
// limits are not counted.
func (s *Server) PendingFaults() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, fs := range s.faults {
		if fs.left > 0 && fs.window == nil {
			n++
		}
	}
	return n
}

// takeFault returns the fault that affects this request, if any; it must hold s.mu.
func (s *Server) takeFault(routeName, method string) *Fault {
	for _, fs := range s.faults {
		if fs.left <= 0 {
			continue
		}
		if fs.f.Route != "" && fs.f.Route != routeName {
			continue
		}
		if !methodMatches(fs.f.Method, method) {
			continue
		}
		if fs.window != nil {
			ok, wait := fs.window.admit(time.Now())
			if ok {
				continue
			}
			f := fs.f
			if f.RetryAfter == 0 {
				f.RetryAfter = int(max((wait+time.Second-1)/time.Second, 1))
			}
			return &f
		}
		if fs.skip > 0 {
			fs.skip--
			return nil
		}
		fs.left--
		f := fs.f
		return &f
	}
	return nil
}

func methodMatches(want, got string) bool {
	switch want {
	case "":
		return true
	case MethodWrite:
		return got == http.MethodPost || got == http.MethodPatch || got == http.MethodPut || got == http.MethodDelete
	}
	return strings.EqualFold(want, got)
}

// answerFault answers a faulted request without doing its work; it reports whether
// the connection was dropped.
func (s *Server) answerFault(w http.ResponseWriter, raw http.ResponseWriter, f *Fault, doc string) bool {
	switch f.Kind {
	case FaultDrop:
		return dropConnection(raw, w)
	case FaultStarter:
		writeError(w, &apiError{status: http.StatusBadGateway, message: "Bad Gateway", docURL: doc})
	case FaultSecondaryLimit:
		if f.RetryAfter > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(f.RetryAfter))
		}
		writeError(w, &apiError{
			status: limitStatus(f),
			message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. " +
				"If you reach out to GitHub Support for help, please include the request ID EMULATOR:0000.",
			docURL: "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
		})
	case FaultPrimaryLimit:
		writeError(w, &apiError{
			status: limitStatus(f),
			message: "API rate limit exceeded for installation ID 1. If you reach out to GitHub Support for help, " +
				"please include the request ID EMULATOR:0000 and timestamp " + time.Now().UTC().Format("2006-01-02 15:04:05 UTC") + ".",
			docURL: "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-primary-rate-limits",
		})
	default: // FaultStatus
		status := f.Status
		if status == 0 {
			status = http.StatusInternalServerError
		}
		if f.Body != "" {
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
			w.WriteHeader(status)
			_, _ = w.Write([]byte(f.Body))
			return false
		}
		msg := http.StatusText(status)
		if status == http.StatusUnauthorized {
			msg = "Bad credentials"
		}
		writeError(w, &apiError{status: status, message: msg, docURL: doc})
	}
	return false
}

func limitStatus(f *Fault) int {
	if f.Status != 0 {
		return f.Status
	}
	return http.StatusForbidden
}

// loseAnswer serves the request with its answer thrown away, then drops the
// connection.
func (s *Server) loseAnswer(c *exchange, serve handler) bool {
	muted := *c
	muted.w, muted.fault = &recorder{ResponseWriter: discard{h: http.Header{}}}, nil
	if serve(s, &muted) {
		return true
	}
	return dropConnection(c.raw, c.w)
}

// discard is a ResponseWriter that keeps nothing.
type discard struct{ h http.Header }

func (d discard) Header() http.Header       { return d.h }
func (discard) Write(b []byte) (int, error) { return len(b), nil }
func (discard) WriteHeader(int)             {}

// dropConnection closes the client connection without an answer. If the writer
// cannot be hijacked (HTTP/2), it aborts the handler the way net/http allows.
func dropConnection(raw http.ResponseWriter, w http.ResponseWriter) bool {
	hj, ok := raw.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		writeError(w, &apiError{status: http.StatusInternalServerError, message: fmt.Sprintf("emulator: cannot drop connection: %v", err)})
		return false
	}
	_ = conn.Close()
	return true
}
