package ghclient

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/releasekit/release-action/internal/assets"
	"github.com/releasekit/release-action/internal/publish"
	"github.com/releasekit/release-action/internal/retry"
)

// dribbler is a loopback server that writes each answer one byte at a time,
// every gap, so that no idle watchdog ever fires: only a total deadline ends it.
type dribbler struct {
	ln   net.Listener
	what string // "headers", "body"
	gap  time.Duration
	// uploads counts the bodies of POSTs that were read to the end.
	uploads atomic.Int32
	done    chan struct{}
}

func startDribbler(t *testing.T, what string) *dribbler {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	d := &dribbler{ln: ln, what: what, gap: 20 * time.Millisecond, done: make(chan struct{})}
	go d.serve()
	t.Cleanup(func() { close(d.done); ln.Close() })
	return d
}

func (d *dribbler) url() string { return "http://" + d.ln.Addr().String() }

func (d *dribbler) serve() {
	for {
		conn, err := d.ln.Accept()
		if err != nil {
			return
		}
		go d.answer(conn)
	}
}

func (d *dribbler) answer(conn net.Conn) {
	defer conn.Close()
	req, err := http.ReadRequest(bufio.NewReader(conn))
	if err != nil {
		return
	}
	if _, err := io.Copy(io.Discard, req.Body); err != nil {
		return
	}
	if req.Method == http.MethodPost {
		d.uploads.Add(1)
	}
	// A JSON value padded with whitespace: each byte is valid, the end is far.
	body := `{"id":1,"tag_name":"v1"` + strings.Repeat(" ", 1<<20) + `}`
	head := "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
	if d.what == "headers" {
		head += "X-Pad: " + strings.Repeat("a", 1<<20) + "\r\n"
	}
	head += fmt.Sprintf("Content-Length: %d\r\n\r\n", len(body))
	all := head + body
	slow := strings.Index(all, "X-Pad")
	if d.what != "headers" {
		slow = len(head)
	}
	if _, err := io.WriteString(conn, all[:slow]); err != nil {
		return
	}
	for i := slow; i < len(all); i++ {
		select {
		case <-d.done:
			return
		case <-time.After(d.gap):
		}
		if _, err := conn.Write([]byte{all[i]}); err != nil {
			return
		}
	}
}

// within fails the test when f has not returned after limit.
func within[T any](t *testing.T, limit time.Duration, f func() T) T {
	t.Helper()
	ch := make(chan T, 1)
	go func() { ch <- f() }()
	select {
	case v := <-ch:
		return v
	case <-time.After(limit):
		t.Fatalf("still running after %s", limit)
		panic("unreachable")
	}
}

