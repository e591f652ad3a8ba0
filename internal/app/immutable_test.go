package app

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/releasekit/release-action/internal/emulator"
)

// newImmutableHarness is a harness whose repository has immutable releases on.
func newImmutableHarness(t *testing.T) *harness {
	t.Helper()
	h := newHarness(t, emulator.Options{})
	// A second emulator whose only repository is immutable, served the same way.
	emu := emulator.New(emulator.Options{Token: testToken})
	emu.AddRepo(testRepo, true)
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	h.emu, h.srv, h.apiURL = emu, srv, srv.URL
	return h
}

func TestImmutableReleases(t *testing.T) {
	t.Parallel()
	h := newImmutableHarness(t)
	h.write("dist/app.zip", "build one")
	h.write("dist/app.tar.gz", "build one, tarred")
	in := map[string]string{"tag": "v1", "files": "dist/*", "body": "notes", "checksums": "SHA256SUMS"}

	// A fresh release in an immutable repository: draft first, assets, publish last.
	if r := h.run(in); r.code != 0 {
		t.Fatalf("first run: exit %d\n%s", r.code, r.stdout)
	}
	rel := h.only("v1")
	if !rel.Immutable || rel.Draft || len(h.emu.Assets(testRepo, rel.ID)) != 3 {
		t.Fatalf("release immutable=%v draft=%v assets=%d", rel.Immutable, rel.Draft, len(h.emu.Assets(testRepo, rel.ID)))
	}

	// Same files, new notes: succeeds, no asset change, notes updated.
	h.emu.ResetLog()
	in["body"] = "better notes"
	r := h.run(in)
	if r.code != 0 {
		t.Fatalf("re-run: exit %d\n%s", r.code, r.stdout)
	}
	for _, q := range h.emu.Requests() {
		if q.Method != "GET" && q.Route != emulator.RouteUpdateRelease {
			t.Fatalf("re-run on an immutable release sent %s %s", q.Method, q.Route)
		}
	}
	if got := h.only("v1").Body; got != "better notes" {
		t.Fatalf("notes = %q; title and notes stay editable", got)
	}

	// A changed file: fails before any change, saying what to do.
	h.write("dist/app.zip", "build two")
	h.emu.ResetLog()
	in["body"] = "even better notes"
	r = h.run(in)
	if r.code == 0 {
		t.Fatal("a changed file on an immutable release exited 0")
	}
	if n := h.writes(); n != 0 {
		t.Fatalf("%d writes before failing on an immutable release", n)
	}
	for _, want := range []string{"immutable", "replace app.zip", "new tag"} {
		if !strings.Contains(r.stdout, want) {
			t.Fatalf("error lacks %q:\n%s", want, r.stdout)
		}
	}
	if got := h.only("v1").Body; got != "better notes" {
		t.Fatalf("the failed run changed the notes to %q", got)
	}

	// An extra file would be an upload: refused the same way.
	h.write("dist/app.zip", "build one")
	h.write("dist/extra.txt", "new")
	h.emu.ResetLog()
	if r := h.run(in); r.code == 0 || h.writes() != 0 || !strings.Contains(r.stdout, "upload extra.txt") {
		t.Fatalf("an extra file: exit %d, %d writes\n%s", r.code, h.writes(), r.stdout)
	}
}
