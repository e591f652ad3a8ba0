package ghclient

import (
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/releasekit/release-action/internal/hostile"
	"github.com/releasekit/release-action/internal/publish"
)

func tagFields(tag string) publish.ReleaseFields {
	return publish.ReleaseFields{TagName: &tag, Draft: new(bool)}
}

// TestCreateIsNeverSentTwiceBlindly: a create whose answer is lost is sent once
// and reported as possibly landed; requests that change nothing when repeated,
// and failures where GitHub surely did nothing, keep their retries.
func TestCreateIsNeverSentTwiceBlindly(t *testing.T) {
	t.Parallel()
	t.Run("dropped after the write", func(t *testing.T) {
		t.Parallel()
		srv := hostile.Start(t, hostile.Config{Mode: hostile.LostAnswer, Times: 1})
		c, logged := hostileClient(t, srv)
		_, err := c.CreateRelease(t.Context(), tagFields("v1"))
		if !errors.Is(err, publish.ErrAnswerLost) {
			t.Fatalf("err = %v, want ErrAnswerLost", err)
		}
		if w := srv.Writes(); len(w) != 1 || len(*logged) != 0 {
			t.Fatalf("writes %v, retries %v; want the create sent once", w, *logged)
		}
	})
	for _, tc := range []struct {
		name   string
		status int
		body   string
	}{
		{http.StatusText(500), 500, `{"message":"upstream"}`},
		{http.StatusText(502), 502, `{"message":"upstream"}`},
		{http.StatusText(503), 503, `{"message":"upstream"}`},
		{"unreadable success body", http.StatusCreated, `{"id":7,"tag_na`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var posts atomic.Int32
			api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				posts.Add(1)
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(tc.status)
				w.Write([]byte(tc.body))
			}))
			t.Cleanup(api.Close)
			c, _ := hostileClient(t, &hostile.Server{URL: api.URL, Upload: api.URL})
			_, err := c.CreateRelease(t.Context(), tagFields("v1"))
			if !errors.Is(err, publish.ErrAnswerLost) || posts.Load() != 1 {
				t.Fatalf("err = %v after %d sends, want ErrAnswerLost after one", err, posts.Load())
			}
		})
	}
	t.Run("stalled success body", func(t *testing.T) {
		t.Parallel()
		var posts atomic.Int32
		api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			posts.Add(1)
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusCreated)
			w.Write([]byte(`{"id":7,`))
			w.(http.Flusher).Flush()
			<-r.Context().Done()
		}))
		t.Cleanup(api.Close)
		c, _ := hostileClient(t, &hostile.Server{URL: api.URL, Upload: api.URL})
		_, err := c.CreateRelease(t.Context(), tagFields("v1"))
		var se *StallError
		if !errors.Is(err, publish.ErrAnswerLost) || !errors.As(err, &se) || posts.Load() != 1 {
			t.Fatalf("err = %v after %d sends, want a lost answer after one", err, posts.Load())
		}
	})
	t.Run("rate limit is retried", func(t *testing.T) {
		t.Parallel()
		var posts atomic.Int32
		api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			if posts.Add(1) == 1 {
				w.Header().Set("Retry-After", "0")
				w.WriteHeader(http.StatusTooManyRequests)
				w.Write([]byte(`{"message":"slow down"}`))
				return
			}
			w.WriteHeader(http.StatusCreated)
			w.Write([]byte(`{"id":7,"tag_name":"v1","draft":false}`))
		}))
		t.Cleanup(api.Close)
		c, _ := hostileClient(t, &hostile.Server{URL: api.URL, Upload: api.URL})
		rel, err := c.CreateRelease(t.Context(), tagFields("v1"))
		if err != nil || rel.ID != 7 || posts.Load() != 2 {
			t.Fatalf("rel %+v, err %v after %d sends; a 429 means nothing was done and is retried", rel, err, posts.Load())
		}
	})
	t.Run("refused connection did not land", func(t *testing.T) {
		t.Parallel()
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		url := "http://" + l.Addr().String()
		l.Close()
		c, _ := hostileClient(t, &hostile.Server{URL: url, Upload: url})
		_, err = c.CreateRelease(t.Context(), tagFields("v1"))
		if err == nil || errors.Is(err, publish.ErrAnswerLost) {
			t.Fatalf("err = %v, want a plain failure: nothing can have landed", err)
		}
	})
	t.Run("generated notes are asked again", func(t *testing.T) {
		t.Parallel()
		srv := hostile.Start(t, hostile.Config{Mode: hostile.LostAnswer, Times: 1})
		c, _ := hostileClient(t, srv)
		if _, err := c.GenerateNotes(t.Context(), publish.NotesRequest{TagName: "v1"}); err != nil {
			t.Fatal(err)
		}
		if w := srv.Writes(); len(w) != 2 {
			t.Fatalf("writes %v, want the request sent again", w)
		}
	})
}

// TestUploadWhoseAnswerWasLost: the upload landed, its answer did not; the
// asset on the release is recognised as this upload's by its content (GitHub
// reports no digest here, so it is downloaded and hashed), and nothing is sent
// twice or blamed on another run.
func TestUploadWhoseAnswerWasLost(t *testing.T) {
	t.Parallel()
	srv := hostile.Start(t, hostile.Config{Mode: hostile.LostAnswer, Times: 1})
	c, _ := hostileClient(t, srv)
	a, err := c.UploadAsset(t.Context(), &publish.Release{ID: 1}, uploadFile(t, "asset bytes"))
	if err != nil {
		t.Fatal(err)
	}
	if w := srv.Writes(); len(w) != 1 || a.Name != "app.zip" {
		t.Fatalf("writes %v, asset %+v; want one upload, adopted", w, a)
	}
	// Other content under the name is not this upload's, and not said to be another run's.
	srv = hostile.Start(t, hostile.Config{Mode: hostile.LostAnswer, Times: 1})
	c, _ = hostileClient(t, srv)
	_, err = c.UploadAsset(t.Context(), &publish.Release{ID: 1}, uploadFile(t, "other bytes"))
	if err == nil || !strings.Contains(err.Error(), "other content") || strings.Contains(err.Error(), "another run") {
		t.Fatalf("err = %v, want other content named", err)
	}
}