func boundsClient(t *testing.T, url string, o Options) *Client {
	t.Helper()
	p := retry.Default()
	p.MaxAttempts, p.BaseDelay, p.MaxDelay = 2, time.Millisecond, time.Millisecond
	o.Token, o.APIURL, o.Owner, o.Repo = "t", url, "o", "r"
	if o.Policy == nil {
		o.Policy = &p
	}
	o.Timeouts.Header = max(o.Timeouts.Header, 300*time.Millisecond)
	o.Timeouts.UploadHeader = max(o.Timeouts.UploadHeader, 300*time.Millisecond)
	o.Timeouts.Idle = max(o.Timeouts.Idle, 300*time.Millisecond)
	c, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestDribbledAnswerHitsTheTotalDeadline(t *testing.T) {
	t.Parallel()
	for _, what := range []string{"headers", "body"} {
		t.Run(what, func(t *testing.T) {
			t.Parallel()
			d := startDribbler(t, what)
			// The header wait is long: only the total deadline can end this.
			c := boundsClient(t, d.url(), Options{Timeouts: Timeouts{Header: time.Minute, Total: time.Second}})
			err := within(t, 8*time.Second, func() error {
				_, err := c.GetRelease(t.Context(), 1)
				return err
			})
			if err == nil || !strings.Contains(err.Error(), "total deadline") {
				t.Fatalf("err = %v, want one naming the total deadline", err)
			}
		})
	}
	t.Run("the answer to an upload", func(t *testing.T) {
		t.Parallel()
		d := startDribbler(t, "body")
		c := boundsClient(t, d.url(), Options{Timeouts: Timeouts{Transfer: time.Second, Total: time.Second}})
		u := uploadFile(t, "bytes of the asset")
		rel := &publish.Release{ID: 1, UploadURL: d.url() + "/repos/o/r/releases/1/assets{?name,label}"}
		err := within(t, 8*time.Second, func() error {
			_, err := c.UploadAsset(t.Context(), rel, u)
			return err
		})
		if err == nil || !strings.Contains(err.Error(), "total deadline") {
			t.Fatalf("err = %v, want one naming the total deadline", err)
		}
	})
}

// TestCrawlingUploadHitsTheTotalDeadline: a server that takes the upload a few
// bytes at a time, never idle long enough for the idle watchdog, is cut off
// when the upload falls behind the throughput floor.
func TestCrawlingUploadHitsTheTotalDeadline(t *testing.T) {
	t.Parallel()
	url := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet {
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, "[]")
			return
		}
		buf := make([]byte, 100)
		for {
			if _, err := r.Body.Read(buf); err != nil {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		w.WriteHeader(201)
	}))
	// 1 MiB at the floor of 1 MiB/s: the deadline is 1.5 s, the crawl 200 s. The
	// idle waits are long: the kernel's buffers may take the whole file at once.
	c := boundsClient(t, url, Options{Timeouts: Timeouts{Transfer: 500 * time.Millisecond, MinRate: 1 << 20, Total: time.Second,
		Idle: 10 * time.Second, UploadHeader: 10 * time.Second}})
	u := uploadFile(t, strings.Repeat("x", 1<<20))
	rel := &publish.Release{ID: 1, UploadURL: url + "/repos/o/r/releases/1/assets{?name,label}"}
	err := within(t, 8*time.Second, func() error {
		_, err := c.UploadAsset(t.Context(), rel, u)
		return err
	})
	if err == nil || !strings.Contains(err.Error(), "total deadline of 1.5s") {
		t.Fatalf("err = %v, want one naming the total deadline", err)
	}
}

// TestStalledBodyIsRetriedAFewTimes: a body that stops halfway used to be sent
// MaxAttempts times, each costing a full idle timeout.
func TestStalledBodyIsRetriedAFewTimes(t *testing.T) {
	t.Parallel()
	var gets atomic.Int32
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gets.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(200)
		io.WriteString(w, `{"id":1,`)
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	}))
	p := retry.Default()
	p.BaseDelay, p.MaxDelay = time.Millisecond, time.Millisecond
	c := boundsClient(t, srv, Options{Policy: &p, Timeouts: Timeouts{Idle: 100 * time.Millisecond}})
	err := within(t, 8*time.Second, func() error {
		_, err := c.GetRelease(t.Context(), 1)
		return err
	})
	if err == nil {
		t.Fatal("a stalled answer was taken")
	}
	if n := gets.Load(); n > 3 {
		t.Fatalf("a stalled answer was asked for %d times, want at most 3", n)
	}
}

// newServer runs h on loopback until the test ends and returns its URL.
func newServer(t *testing.T, h http.Handler) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: h}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return "http://" + ln.Addr().String()
}

// bomb is a gzip stream that expands to n bytes of a JSON value that never ends.
func bomb(n int) []byte {
	var b bytes.Buffer
	z, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	io.WriteString(z, `{"id":1,"name":"`)
	chunk := bytes.Repeat([]byte("a"), 1<<20)
	for i := 0; i < n>>20; i++ {
		z.Write(chunk)
	}
	z.Close()
	return b.Bytes()
}

var (
	bombOnce  sync.Once
	bombBytes []byte
)

