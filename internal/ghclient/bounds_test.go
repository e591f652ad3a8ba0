package ghclient

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

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
	bombOnce.Do(func() { bombBytes = bomb(512 << 20) })
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
// with a gzip stream that expands to 512 MiB; the run must stay far below the
// sum of their caps. Not parallel: it measures the heap.
func TestGzipBombsAreCappedInMemory(t *testing.T) {
	gzipBombs(t, 0)
}

// gzipBombs runs the bomb test with the given Options.AnswerMemory (0: the
// default, one slot; 8<<26 gives each request its own, as before the slots).
func gzipBombs(t *testing.T, answerMemory int64) {
	url := bombServer(t)
	c := boundsClient(t, url, Options{Timeouts: Timeouts{Header: 20 * time.Second}, AnswerMemory: answerMemory})
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
	// One slot of 64 MiB (96 MiB while its buffer grows) and 256 KiB a request.
	if grew > 160<<20 {
		t.Errorf("peak heap grew by %d MiB, want at most 160 MiB", grew>>20)
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
