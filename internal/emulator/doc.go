// Package emulator is an in-process fake of GitHub's REST API for releases and
// release assets, for tests, benchmarks and local demos.
//
// A Server is an http.Handler: mount it on httptest.NewServer (loopback only) and
// point a real client at it. It follows GitHub's documentation and the platform
// behaviour the documentation leaves out: drafts are invisible to get-by-tag,
// several drafts may share a tag, uploaded names are rewritten from a table of
// names GitHub was observed to store (names.go), a broken upload leaves a
// "starter" asset that blocks its name, immutable releases refuse asset changes,
// a tag an immutable release used takes a draft and uploads but refuses the
// publish (immutability.go also serves the repository's setting), and faults (5xx, dropped connections, answers lost after the write, rate
// limits) can be injected per route.
//
// Files: routes.go is the route table (net/http ServeMux patterns); server.go
// takes every request through faults, credentials and the request log;
// releases.go and assets.go answer the endpoints; state.go is the model; seed.go
// puts things in place for a test and inspect.go reads them back; faults.go
// injects failures. git.go models the commits, branches and tags behind each
// repository (Server.Git), served by git_handlers.go; publishing a release
// makes its tag there, as GitHub does. sigstore*.go, oidc.go and attestations.go
// model what an attested run talks to besides the REST API: the runner's OIDC
// token service, a Fulcio and a timestamp authority on keys made at start, the
// attestations API, and the release attestation GitHub makes for an immutable
// release (Server.TrustedRootJSON and SigningConfigJSON for clients and verifiers).
//
// URL layout, for a server reached at http://HOST:
//
//	DotCom: API http://HOST/repos/...          uploads http://HOST/uploads/repos/...
//	GHES:   API http://HOST/api/v3/repos/...   uploads http://HOST/api/uploads/repos/...
//	both:   browser downloads http://HOST/OWNER/REPO/releases/download/TAG/NAME
//
// The program treats HOST like any server (internal/inputs derives no special
// upload URL for loopback): in the DotCom layout it uploads to the upload_url
// each release carries, as on github.com, and trusts it because it is on the
// API's origin; in the GHES layout the upload URL it derives from the API URL
// is the one served.
//
// Things a client sees that a simpler fake would hide: an upload's asset exists in
// state "starter" (blocking its name) from the moment its body starts to arrive, so
// a concurrent list shows uploads in flight as starters; a read-only token gets 403
// on every write; the rate-limit headers count requests but never run out unless a
// fault says so. Faults are matched when a request arrives, before authentication
// and validation, so a faulted request is spent even if it would have failed anyway.
//
// https://docs.github.com/en/rest/releases
package emulator