func bombServer(t *testing.T) string {
	t.Helper()
	bombOnce.Do(func() { bombBytes = bomb(64 << 20) })
	return newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Encoding", "gzip")
		code := 200
		if r.Method == http.MethodPost {
			code = 201
		}
		if strings.Contains(r.URL.Path, "/fail/") {
			code = 422
		}
		w.WriteHeader(code)
		w.Write(bombBytes)
	}))
}

// TestGzipBombsAreCappedInMemory sends several requests at once, each answered
// with a gzip stream that expands to 64 MiB, four times the cap of 16 MiB set
// here; the heap must stay far below the sum of their caps. Not parallel: it
// measures the heap.
func TestGzipBombsAreCappedInMemory(t *testing.T) {
	gzipBombs(t, 0)
}

// gzipBombs runs the bomb test with the given Options.AnswerMemory (0: the
// default, one slot; 8<<24 gives each request its own, as before the slots).
func gzipBombs(t *testing.T, answerMemory int64) {
	url := bombServer(t)
	const cap = 16 << 20
	c := boundsClient(t, url, Options{Timeouts: Timeouts{Header: 20 * time.Second}, MaxAnswer: cap, AnswerMemory: answerMemory})
	const inFlight = 8
	// Collect often, so that the heap measured is close to what is live.
	defer debug.SetGCPercent(debug.SetGCPercent(20))
	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	var peak atomic.Uint64
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		var m runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-time.After(2 * time.Millisecond):
			}
			runtime.ReadMemStats(&m)
			if m.HeapAlloc > peak.Load() {
				peak.Store(m.HeapAlloc)
			}
		}
	}()
	errs := make([]error, inFlight)
	var wg sync.WaitGroup
	for i := range inFlight {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = c.GetRelease(t.Context(), int64(i))
		}()
	}
	wg.Wait()
	close(stop)
	<-sampled
	grew := int64(peak.Load()) - int64(base.HeapAlloc)
	t.Logf("peak heap growth with %d gzip bombs in flight: %d MiB", inFlight, grew>>20)
	for _, err := range errs {
		if err == nil || !strings.Contains(err.Error(), "cap") {
			t.Errorf("err = %v, want one saying the answer passed the cap", err)
		}
	}
	// One slot of the cap (one and a half while its buffer grows) and 256 KiB a
	// request; without the slots, each of the eight held its own.
	if grew > 3*cap {
		t.Errorf("peak heap grew by %d MiB, want at most %d MiB", grew>>20, 3*cap>>20)
	}
}

// TestEndlessDownloadStopsAtTheAssetSize: the download of an asset whose size is
// known ends with an error as soon as the answer passes that size.
func TestEndlessDownloadStopsAtTheAssetSize(t *testing.T) {
	t.Parallel()
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/octet-stream")
		w.WriteHeader(200)
		buf := bytes.Repeat([]byte("x"), 32<<10)
		for r.Context().Err() == nil {
			if _, err := w.Write(buf); err != nil {
				return
			}
		}
	}))
	c := boundsClient(t, srv, Options{})
	err := within(t, 8*time.Second, func() error {
		rc, err := c.DownloadAsset(t.Context(), 5, 1000)
		if err != nil {
			return err
		}
		defer rc.Close()
		_, err = io.Copy(io.Discard, rc)
		return err
	})
	if err == nil || !strings.Contains(err.Error(), "longer") {
		t.Fatalf("err = %v, want one saying the answer is longer than the asset", err)
	}
}

