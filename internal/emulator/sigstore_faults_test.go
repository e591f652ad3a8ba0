package emulator_test

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"io"
	"net/http"
	"testing"

	"github.com/digitorus/timestamp"

	"github.com/releasekit/release-action/internal/emulator"
)

// sigRequest is one valid request to a new route, and whether it writes.
type sigRequest struct {
	route  string
	method string
	url    string
	body   []byte
	header []string
	write  bool // its work can land with the answer lost
	ok     int  // the status when nothing is injected
}

// sigRequests builds a valid request for each route the attestation work adds.
func sigRequests(t *testing.T, e *env) []sigRequest {
	t.Helper()
	vars := e.emu.Workflow().Env(e.srv.URL)
	fulcioURL, tsaURL := e.services()
	tok := e.idToken("sigstore")

	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	der, _ := x509.MarshalPKIXPublicKey(&key.PublicKey)
	h := sha256.Sum256([]byte("repo:" + repo + ":ref:refs/tags/v1.0.0"))
	sig, _ := ecdsa.SignASN1(rand.Reader, key, h[:])
	fulcioBody, _ := json.Marshal(map[string]any{"publicKeyRequest": map[string]any{
		"publicKey":         map[string]string{"algorithm": "ECDSA", "content": string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))},
		"proofOfPossession": base64.StdEncoding.EncodeToString(sig),
	}})
	tsq, err := timestamp.CreateRequest(bytes.NewReader([]byte("a signature")), &timestamp.RequestOptions{Hash: crypto.SHA256})
	if err != nil {
		t.Fatal(err)
	}
	artifact := []byte("faulted")
	pb, err := e.signWith(statement("f.bin", artifact), tok)
	if err != nil {
		t.Fatal(err)
	}
	post, _ := json.Marshal(map[string]any{"bundle": bundleJSON(t, pb)})
	digest := "sha256:" + hex.EncodeToString(sum256(artifact))
	// One stored attestation, so that list and bundle_url have something to serve.
	e.do("POST", e.api("/repos/"+repo+"/attestations"), post).want(t, http.StatusCreated)
	return []sigRequest{
		{emulator.RouteIDToken, "GET", vars["ACTIONS_ID_TOKEN_REQUEST_URL"] + "&audience=sigstore", nil,
			[]string{"Authorization", "Bearer " + vars["ACTIONS_ID_TOKEN_REQUEST_TOKEN"]}, false, http.StatusOK},
		{emulator.RouteSigningCert, "POST", fulcioURL + "/api/v2/signingCert", fulcioBody,
			[]string{"Authorization", "Bearer " + tok, "Content-Type", "application/json"}, true, http.StatusOK},
		{emulator.RouteTimestamp, "POST", tsaURL, tsq, []string{"Content-Type", "application/timestamp-query", "Authorization", ""}, true, http.StatusCreated},
		{emulator.RouteCreateAttestation, "POST", e.api("/repos/" + repo + "/attestations"), post, nil, true, http.StatusCreated},
		{emulator.RouteListAttestations, "GET", e.api("/repos/" + repo + "/attestations/" + digest), nil, nil, false, http.StatusOK},
		{emulator.RouteAttestationBundle, "GET", e.srv.URL + "/_attestations/1", nil, []string{"Authorization", ""}, false, http.StatusOK},
	}
}

// send sends a request; status 0 means the connection dropped.
func send(t *testing.T, q sigRequest) int {
	t.Helper()
	req, err := http.NewRequest(q.method, q.url, bytes.NewReader(q.body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	for i := 0; i+1 < len(q.header); i += 2 {
		if q.header[i+1] == "" {
			req.Header.Del(q.header[i])
		} else {
			req.Header.Set(q.header[i], q.header[i+1])
		}
	}
	// A fresh connection each time: net/http replays an idempotent request
	// dropped on a reused connection, which would hide the drop.
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	res, err := client.Do(req)
	if err != nil {
		return 0
	}
	defer res.Body.Close()
	_, _ = io.Copy(io.Discard, res.Body)
	return res.StatusCode
}

// Every route the attestation work adds honours injected faults, as the
// release routes do: each kind, on each route, affects exactly the request
// it owns, and the next one is served.
func TestSigstoreRoutesHonourFaults(t *testing.T) {
	kinds := []struct {
		f    emulator.Fault
		want int // 0: dropped
	}{
		{emulator.Fault{Kind: emulator.FaultStatus, Status: http.StatusServiceUnavailable}, http.StatusServiceUnavailable},
		{emulator.Fault{Kind: emulator.FaultStatus, Status: http.StatusInternalServerError}, http.StatusInternalServerError},
		{emulator.Fault{Kind: emulator.FaultStarter}, http.StatusBadGateway},
		{emulator.Fault{Kind: emulator.FaultDrop}, 0},
		{emulator.Fault{Kind: emulator.FaultSecondaryLimit, RetryAfter: 1}, http.StatusForbidden},
		{emulator.Fault{Kind: emulator.FaultPrimaryLimit, Status: http.StatusTooManyRequests}, http.StatusTooManyRequests},
		{emulator.Fault{Kind: emulator.FaultLostAnswer}, 0},
	}
	e := sigEnv(t, emulator.Options{Token: token})
	for _, q := range sigRequests(t, e) {
		if got := send(t, q); got != q.ok {
			t.Fatalf("%s without a fault: status %d, want %d", q.route, got, q.ok)
		}
		for _, k := range kinds {
			f := k.f
			f.Route = q.route
			e.emu.Inject(f)
			stored := len(e.emu.Attestations(repo, "sha256:"+hex.EncodeToString(sum256([]byte("faulted")))))
			if got := send(t, q); got != k.want {
				t.Errorf("%s with %s: status %d, want %d", q.route, f.Kind, got, k.want)
			}
			if e.emu.PendingFaults() != 0 {
				t.Errorf("%s with %s: the fault is not spent", q.route, f.Kind)
			}
			if got := send(t, q); got != q.ok {
				t.Errorf("%s after %s: status %d, want %d", q.route, f.Kind, got, q.ok)
			}
			// A lost answer does the work; any other fault does none.
			grew := len(e.emu.Attestations(repo, "sha256:"+hex.EncodeToString(sum256([]byte("faulted"))))) - stored
			wantGrew := 0
			if q.route == emulator.RouteCreateAttestation {
				wantGrew = 1 // the retry
				if f.Kind == emulator.FaultLostAnswer {
					wantGrew = 2
				}
			}
			if grew != wantGrew {
				t.Errorf("%s with %s: %d attestations stored, want %d", q.route, f.Kind, grew, wantGrew)
			}
		}
	}
	counts := e.emu.Counts()
	for _, r := range []string{emulator.RouteIDToken, emulator.RouteSigningCert, emulator.RouteTimestamp,
		emulator.RouteCreateAttestation, emulator.RouteListAttestations, emulator.RouteAttestationBundle} {
		if counts[r] < 2*len(kinds) {
			t.Errorf("route %s logged %d times", r, counts[r])
		}
	}
}
