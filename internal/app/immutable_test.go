package app_test

import (
	"strings"
	"testing"

	"github.com/releasekit/release-action/internal/actiontest"
	"github.com/releasekit/release-action/internal/emulator"
)

func TestImmutableReleases(t *testing.T) {
	t.Parallel()
	h := actiontest.New(t, actiontest.Config{Immutable: true})
	h.Write("dist/app.zip", "build one")
	h.Write("dist/app.tar.gz", "build one, tarred")
	in := map[string]string{"tag": "v1", "files": "dist/*", "body": "notes", "checksums": "SHA256SUMS"}

	// A fresh release in an immutable repository: draft first, assets, publish last.
	if r := h.Run(in); r.Code != 0 {
		t.Fatalf("first run: exit %d\n%s", r.Code, r.Stdout)
	}
	rel := h.Only("v1")
	if !rel.Immutable || rel.Draft || len(h.Emu.Assets(actiontest.Repo, rel.ID)) != 3 {
		t.Fatalf("release immutable=%v draft=%v assets=%d", rel.Immutable, rel.Draft, len(h.Emu.Assets(actiontest.Repo, rel.ID)))
	}

	// Same files, new notes: succeeds, no asset change, notes updated.
	h.Emu.ResetLog()
	in["body"] = "better notes"
	r := h.Run(in)
	if r.Code != 0 {
		t.Fatalf("re-run: exit %d\n%s", r.Code, r.Stdout)
	}
	for _, q := range h.Emu.Requests() {
		if q.Method != "GET" && q.Route != emulator.RouteUpdateRelease {
			t.Fatalf("re-run on an immutable release sent %s %s", q.Method, q.Route)
		}
	}
	if got := h.Only("v1").Body; got != "better notes" {
		t.Fatalf("notes = %q; title and notes stay editable", got)
	}

	// A changed file: fails before any change, saying what to do.
	h.Write("dist/app.zip", "build two")
	h.Emu.ResetLog()
	in["body"] = "even better notes"
	r = h.Run(in)
	if r.Code == 0 {
		t.Fatal("a changed file on an immutable release exited 0")
	}
	if n := h.Writes(); n != 0 {
		t.Fatalf("%d writes before failing on an immutable release", n)
	}
	for _, want := range []string{"immutable", "replace app.zip", "new tag"} {
		if !strings.Contains(r.Stdout, want) {
			t.Fatalf("error lacks %q:\n%s", want, r.Stdout)
		}
	}
	if got := h.Only("v1").Body; got != "better notes" {
		t.Fatalf("the failed run changed the notes to %q", got)
	}

	// An extra file would be an upload: refused the same way.
	h.Write("dist/app.zip", "build one")
	h.Write("dist/extra.txt", "new")
	h.Emu.ResetLog()
	if r := h.Run(in); r.Code == 0 || h.Writes() != 0 || !strings.Contains(r.Stdout, "upload extra.txt") {
		t.Fatalf("an extra file: exit %d, %d writes\n%s", r.Code, h.Writes(), r.Stdout)
	}
}