// TestUploadRefusesALinkSwappedInAfterTheMatch: the file matched is replaced by
// a symbolic link to a file outside the working directory before the upload.
func TestUploadRefusesALinkSwappedInAfterTheMatch(t *testing.T) {
	t.Parallel()
	s := &stub{}
	c, rel, u := newStubClient(t, s)
	secret := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(secret, bytes.Repeat([]byte("S"), int(u.Size)), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(u.Path); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(secret, u.Path); err != nil {
		t.Fatal(err)
	}
	_, err := c.UploadAsset(t.Context(), rel, u)
	if err == nil {
		t.Fatal("the link's target was uploaded")
	}
	if len(s.assets) != 0 {
		t.Fatalf("stored %d assets", len(s.assets))
	}
}

// TestRetryBudgetIsSharedByTheRun: once the run has lost its budget to
// retrying, requests fail at their first failure, saying why.
func TestRetryBudgetIsSharedByTheRun(t *testing.T) {
	t.Parallel()
	var sent atomic.Int32
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sent.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(502)
		io.WriteString(w, `{"message":"Server Error"}`)
	}))
	p := retry.Default()
	p.MaxAttempts, p.BaseDelay, p.MaxDelay = 1000, 10*time.Millisecond, 10*time.Millisecond
	c := boundsClient(t, srv, Options{Policy: &p, Budget: retry.NewTimeBudget(200 * time.Millisecond)})
	within(t, 8*time.Second, func() error { _, err := c.GetRelease(t.Context(), 1); return err })
	first := sent.Load()
	if first >= 1000 || first < 2 {
		t.Fatalf("the first request was sent %d times", first)
	}
	_, err := c.GetRelease(t.Context(), 2)
	if err == nil || !strings.Contains(err.Error(), "retry budget") {
		t.Fatalf("err = %v, want one saying the retry budget is spent", err)
	}
	if n := sent.Load() - first; n != 1 {
		t.Fatalf("after the budget was spent a request was sent %d times, want once", n)
	}
}

// partialServer stores an unfinished ("starter") asset for every upload and
// answers 502, like GitHub when its storage fails mid-upload. Its clock (the
// Date header and created_at) runs skew ahead of this machine's.
type partialServer struct {
	mu      sync.Mutex
	skew    time.Duration
	store   bool // uploads leave a starter
	assets  []map[string]any
	deleted []int64
	nextID  int64
}

func (s *partialServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now().Add(s.skew)
	w.Header().Set("Date", now.UTC().Format(http.TimeFormat))
	w.Header().Set("Content-Type", "application/json")
	switch {
	case r.Method == http.MethodPost:
		io.Copy(io.Discard, r.Body)
		if s.store {
			s.nextID++
			s.assets = append(s.assets, map[string]any{"id": 500 + s.nextID, "name": r.URL.Query().Get("name"), "state": "starter", "size": 0,
				"created_at": now.UTC().Format(time.RFC3339)})
		}
		w.WriteHeader(502)
		io.WriteString(w, `{"message":"Server Error"}`)
	case r.Method == http.MethodGet:
		json.NewEncoder(w).Encode(s.assets)
	case r.Method == http.MethodDelete:
		var id int64
		fmt.Sscanf(r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:], "%d", &id)
		s.deleted = append(s.deleted, id)
		s.assets = slices.DeleteFunc(s.assets, func(a map[string]any) bool { return a["id"] == float64(id) || a["id"] == id })
		w.WriteHeader(204)
	}
}

func (s *partialServer) left() []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.assets)
}

func TestFailedUploadRemovesOnlyWhatItCreated(t *testing.T) {
	t.Parallel()
	for _, skew := range []time.Duration{0, time.Hour, -time.Hour} {
		t.Run(fmt.Sprintf("its own starter, server clock off by %s", skew), func(t *testing.T) {
			t.Parallel()
			s := &partialServer{skew: skew, store: true}
			url := newServer(t, s)
			c := boundsClient(t, url, Options{})
			rel := &publish.Release{ID: 1, UploadURL: url + "/repos/o/r/releases/1/assets{?name,label}"}
			_, err := c.UploadAsset(t.Context(), rel, uploadFile(t, "content"))
			if err == nil {
				t.Fatal("the upload succeeded")
			}
			if left := s.left(); len(left) != 0 {
				t.Fatalf("the failed upload left %v", left)
			}
			if len(s.deleted) != 2 {
				t.Fatalf("deleted %v, want the starters of both attempts", s.deleted)
			}
		})
	}
	t.Run("an older unfinished asset of the name is not ours", func(t *testing.T) {
		t.Parallel()
		s := &partialServer{}
		s.assets = []map[string]any{{"id": 9, "name": "app.zip", "state": "starter", "size": 0,
			"created_at": time.Now().Add(-time.Minute).UTC().Format(time.RFC3339)}}
		url := newServer(t, s)
		c := boundsClient(t, url, Options{})
		rel := &publish.Release{ID: 1, UploadURL: url + "/repos/o/r/releases/1/assets{?name,label}"}
		_, err := c.UploadAsset(t.Context(), rel, uploadFile(t, "content"))
		if err == nil || !strings.Contains(err.Error(), "not this run's to delete") {
			t.Fatalf("err = %v, want one saying the older asset is not this run's", err)
		}
		if len(s.deleted) != 0 {
			t.Fatalf("deleted %v, another run's asset", s.deleted)
		}
	})
}

