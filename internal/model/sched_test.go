package model

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/releasekit/release-action/internal/emulator"
)

// TestSchedulerHoldsEachRequest: through emulator.Options.Hold, a request of
// a known run waits until the scheduler lets it through, and requests are
// answered in the order chosen, not the order they came in.
func TestSchedulerHoldsEachRequest(t *testing.T) {
	s := newScheduler()
	emu := emulator.New(emulator.Options{Hold: s.hold})
	emu.AddRepo(Repo, false)
	srv := httptest.NewServer(emu)
	defer srv.Close()
	defer s.drain()
	s.addRun(0, "ghs_model_token_zero")
	s.addRun(1, "ghs_model_token_one")
	send := func(token, path string) chan int {
		done := make(chan int, 1)
		go func() {
			req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
			req.Header.Set("Authorization", "Bearer "+token)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				done <- 0
				return
			}
			resp.Body.Close()
			done <- resp.StatusCode
		}()
		return done
	}
	first := send("ghs_model_token_zero", "/repos/octo/demo/releases")
	second := send("ghs_model_token_one", "/repos/octo/demo/releases/latest")
	enabled, err := s.quiet(5 * time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if len(enabled) != 2 || enabled[0].Route != emulator.RouteListReleases || enabled[1].Route != emulator.RouteGetLatest {
		t.Fatalf("held %v, want run 0's list and run 1's latest", enabled)
	}
	if n := len(emu.Requests()); n != 0 {
		t.Fatalf("%d requests answered before any was let through", n)
	}
	if err := s.let(1, 5*time.Second, nil); err != nil {
		t.Fatal(err)
	}
	if got := <-second; got != http.StatusNotFound {
		t.Fatalf("latest answered %d, want 404", got)
	}
	select {
	case <-first:
		t.Fatal("run 0's request was answered while held")
	case <-time.After(50 * time.Millisecond):
	}
	if err := s.let(0, 5*time.Second, nil); err != nil {
		t.Fatal(err)
	}
	if got := <-first; got != http.StatusOK {
		t.Fatalf("list answered %d, want 200", got)
	}
	log := emu.Requests()
	if len(log) != 2 || log[0].Route != emulator.RouteGetLatest || log[1].Route != emulator.RouteListReleases {
		t.Fatalf("answered in the order %v, want latest then list", log)
	}
}

// TestSchedulerNamesWhatItWaitsFor: a run that sends nothing fails the wait
// with its number, and a request with no run's token is reported, not held.
func TestSchedulerNamesWhatItWaitsFor(t *testing.T) {
	s := newScheduler()
	s.addRun(0, "ghs_model_token_zero")
	_, err := s.quiet(20 * time.Millisecond)
	if err == nil || !strings.Contains(err.Error(), "run(s) [0] neither sent another request nor exited") {
		t.Fatalf("quiet with a silent run: %v", err)
	}
	emu := emulator.New(emulator.Options{Hold: s.hold})
	emu.AddRepo(Repo, false)
	srv := httptest.NewServer(emu)
	defer srv.Close()
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/repos/octo/demo/releases", nil)
	req.Header.Set("Authorization", "Bearer not-a-run")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	_, err = s.quiet(time.Second)
	if err == nil || !strings.Contains(err.Error(), "without any run's token") || strings.Contains(err.Error(), "not-a-run") {
		t.Fatalf("quiet after a stray request: %v", err)
	}
}
