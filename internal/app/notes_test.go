package app_test

import (
	"strings"
	"testing"

	"github.com/releasekit/release-action/internal/actiontest"
	"github.com/releasekit/release-action/internal/emulator"
)

const changelog = `# Changelog

## [Unreleased]

- Work in progress.

## [1.2.0] - 2026-01-31

### Added

- The [frobnicator][frob], see [#12].

## [1.1.0] - 2025-12-01

- Older things.

[frob]: https://example.test/frob
[#12]: https://example.test/pull/12
[1.1.0]: https://example.test/compare/v1.0.0...v1.1.0
`

const signedMessage = "Release 1.2.0\n\nThe frobnicator release.\n-----BEGIN PGP SIGNATURE-----\n\niQEzBAABCAAdFiEE\n-----END PGP SIGNATURE-----\n"

// TestNotesAreComposedInOneOrder: body, changelog section (its link
// definitions carried), tag message (signature removed), generated notes; a
// re-run writes the same body, and a changed part recomposes it.
func TestNotesAreComposedInOneOrder(t *testing.T) {
	t.Parallel()
	h := actiontest.New(t, actiontest.Config{})
	g := h.Emu.Git()
	g.SeedAnnotatedTag(repo, "v1.2.0", emulator.InitialCommit(repo), signedMessage)
	h.Write("CHANGELOG.md", changelog)
	in := map[string]string{
		"tag": "v1.2.0", "body": "Intro.", "body_from_changelog": "CHANGELOG.md",
		"body_from_tag": "true", "generate_release_notes": "true",
	}
	mustRun(t, h, in)
	body := h.Only("v1.2.0").Body
	order := []string{"Intro.", "### Added", "[frob]: https://example.test/frob", "[#12]: https://example.test/pull/12", "Release 1.2.0", "The frobnicator release.", "## What's Changed"}
	at := -1
	for _, want := range order {
		i := strings.Index(body, want)
		if i <= at {
			t.Fatalf("%q is missing or out of order in the body:\n%s", want, body)
		}
		at = i
	}
	for _, never := range []string{"PGP SIGNATURE", "Older things", "Work in progress", "[1.1.0]:"} {
		if strings.Contains(body, never) {
			t.Errorf("the body holds %q:\n%s", never, body)
		}
	}

	mustRun(t, h, in)
	if again := h.Only("v1.2.0").Body; again != body {
		t.Errorf("a re-run changed the body:\n%s\nwas:\n%s", again, body)
	}
	in["body"] = "New intro."
	mustRun(t, h, in)
	got := h.Only("v1.2.0").Body
	if want := "New intro." + strings.TrimPrefix(body, "Intro."); got != want {
		t.Errorf("after changing body:\n%s\nwant:\n%s", got, want)
	}
}

// TestNotesPartsAreCheckedBeforeAnyChange: a missing changelog section and a
// lightweight tag with body_from_tag fail the run with nothing sent but reads.
func TestNotesPartsAreCheckedBeforeAnyChange(t *testing.T) {
	t.Parallel()
	h := actiontest.New(t, actiontest.Config{})
	h.Write("CHANGELOG.md", changelog)
	h.Write("dist/app.zip", "build")
	h.Emu.AddTag(repo, "v2.0.0") // lightweight

	r := h.Run(map[string]string{"tag": "v2.0.0", "files": "dist/*", "body_from_changelog": "CHANGELOG.md"})
	for _, want := range []string{`body_from_changelog`, "CHANGELOG.md", `"[1.2.0] - 2026-01-31"`} {
		if r.Code == 0 || !strings.Contains(r.Stdout, want) {
			t.Errorf("missing section: exit %d, want %q in\n%s", r.Code, want, r.Stdout)
		}
	}
	r = h.Run(map[string]string{"tag": "v2.0.0", "files": "dist/*", "body_from_tag": "true"})
	if r.Code == 0 || !strings.Contains(r.Stdout, `"body_from_tag"`) || !strings.Contains(r.Stdout, "lightweight") {
		t.Errorf("lightweight tag: exit %d\n%s", r.Code, r.Stdout)
	}
	if n := h.Writes(); n != 0 || len(h.Emu.Releases(repo)) != 0 {
		t.Errorf("refused runs sent %d writes; releases %v", n, h.Emu.Releases(repo))
	}
}

// TestChangelogHeadingStyles: one end-to-end run per heading style people write.
func TestChangelogHeadingStyles(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct{ tag, file string }{
		"keep a changelog": {"v1.2.3", "## [1.2.3] - 2026-01-31\n\n- the change\n\n## [1.2.2] - 2026-01-01\n\n- old\n"},
		"release-please":   {"v1.2.3", "## [1.2.3](https://example.test/compare/v1.2.2...v1.2.3) (2026-01-31)\n\n- the change\n\n## [1.2.2](https://example.test) (2026-01-01)\n\n- old\n"},
		"plain with v":     {"1.2.3", "## v1.2.3 — 2026-01-31\n\n- the change\n\n## v1.2.2\n\n- old\n"},
		"top level":        {"v1.2.3", "# 1.2.3\n\n- the change\n\n# 1.2.2\n\n- old\n"},
		"monorepo tag":     {"pkg/v1.2.3", "## pkg-v1.2.3\n\n- the change\n\n## pkg-v1.2.2\n\n- old\n"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			h := actiontest.New(t, actiontest.Config{})
			h.Write("CHANGELOG.md", tc.file)
			mustRun(t, h, map[string]string{"tag": tc.tag, "body_from_changelog": "CHANGELOG.md"})
			if got := h.Only(tc.tag).Body; got != "- the change" {
				t.Errorf("body = %q, want the section for %s", got, tc.tag)
			}
		})
	}
}