// TestSizedDownload: the reader of an asset download gives exactly the asset's
// bytes, and fails on an answer that is longer (announced, sent, or expanded
// from gzip) or shorter.
func TestSizedDownload(t *testing.T) {
	t.Parallel()
	const asset = "the asset's bytes"
	for _, tc := range []struct {
		name   string
		answer func(w http.ResponseWriter)
		want   string // "" for success
	}{
		{"exact", func(w http.ResponseWriter) { io.WriteString(w, asset) }, ""},
		{"announced longer", func(w http.ResponseWriter) {
			w.Header().Set("Content-Length", "1000")
			io.WriteString(w, asset)
		}, "announces 1000 bytes"},
		{"shorter", func(w http.ResponseWriter) {
			w.Header().Set("Transfer-Encoding", "chunked")
			io.WriteString(w, asset[:5])
		}, "sent 5 bytes"},
		{"longer", func(w http.ResponseWriter) {
			w.(http.Flusher).Flush()
			io.WriteString(w, asset+"and more")
		}, "longer than the asset's"},
		{"gzip that expands past the size", func(w http.ResponseWriter) {
			w.Header().Set("Content-Encoding", "gzip")
			bombOnce.Do(func() { bombBytes = bomb(64 << 20) })
			w.Write(bombBytes)
		}, "longer than the asset's"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			url := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/octet-stream")
				tc.answer(w)
			}))
			c := boundsClient(t, url, Options{})
			var got []byte
			err := within(t, 8*time.Second, func() error {
				rc, err := c.DownloadAsset(t.Context(), 5, int64(len(asset)))
				if err != nil {
					return err
				}
				defer rc.Close()
				got, err = io.ReadAll(rc)
				return err
			})
			switch {
			case tc.want == "" && (err != nil || string(got) != asset):
				t.Fatalf("download = %q, %v", got, err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("err = %v, want %q", err, tc.want)
			case len(got) > len(asset):
				t.Fatalf("read %d bytes of a %d-byte asset", len(got), len(asset))
			}
		})
	}
}

