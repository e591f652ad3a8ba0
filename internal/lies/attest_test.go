package lies_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/releasekit/release-action/internal/actiontest"
	"github.com/releasekit/release-action/internal/attest"
	"github.com/releasekit/release-action/internal/emulator"
)

// sigstoreLie rewrites the answers of one of the services an attested run
// talks to besides the releases API: the token service, Fulcio, the timestamp
// authority, GitHub's attestations API. What it does is drawn from a seed.
type sigstoreLie struct {
	path  string // a path suffix the lie applies to
	kind  string // flip, truncate, empty, status, foreign
	at    int    // which byte (flip), or where to cut (truncate)
	nth   int    // 0: every answer; n: the n-th only
	other *emulator.Server
	mu    sync.Mutex
	seen  int
}

var sigstorePaths = []string{"/_services/token", "/_sigstore/fulcio/api/v2/signingCert", "/_sigstore/tsa/api/v1/timestamp", "/attestations"}

func drawSigstoreLie(seed uint64, other *emulator.Server) *sigstoreLie {
	rng := rand.New(rand.NewPCG(seed, seed^0xa5a5a5a5))
	l := &sigstoreLie{
		path:  sigstorePaths[rng.IntN(len(sigstorePaths))],
		kind:  []string{"flip", "truncate", "empty", "status", "foreign"}[rng.IntN(5)],
		at:    rng.IntN(4096),
		nth:   rng.IntN(3),
		other: other,
	}
	return l
}

func (l *sigstoreLie) String() string {
	return fmt.Sprintf("%s on %s (answer %d, at %d)", l.kind, l.path, l.nth, l.at)
}

// wrap puts the lie in front of next.
func (l *sigstoreLie) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasSuffix(r.URL.Path, l.path) || (l.path == "/attestations" && r.Method != http.MethodPost) {
			next.ServeHTTP(w, r)
			return
		}
		l.mu.Lock()
		l.seen++
		n := l.seen
		l.mu.Unlock()
		if l.nth != 0 && n != l.nth {
			next.ServeHTTP(w, r)
			return
		}
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		var target http.Handler = next
		if l.kind == "foreign" {
			// The same question answered by another Sigstore: a valid
			// timestamp from an authority no one trusts, a certificate
			// for the run's own key and workflow from another CA (its
			// Fulcio is shown a token its own issuer signed), a token the
			// other issuer signed.
			target = l.other
			if strings.HasSuffix(l.path, "signingCert") {
				if tok, err := l.other.IDToken("sigstore", time.Now()); err == nil {
					r.Header.Set("Authorization", "Bearer "+tok)
				}
			}
		}
		rec := httptest.NewRecorder()
		target.ServeHTTP(rec, r)
		out := rec.Body.Bytes()
		status := rec.Code
		switch l.kind {
		case "flip":
			if len(out) > 0 {
				out[l.at%len(out)] ^= 0x20
			}
		case "truncate":
			out = out[:l.at%(len(out)+1)]
		case "empty":
			out = nil
		case "status":
			status = []int{200, 201, 404, 409}[l.at%4]
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.Header().Del("Content-Length")
		w.WriteHeader(status)
		w.Write(out)
	})
}

// TestLiesOfTheSigningServices: whatever one of the signing services or the
// attestations API answers, a run that exits 0 has published every file with
// a bundle beside it that sigstore-go verifies, against the honest trusted
// root, for the file's bytes and this workflow; a run that fails says why and
// leaves no published release. With no trusted_root (odd seeds) the action
// cannot tell another Sigstore's certificate from the right one, so there the
// promise is that each bundle names the file's digest and this repository.
func TestLiesOfTheSigningServices(t *testing.T) {
	t.Parallel()
	var st stats
	st.report(t)
	for _, seed := range seeds(t, 300001, 60) {
		t.Run("seed="+strconv.FormatUint(seed, 10), func(t *testing.T) {
			t.Parallel()
			other := emulator.New(emulator.Options{Token: actiontest.Token, Workflow: emulator.Workflow{RequestToken: emulator.DefaultRequestToken}})
			other.AddRepo(actiontest.Repo, false)
			lie := drawSigstoreLie(seed, other)
			h := actiontest.New(t, actiontest.Config{Wrap: lie.wrap, Timeouts: shortTimeouts})
			h.Write("dist/a.txt", "alpha")
			h.Write("dist/b.txt", "beta")
			in := h.Attesting()
			in["tag"], in["files"] = tag, "dist/*"
			withRoot := seed%2 == 0
			if withRoot {
				in["trusted_root"] = h.TrustedRootFile()
			}
			res := h.Run(in)
			lie.mu.Lock()
			lied := lie.seen > 0
			lie.mu.Unlock()
			st.add(lied, res.Code == 0)
			var broken []string
			rels := h.ReleasesFor(tag)
			if res.Code != 0 {
				if errorLine(res.Stdout) == "" {
					broken = append(broken, "a failure without an ::error:: line")
				}
				for _, rel := range rels {
					if !rel.Draft {
						broken = append(broken, "a failed run left a published release")
					}
				}
			} else if len(rels) != 1 || rels[0].Draft {
				broken = append(broken, fmt.Sprintf("exit 0 with %d releases, want one published", len(rels)))
			} else {
				broken = append(broken, checkBundles(h, rels[0].ID, in, withRoot)...)
			}
			if len(broken) > 0 {
				t.Errorf("seed %d (replay: LIES_SEED=%d go test -run TestLiesOfTheSigningServices ./internal/lies): lie %s, trusted root %v, exit %d\nbroken:\n  %s\nlog:\n%s",
					seed, seed, lie, withRoot, res.Code, strings.Join(broken, "\n  "), res.Stdout)
			}
		})
	}
}

// checkBundles checks every file of the release for its bundle.
func checkBundles(h *actiontest.Harness, id int64, env map[string]string, withRoot bool) []string {
	var broken []string
	assets := map[string]string{}
	for name, v := range h.AssetContents(id) {
		_, content, _ := strings.Cut(v, ":")
		assets[name] = content
	}
	ident := attest.Identity{
		SANRegexp: "^" + regexp.QuoteMeta("https://github.com/"+env["GITHUB_WORKFLOW_REF"]) + "$",
		Issuer:    "https://token.actions.githubusercontent.com",
	}
	for _, name := range []string{"a.txt", "b.txt"} {
		content, ok := assets[name]
		if !ok {
			broken = append(broken, name+" is not on the release")
			continue
		}
		sum := sha256.Sum256([]byte(content))
		digest := hex.EncodeToString(sum[:])
		bundle, ok := assets[name+attest.BundleSuffix]
		if !ok {
			broken = append(broken, name+" was published without its bundle")
			continue
		}
		read, err := attest.ReadBundle([]byte(bundle))
		if err != nil || !read.Covers(actiontest.Repo, name, digest) {
			broken = append(broken, fmt.Sprintf("%s's bundle does not name it with its digest and this repository (%v)", name, err))
			continue
		}
		if withRoot {
			if _, err := attest.VerifyBundle(h.Emu.TrustedRoot(), []byte(bundle), ident, "sha256", digest); err != nil {
				broken = append(broken, fmt.Sprintf("%s's bundle does not verify against the trusted root: %v", name, err))
			}
		}
	}
	return broken
}
