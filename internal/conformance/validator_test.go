package conformance

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/releasekit/release-action/internal/emulator"
)

// send passes one request through a validator in front of next and returns the
// answer.
func send(t *testing.T, v *Validator, method, target, contentType string, body io.Reader, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, target, body)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("Authorization", "Bearer "+testToken)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	v.ServeHTTP(w, req)
	return w
}

// expectViolation fails unless exactly one violation was recorded, of the phase,
// and its message holds every one of want.
func expectViolation(t *testing.T, v *Validator, phase string, want ...string) {
	t.Helper()
	vs := v.Violations()
	if len(vs) != 1 {
		t.Fatalf("%d violations, want exactly 1 (%s, %q):\n%s", len(vs), phase, want, Report(vs))
	}
	if vs[0].Phase != phase {
		t.Fatalf("violation in the %s, want the %s: %s", vs[0].Phase, phase, vs[0])
	}
	for _, w := range want {
		if !strings.Contains(vs[0].String(), w) {
			t.Fatalf("violation %q does not mention %q", vs[0], w)
		}
	}
}

func expectNone(t *testing.T, v *Validator) {
	t.Helper()
	if vs := v.Violations(); len(vs) > 0 {
		t.Fatalf("unexpected violations:\n%s", Report(vs))
	}
}

func emulatorBehind(t *testing.T, desc string, layout emulator.Layout) (*Validator, *emulator.Server) {
	t.Helper()
	emu := emulator.New(emulator.Options{Layout: layout, Token: testToken})
	emu.AddRepo(testRepo, false)
	return NewValidator(mustSpec(t, desc), Layout{layout.APIPrefix(), layout.UploadPrefix()}, emu), emu
}

// stubBehind puts a validator in front of a handler that answers every request
// with status, content type and body.
func stubBehind(t *testing.T, desc string, status int, contentType, body string) *Validator {
	t.Helper()
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		if contentType != "" {
			w.Header().Set("Content-Type", contentType)
		}
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	})
	return NewValidator(mustSpec(t, desc), Layout{APIPrefix: "", UploadPrefix: "/uploads"}, h)
}

