package attest_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/releasekit/release-action/internal/attest"
	"github.com/releasekit/release-action/internal/emulator"
)

// TestPublicGoodShapeReachesTheLogThroughTheBounds: public repositories sign
// with Fulcio and the Rekor log (no timestamp authority). With the emulator's
// Fulcio and a log that fails, redirects or talks too much, the signing
// fails naming the log, and the log's client went through this package's
// transport (the redirect is refused, not followed).
func TestPublicGoodShapeReachesTheLogThroughTheBounds(t *testing.T) {
	t.Parallel()
	var written atomic.Int64 // bytes of the huge answer the client took
	emu := emulator.New(emulator.Options{Token: "t"})
	emu.AddRepo("octo/demo", false)
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	for name, answer := range map[string]http.HandlerFunc{
		"5xx": func(w http.ResponseWriter, _ *http.Request) { http.Error(w, "down", http.StatusServiceUnavailable) },
		"redirect": func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, srv.URL+"/elsewhere", http.StatusTemporaryRedirect)
		},
		// A valid JSON answer of 64 MiB: a decoder would take it all in;
		// the cap stops the read at 1 MiB and the connection closes.
		"huge": func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusCreated)
			written.Add(0)
			w.Write([]byte(`{"x":"`))
			chunk := []byte(strings.Repeat("a", 64<<10))
			for i := 0; i < 1024; i++ {
				n, err := w.Write(chunk)
				written.Add(int64(n))
				if err != nil {
					return
				}
			}
			w.Write([]byte(`"}`))
		},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var hits, followed atomic.Int32
			rekor := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/elsewhere" {
					followed.Add(1)
				}
				hits.Add(1)
				answer(w, r)
			}))
			t.Cleanup(rekor.Close)
			var sc map[string]any
			if err := json.Unmarshal(emu.SigningConfigJSON(srv.URL), &sc); err != nil {
				t.Fatal(err)
			}
			tsa := sc["tsaUrls"].([]any)[0].(map[string]any)
			delete(sc, "tsaUrls")
			sc["rekorTlogUrls"] = []any{map[string]any{"url": rekor.URL, "majorApiVersion": 1, "validFor": tsa["validFor"]}}
			path := filepath.Join(t.TempDir(), "signing_config.json")
			data, _ := json.Marshal(sc)
			if err := os.WriteFile(path, data, 0o644); err != nil {
				t.Fatal(err)
			}
			inst, err := attest.InstanceFromFile(path)
			if err != nil {
				t.Fatal(err)
			}
			env := emu.Workflow().Env(srv.URL)
			s := &attest.Signer{Instance: inst, Repository: "octo/demo", ServerURL: "https://github.com",
				Tokens: attest.TokenSource{URL: env["ACTIONS_ID_TOKEN_REQUEST_URL"], Bearer: env["ACTIONS_ID_TOKEN_REQUEST_TOKEN"]}}
			_, err = s.Sign(context.Background(), []attest.Subject{{Name: "a", SHA256: "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae"}})
			if !errors.Is(err, attest.ErrWitness) {
				t.Fatalf("err = %v, want the transparency log named", err)
			}
			if hits.Load() == 0 {
				t.Fatal("the log was never asked")
			}
			if followed.Load() != 0 {
				t.Fatal("the log's redirect was followed")
			}
			if n := written.Load(); n > 16<<20 {
				t.Fatalf("the client read %d bytes of the log's answer; the cap is 1 MiB", n)
			}
		})
	}
}
