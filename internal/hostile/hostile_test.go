package hostile

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// The modes the client tests rely on do what they say, seen by a plain client.
func TestModes(t *testing.T) {
	t.Parallel()
	t.Run("lost answer after the write", func(t *testing.T) {
		t.Parallel()
		s := Start(t, Config{Mode: LostAnswer, Times: 1})
		url := s.URL + "/repos/o/r/releases"
		if _, err := http.Post(url, "application/json", strings.NewReader(`{}`)); err == nil {
			t.Fatal("the first POST got an answer")
		}
		resp, err := http.Post(url, "application/json", strings.NewReader(`{}`))
		if err != nil || resp.StatusCode != http.StatusCreated {
			t.Fatalf("second POST: %v %v", resp, err)
		}
		resp.Body.Close()
		if got := s.Writes(); len(got) != 2 {
			t.Fatalf("writes %v, want both carried out", got)
		}
	})
	t.Run("recorder is another origin and notes the token", func(t *testing.T) {
		t.Parallel()
		s := Start(t, Config{})
		if s.Recorder.URL == s.URL {
			t.Fatal("the recorder shares the server's origin")
		}
		req, _ := http.NewRequest("GET", s.Recorder.URL+"/download/1", nil)
		req.Header.Set("Authorization", "Bearer leaked")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if got := s.Recorder.Authorizations(); len(got) != 1 || got[0] != "Bearer leaked" {
			t.Fatalf("recorded %v", got)
		}
	})
	t.Run("echo returns the token and commands", func(t *testing.T) {
		t.Parallel()
		s := Start(t, Config{Mode: Echo})
		req, _ := http.NewRequest("GET", s.URL+"/repos/o/r/releases", nil)
		req.Header.Set("Authorization", "Bearer tok-123")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 422 || !strings.Contains(string(b), "tok-123") || !strings.Contains(string(b), "##[") {
			t.Fatalf("echo answered %d %s", resp.StatusCode, b)
		}
	})
}
