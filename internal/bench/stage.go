package bench

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/releasekit/release-action/internal/emulator"
)

// Repo and Token are what every stage's emulator accepts.
const (
	Repo  = "bench/app"
	Token = "bench-token"
)

// hit is one request the tap saw: when it arrived and when its answer was done.
type hit struct {
	method, path string
	start, end   time.Time
}

// tap wraps the emulator to time requests; the emulator's own log has no times.
type tap struct {
	next     http.Handler
	inflight atomic.Int64
	mu       sync.Mutex
	hits     []hit
}

func (t *tap) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	t.inflight.Add(1)
	defer t.inflight.Add(-1)
	h := hit{method: r.Method, path: r.URL.Path, start: time.Now()}
	defer func() {
		h.end = time.Now()
		t.mu.Lock()
		t.hits = append(t.hits, h)
		t.mu.Unlock()
	}()
	t.next.ServeHTTP(w, r)
}

// take returns the hits so far and forgets them.
func (t *tap) take() []hit {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := t.hits
	t.hits = nil
	return out
}

// quiesce waits until no request is being answered, so that the emulator's log
// holds every request of a run that just ended.
func (t *tap) quiesce(ctx context.Context) error {
	deadline := time.Now().Add(10 * time.Second)
	for t.inflight.Load() > 0 {
		if time.Now().After(deadline) {
			return errors.New("requests still in flight 10 s after the run ended")
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(2 * time.Millisecond):
		}
	}
	return nil
}

// Stage is one emulator serving on 127.0.0.1, with one repository.
type Stage struct {
	Emu *emulator.Server
	URL string // http://127.0.0.1:PORT
	tap *tap
	srv *http.Server
}

// NewStage starts an emulator with opts on a loopback port. Token and, when zero,
// MaxStoredBytes (1 MiB) are filled in: the emulator hashes bigger uploads and
// keeps only their size and digest, so the benchmarking process stays small.
func NewStage(opts emulator.Options) (*Stage, error) {
	opts.Token = Token
	if opts.MaxStoredBytes == 0 {
		opts.MaxStoredBytes = 1 << 20
	}
	emu := emulator.New(opts)
	emu.AddRepo(Repo, false)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	t := &tap{next: emu}
	s := &Stage{Emu: emu, URL: "http://" + ln.Addr().String(), tap: t, srv: &http.Server{Handler: t}}
	go s.srv.Serve(ln) //nolint:errcheck // Serve returns ErrServerClosed on Close
	return s, nil
}

// Close stops the server.
func (s *Stage) Close() error { return s.srv.Close() }

// Traffic is what the emulator saw during one run.
type Traffic struct {
	Counts      map[string]int // requests by route
	Requests    int
	Uploads     int   // upload_asset requests
	UploadBytes int64 // body bytes the emulator read from upload_asset requests
	ClientErrs  int   // 4xx answers (a 404 for a release not created yet is normal)
	ServerErrs  int   // 5xx answers and dropped connections
	Writes      int   // content-creating requests (POST, PATCH, PUT, DELETE) that were not refused by a limit
	Limited     int   // 403 and 429 answers to writes: limit answers under a standing write limit
	First       time.Time
	UploadSpan  time.Duration // first upload's arrival to the last upload's answer
}

// collect returns the traffic since the last collect and resets the logs.
func (s *Stage) collect(ctx context.Context) (Traffic, error) {
	if err := s.tap.quiesce(ctx); err != nil {
		return Traffic{}, err
	}
	reqs := s.Emu.Requests()
	hits := s.tap.take()
	s.Emu.ResetLog()
	tr := Traffic{Counts: map[string]int{}, Requests: len(reqs)}
	for _, r := range reqs {
		tr.Counts[r.Route]++
		if r.Route == emulator.RouteUploadAsset {
			tr.Uploads++
			tr.UploadBytes += r.BytesIn
		}
		if isWrite(r.Method) {
			if r.Status == http.StatusForbidden || r.Status == http.StatusTooManyRequests {
				tr.Limited++
			} else {
				tr.Writes++
			}
		}
		switch {
		case r.Status == 0 || r.Status >= 500:
			tr.ServerErrs++
		case r.Status >= 400:
			tr.ClientErrs++
		}
	}
	var upStart, upEnd time.Time
	for _, h := range hits {
		if tr.First.IsZero() || h.start.Before(tr.First) {
			tr.First = h.start
		}
		if h.method == http.MethodPost && strings.HasPrefix(h.path, "/uploads/") {
			if upStart.IsZero() || h.start.Before(upStart) {
				upStart = h.start
			}
			if h.end.After(upEnd) {
				upEnd = h.end
			}
		}
	}
	if !upStart.IsZero() {
		tr.UploadSpan = upEnd.Sub(upStart)
	}
	return tr, nil
}

func isWrite(method string) bool {
	return method == http.MethodPost || method == http.MethodPatch || method == http.MethodPut || method == http.MethodDelete
}

// ActionEnv is the environment of one action run against the stage.
func (s *Stage) ActionEnv(workspace, outputFile, tag, files string, extra map[string]string) map[string]string {
	env := map[string]string{
		"GITHUB_API_URL":    s.URL,
		"GITHUB_SERVER_URL": s.URL,
		"GITHUB_REPOSITORY": Repo,
		"GITHUB_WORKSPACE":  workspace,
		"GITHUB_OUTPUT":     outputFile,
		"INPUT_TOKEN":       Token,
		"INPUT_TAG":         tag,
		"INPUT_FILES":       files,
	}
	for k, v := range extra {
		env[k] = v
	}
	return env
}

// ReleaseAssets returns the uploaded assets of the release (draft or not) for tag.
func (s *Stage) ReleaseAssets(tag string) ([]emulator.Asset, error) {
	for _, rel := range s.Emu.Releases(Repo) {
		if rel.TagName != tag {
			continue
		}
		var out []emulator.Asset
		for _, a := range s.Emu.Assets(Repo, rel.ID) {
			if a.State == "uploaded" {
				out = append(out, a)
			}
		}
		return out, nil
	}
	return nil, fmt.Errorf("no release for %s", tag)
}

// UploadURL is where a plain upload of name to a new draft release goes.
func (s *Stage) UploadURL(tag, name string) string {
	rel := s.Emu.SeedRelease(Repo, emulator.SeedRelease{TagName: tag, Draft: true})
	return fmt.Sprintf("%s/uploads/repos/%s/releases/%d/assets?name=%s", s.URL, Repo, rel.ID, url.QueryEscape(name))
}