// renderedAsset is an asset exactly as the emulator renders it, as generic JSON.
func renderedAsset(t *testing.T) map[string]any {
	t.Helper()
	emu := emulator.New(emulator.Options{})
	emu.AddRepo(testRepo, false)
	rel := emu.SeedRelease(testRepo, emulator.SeedRelease{TagName: "v1"})
	a := emu.SeedAsset(testRepo, rel.ID, "a.zip", "A", "", []byte("a"))
	var m map[string]any
	b, _ := json.Marshal(a)
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func renderedRelease(t *testing.T) map[string]any {
	t.Helper()
	emu := emulator.New(emulator.Options{})
	emu.AddRepo(testRepo, false)
	rel := emu.SeedRelease(testRepo, emulator.SeedRelease{TagName: "v1", Name: "One", Body: "notes"})
	emu.SeedAsset(testRepo, rel.ID, "a.zip", "", "", []byte("a"))
	rel = emu.Releases(testRepo)[0]
	var m map[string]any
	b, _ := json.Marshal(rel)
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func jsonString(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// The negative test: a request the description forbids is caught. make_latest is
// a string enum ("true", "false", "legacy"); a JSON boolean is wrong.
func TestValidatorFlagsBooleanMakeLatest(t *testing.T) {
	t.Parallel()
	for _, d := range descriptions {
		t.Run(d.name, func(t *testing.T) {
			t.Parallel()
			v, emu := emulatorBehind(t, d.name, d.layout)
			w := send(t, v, "POST", d.layout.APIPrefix()+"/repos/octo/demo/releases", "application/json", strings.NewReader(`{"tag_name":"v1","make_latest":true}`))
			expectViolation(t, v, "request", "repos/create-release", "make_latest", "true")
			t.Logf("emulator answered %d; violation: %s", w.Code, v.Violations()[0])
			if n := emu.Counts()[emulator.RouteCreateRelease]; n != 1 {
				t.Errorf("the request reached the emulator %d times, want 1 (the validator only observes)", n)
			}
			// The same request with the string form is fine.
			v2, _ := emulatorBehind(t, d.name, d.layout)
			if w := send(t, v2, "POST", d.layout.APIPrefix()+"/repos/octo/demo/releases", "application/json", strings.NewReader(`{"tag_name":"v1","make_latest":"true"}`)); w.Code != http.StatusCreated {
				t.Fatalf("create answered %d: %s", w.Code, w.Body)
			}
			expectNone(t, v2)
		})
	}
}

// The negative test for answers: a release without its id is caught.
func TestValidatorFlagsReleaseWithoutID(t *testing.T) {
	t.Parallel()
	rel := renderedRelease(t)
	good := jsonString(t, rel)
	delete(rel, "id")
	bad := jsonString(t, rel)
	for _, d := range descriptions {
		v := stubBehind(t, d.name, 200, "application/json; charset=utf-8", good)
		send(t, v, "GET", "/repos/octo/demo/releases/tags/v1", "", nil)
		expectNone(t, v)

		v = stubBehind(t, d.name, 200, "application/json; charset=utf-8", bad)
		send(t, v, "GET", "/repos/octo/demo/releases/tags/v1", "", nil)
		expectViolation(t, v, "response", "repos/get-release-by-tag", `"id"`)
	}
}

func TestValidatorFlagsOtherWrongAnswers(t *testing.T) {
	t.Parallel()
	rel := jsonString(t, renderedRelease(t))
	for _, c := range []struct {
		name, method, path string
		status             int
		ct, body           string
		want               []string
	}{
		// create-release documents 201; a 200 is not what GitHub sends.
		{"undocumented success status", "POST", "/repos/octo/demo/releases", 200, "application/json", rel, []string{"status is not supported"}},
		{"wrong media type", "GET", "/repos/octo/demo/releases/1", 200, "text/html", "<html>", []string{"text/html"}},
		{"draft flag as a string", "GET", "/repos/octo/demo/releases/1", 200, "application/json", strings.Replace(rel, `"draft":false`, `"draft":"false"`, 1), []string{"/draft"}},
		{"relative html_url", "GET", "/repos/octo/demo/releases/1", 200, "application/json", strings.Replace(rel, `"html_url":"http://localhost/`, `"html_url":"/`, 1), []string{"/html_url", "absolute"}},
		{"bad created_at", "GET", "/repos/octo/demo/releases/1", 200, "application/json", strings.Replace(rel, `"created_at":"`, `"created_at":"yesterday`, 1), []string{"/created_at"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			v := stubBehind(t, DotCom, c.status, c.ct, c.body)
			send(t, v, c.method, c.path, "application/json", strings.NewReader(`{"tag_name":"v1"}`))
			expectViolation(t, v, "response", c.want...)
		})
	}
}

func TestValidatorFlagsWrongRequests(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name, method, path, ct, body string
		want                         []string
	}{
		{"create without tag_name", "POST", "/repos/octo/demo/releases", "application/json", `{"name":"x"}`, []string{"tag_name"}},
		{"draft as a string", "PATCH", "/repos/octo/demo/releases/5", "application/json", `{"draft":"false"}`, []string{"/draft"}},
		{"release id not a number", "GET", "/repos/octo/demo/releases/latest-ish/assets", "", "", []string{"release_id"}},
		{"per_page not a number", "GET", "/repos/octo/demo/releases?per_page=many", "", "", []string{"per_page"}},
		{"unknown operation", "PUT", "/repos/octo/demo/releases/5", "application/json", `{}`, []string{"no such operation"}},
		{"upload sent to the API host", "POST", "/repos/octo/demo/releases/5/assets?name=a.zip", "application/zip", "zip", []string{"upload server"}},
		{"API call sent to the upload host", "GET", "/uploads/repos/octo/demo/releases/5", "", "", []string{"only uploads"}},
		{"upload without name", "POST", "/uploads/repos/octo/demo/releases/5/assets?label=x", "application/zip", "zip", []string{`"name"`}},
		{"upload without Content-Type", "POST", "/uploads/repos/octo/demo/releases/5/assets?name=a.zip", "", "zip", []string{"Content-Type"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			v := stubBehind(t, DotCom, 404, "application/json", `{"message":"Not Found","documentation_url":"https://docs.github.com/rest"}`)
			var body io.Reader
			if c.body != "" {
				body = strings.NewReader(c.body)
			}
			send(t, v, c.method, c.path, c.ct, body)
			vs := v.Violations()
			found := false
			for _, x := range vs {
				if x.Phase != "request" {
					continue
				}
				ok := true
				for _, w := range c.want {
					ok = ok && strings.Contains(x.String(), w)
				}
				found = found || ok
			}
			if !found {
				t.Fatalf("no request violation mentioning %q; got:\n%s", c.want, Report(vs))
			}
		})
	}
}

// ExceptionUploadContentType: any media type passes on the upload, and only there.
func TestExceptionUploadAcceptsAnyContentType(t *testing.T) {
	t.Parallel()
	for _, d := range descriptions {
		for _, ct := range []string{"application/octet-stream", "application/gzip", "text/plain; charset=utf-8", "application/vnd.debian.binary-package"} {
			v, emu := emulatorBehind(t, d.name, d.layout)
			rel := emu.SeedRelease(testRepo, emulator.SeedRelease{TagName: "v1"})
			w := send(t, v, "POST", fmt.Sprintf("%s/repos/octo/demo/releases/%d/assets?name=a.bin&label=A", d.layout.UploadPrefix(), rel.ID), ct, strings.NewReader("bytes"))
			if w.Code != http.StatusCreated {
				t.Fatalf("%s: upload as %s answered %d: %s", d.name, ct, w.Code, w.Body)
			}
			expectNone(t, v)
		}
		// Not a blanket: a JSON operation still demands JSON.
		v, emu := emulatorBehind(t, d.name, d.layout)
		emu.SeedRelease(testRepo, emulator.SeedRelease{TagName: "v1"})
		send(t, v, "POST", d.layout.APIPrefix()+"/repos/octo/demo/releases", "application/gzip", strings.NewReader(`{"tag_name":"v2"}`))
		if vs := v.Violations(); len(vs) == 0 || !strings.Contains(Report(vs), "application/gzip") {
			t.Fatalf("%s: a gzip body on create-release was not flagged:\n%s", d.name, Report(vs))
		}
	}
}

// A chunked upload (no Content-Length) is flagged.
func TestUploadWithoutContentLengthIsFlagged(t *testing.T) {
	t.Parallel()
	// 422 is the error status the description declares for uploads.
	v := stubBehind(t, DotCom, 422, "application/json", `{"message":"Validation Failed"}`)
	req := httptest.NewRequest("POST", "/uploads/repos/octo/demo/releases/5/assets?name=a.zip", io.NopCloser(strings.NewReader("zip")))
	req.ContentLength = -1
	req.Header.Set("Content-Type", "application/zip")
	v.ServeHTTP(httptest.NewRecorder(), req)
	expectViolation(t, v, "request", "Content-Length")
}

// ExceptionAssetStateStarter: "starter" passes in an asset's state; anything else
// outside the enum does not.
func TestExceptionAssetStateStarter(t *testing.T) {
	t.Parallel()
	for _, d := range descriptions {
		for _, c := range []struct {
			state string
			ok    bool
		}{{"uploaded", true}, {"open", true}, {"starter", true}, {"broken", false}, {"Starter", false}} {
			a := renderedAsset(t)
			a["state"] = c.state
			v := stubBehind(t, d.name, 200, "application/json", jsonString(t, []any{a}))
			send(t, v, "GET", "/repos/octo/demo/releases/5/assets", "", nil)
			if c.ok {
				expectNone(t, v)
			} else {
				expectViolation(t, v, "response", "/0/state", c.state)
			}
		}
	}
}

// ExceptionDownloadBytes: only a 200 octet-stream answer to a request that asked
// for octet-stream skips the body check.
func TestExceptionDownloadBytes(t *testing.T) {
	t.Parallel()
	asset := jsonString(t, renderedAsset(t))
	for _, d := range descriptions {
		v := stubBehind(t, d.name, 200, "application/octet-stream", "raw bytes")
		send(t, v, "GET", "/repos/octo/demo/releases/assets/7", "", nil, "Accept", "application/octet-stream")
		expectNone(t, v)
		if n := v.ExceptionsUsed()[ExceptionDownloadBytes]; n != 1 {
			t.Fatalf("exception applied %d times", n)
		}

		// Without the Accept header, bytes are not what the description promises.
		v = stubBehind(t, d.name, 200, "application/octet-stream", "raw bytes")
		send(t, v, "GET", "/repos/octo/demo/releases/assets/7", "", nil, "Accept", "application/vnd.github+json")
		expectViolation(t, v, "response", "application/octet-stream")

		// A JSON 200 is validated as usual, even when bytes were asked for.
		var broken map[string]any
		_ = json.Unmarshal([]byte(asset), &broken)
		delete(broken, "size")
		v = stubBehind(t, d.name, 200, "application/json", jsonString(t, broken))
		send(t, v, "GET", "/repos/octo/demo/releases/assets/7", "", nil, "Accept", "application/octet-stream")
		expectViolation(t, v, "response", `"size"`)
	}
}

// countingBody notes how much of it was read, and by whom.
type countingBody struct {
	io.Reader
	read int64
}

func (c *countingBody) Read(p []byte) (int, error) {
	n, err := c.Reader.Read(p)
	c.read += int64(n)
	return n, err
}

func (c *countingBody) Close() error { return nil }

// An upload body is handed to the server untouched: the validator reads none of
// it, however big it is.
func TestUploadBodyIsNeverBuffered(t *testing.T) {
	t.Parallel()
	const size = 64 << 20 // far above DefaultMaxBody
	body := &countingBody{Reader: io.LimitReader(zeros{}, size)}
	var readBefore, got int64 = -1, -1
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		readBefore = body.read
		if r.Body != io.ReadCloser(body) {
			t.Errorf("the upload body was replaced (%T)", r.Body)
		}
		got, _ = io.Copy(io.Discard, r.Body)
		w.WriteHeader(http.StatusUnprocessableEntity)
	})
	v := NewValidator(mustSpec(t, DotCom), Layout{UploadPrefix: "/uploads"}, h)
	req := httptest.NewRequest("POST", "/uploads/repos/octo/demo/releases/5/assets?name=big.iso", nil)
	req.Body, req.ContentLength = body, size
	req.Header.Set("Content-Type", "application/x-iso9660-image")
	v.ServeHTTP(httptest.NewRecorder(), req)
	if readBefore != 0 || got != size {
		t.Fatalf("validator read %d bytes before the server; server got %d of %d", readBefore, got, size)
	}
	expectNone(t, v)
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// A JSON body above MaxBody is passed on whole, and reported as unvalidated.
func TestOversizedJSONBodyIsReportedAndPassedOn(t *testing.T) {
	t.Parallel()
	body := `{"tag_name":"v1","body":"` + strings.Repeat("x", 200) + `"}`
	var got string
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got = string(b)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		_, _ = io.WriteString(w, `{"message":"Not Found"}`)
	})
	v := NewValidator(mustSpec(t, DotCom), Layout{UploadPrefix: "/uploads"}, h)
	v.MaxBody = 64
	send(t, v, "POST", "/repos/octo/demo/releases", "application/json", strings.NewReader(body))
	if got != body {
		t.Fatalf("server received %d bytes, want %d", len(got), len(body))
	}
	expectViolation(t, v, "request", "larger than 64 bytes")
}