// TestHugeHeadersAreRefused: an answer's headers are capped at 1 MiB.
func TestHugeHeadersAreRefused(t *testing.T) {
	t.Parallel()
	url := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for i := range 4 {
			w.Header().Set(fmt.Sprintf("X-Pad-%d", i), strings.Repeat("a", 512<<10))
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"id":1}`)
	}))
	c := boundsClient(t, url, Options{})
	_, err := c.GetRelease(t.Context(), 1)
	if err == nil || !strings.Contains(err.Error(), "header") {
		t.Fatalf("err = %v, want the headers refused", err)
	}
}

// TestErrorAnswerBombIsCapped: an error answer that expands without end is read
// up to its cap, and the error says so.
func TestErrorAnswerBombIsCapped(t *testing.T) {
	t.Parallel()
	url := bombServer(t)
	c := boundsClient(t, url, Options{Timeouts: Timeouts{Header: 20 * time.Second}})
	_, err := c.call(t.Context(), http.MethodGet, c.repoPath("fail/1"), nil, nil)
	if err == nil || !strings.Contains(err.Error(), "error answer passed the cap") {
		t.Fatalf("err = %v, want one saying the error answer passed the cap", err)
	}
}

// matchedUpload is an upload of a file matched by internal/assets, as the
// executor builds it.
func matchedUpload(t *testing.T, root, pattern string) publish.UploadRequest {
	t.Helper()
	m, err := assets.MatchAll(root, []assets.Pattern{{Glob: pattern}}, assets.Options{FailOnUnmatched: true})
	files := m.Files
	if err != nil || len(files) != 1 {
		t.Fatalf("Match = %v, %v", files, err)
	}
	f := files[0]
	return publish.UploadRequest{Path: f.Path, Name: f.StoredName, Size: f.Size, ContentType: f.ContentType, Identity: f.Identity}
}

// TestUploadSendsOnlyTheFileMatched: whatever is swapped in after the match, at
// the file's name or at a directory on its path, the upload refuses anything
// but the file matched, before a byte is sent; a link the match allowed is
// followed while it still leads to the same file.
func TestUploadSendsOnlyTheFileMatched(t *testing.T) {
	t.Parallel()
	write := func(t *testing.T, path, content string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	const content = "the built artefact"
	outside := func(t *testing.T) string {
		p := filepath.Join(t.TempDir(), "secret", "app.zip")
		write(t, p, strings.Repeat("S", len(content)))
		return p
	}
	for _, tc := range []struct {
		name    string
		pattern string
		setup   func(t *testing.T, root string) // before the match
		swap    func(t *testing.T, root string) // after it
		want    string                          // "" for an upload of content
	}{
		{"unchanged", "dist/app.zip", nil, nil, ""},
		{"file replaced by a link", "dist/app.zip", nil, func(t *testing.T, root string) {
			p := filepath.Join(root, "dist", "app.zip")
			os.Remove(p)
			if err := os.Symlink(outside(t), p); err != nil {
				t.Fatal(err)
			}
		}, "is now a symbolic link"},
		{"file replaced by another of the same size", "dist/app.zip", nil, func(t *testing.T, root string) {
			p := filepath.Join(root, "dist", "app.zip")
			os.Rename(p, p+".old")
			write(t, p, strings.Repeat("X", len(content)))
		}, "no longer the file that was matched"},
		{"directory replaced by a link", "dist/app.zip", nil, func(t *testing.T, root string) {
			d := filepath.Join(root, "dist")
			os.Rename(d, d+".old")
			if err := os.Symlink(filepath.Dir(outside(t)), d); err != nil {
				t.Fatal(err)
			}
		}, "no longer the file that was matched"},
		{"a matched link, unchanged", "dist/link.zip", func(t *testing.T, root string) {
			os.Symlink("app.zip", filepath.Join(root, "dist", "link.zip"))
		}, nil, ""},
		{"a matched link, pointed elsewhere", "dist/link.zip", func(t *testing.T, root string) {
			os.Symlink("app.zip", filepath.Join(root, "dist", "link.zip"))
		}, func(t *testing.T, root string) {
			p := filepath.Join(root, "dist", "link.zip")
			os.Remove(p)
			os.Symlink(outside(t), p)
		}, "no longer the file that was matched"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			root := t.TempDir()
			write(t, filepath.Join(root, "dist", "app.zip"), content)
			if tc.setup != nil {
				tc.setup(t, root)
			}
			u := matchedUpload(t, root, tc.pattern)
			if tc.swap != nil {
				tc.swap(t, root)
			}
			s := &stub{}
			c, rel, _ := newStubClient(t, s)
			_, err := c.UploadAsset(t.Context(), rel, u)
			switch {
			case tc.want == "" && err != nil:
				t.Fatal(err)
			case tc.want == "" && (len(s.assets) != 1 || s.assets[0].Size != int64(len(content))):
				t.Fatalf("stored %+v", s.assets)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("err = %v, want %q", err, tc.want)
			case tc.want != "" && len(s.calls) != 0:
				t.Fatalf("sent %v", s.calls)
			}
		})
	}
}
