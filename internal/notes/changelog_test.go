package notes

import (
	"errors"
	"strconv"
	"strings"
	"testing"
)

const keepAChangelog = `# Changelog

All notable changes to this project will be documented in this file.

## [Unreleased]
### Added
- Something not yet released.

## [1.2.3] - 2026-01-31
### Fixed
- Upload retries no longer duplicate assets ([#12]).

## [1.2.2] - 2026-01-02
### Added
- First release.

[unreleased]: https://github.com/o/r/compare/v1.2.3...HEAD
[1.2.3]: https://github.com/o/r/compare/v1.2.2...v1.2.3
[#12]: https://github.com/o/r/pull/12
[1.2.2]: https://github.com/o/r/releases/tag/v1.2.2
`

const releasePlease = `# Changelog

## [1.3.0](https://github.com/o/r/compare/v1.2.3...v1.3.0) (2026-02-10)


### Features

* **notes:** read the changelog ([#20](https://github.com/o/r/issues/20)) ([abc1234](https://github.com/o/r/commit/abc1234))

### [1.2.3](https://github.com/o/r/compare/v1.2.2...v1.2.3) (2026-01-31)


### Bug Fixes

* retry uploads ([#12](https://github.com/o/r/issues/12))

## [1.2.2](https://github.com/o/r/compare/v1.2.1...v1.2.2) (2026-01-02)

* older
`

func TestChangelogSectionHeadingStyles(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, src, tag, want string
	}{
		{
			name: "keep a changelog, tag with v",
			src:  keepAChangelog, tag: "v1.2.3",
			want: "### Fixed\n- Upload retries no longer duplicate assets ([#12]).\n\n[#12]: https://github.com/o/r/pull/12",
		},
		{
			name: "keep a changelog, tag without v",
			src:  keepAChangelog, tag: "1.2.2",
			want: "### Added\n- First release.",
		},
		{
			name: "release-please minor at level 2",
			src:  releasePlease, tag: "v1.3.0",
			want: "### Features\n\n* **notes:** read the changelog ([#20](https://github.com/o/r/issues/20)) ([abc1234](https://github.com/o/r/commit/abc1234))",
		},
		{
			name: "conventional-changelog patch at level 3 keeps its level 3 subsections",
			src:  releasePlease, tag: "v1.2.3",
			want: "### Bug Fixes\n\n* retry uploads ([#12](https://github.com/o/r/issues/12))",
		},
		{
			name: "a subsection mentioning a version later in its words does not end the section",
			src:  "## 2.0.0\n\n### Upgrading to 2.0\n\nSteps.\n\n## 1.0.0\n", tag: "v2.0.0",
			want: "### Upgrading to 2.0\n\nSteps.",
		},
		{
			name: "a heading for another release ends the section whatever its level",
			src:  "## 2.0.0\n\n- a\n\n#### 1.9.9\n\n- b\n", tag: "v2.0.0",
			want: "- a",
		},
		{
			name: "a matching heading with nothing under it is an error",
			src:  "## 2.0.0\n\n## 1.0.0\n\n- b\n", tag: "v2.0.0",
			want: "",
		},
		{
			name: "plain version",
			src:  "# Changes\n\n## 1.2.3\n\n- a\n\n## 1.2.2\n\n- b\n", tag: "v1.2.3",
			want: "- a",
		},
		{
			name: "plain v-version with an em dash and a date",
			src:  "## v1.2.4 — 2026-03-01\n\n- c\n\n## v1.2.3 — 2026-02-01\n\n- a\n\n## v1.2.2 — 2026-01-01\n- b\n", tag: "1.2.3",
			want: "- a",
		},
		{
			name: "level 1 headings",
			src:  "# 1.2.3\n\nText.\n\n## Details\n\nMore.\n\n# 1.2.2\n\nOld.\n", tag: "v1.2.3",
			want: "Text.\n\n## Details\n\nMore.",
		},
		{
			name: "setext headings",
			src:  "Changelog\n=========\n\n1.2.3\n-----\n\n- a\n\n1.2.2\n-----\n\n- b\n", tag: "v1.2.3",
			want: "- a",
		},
		{
			name: "a hash line in a fenced code block is not a heading",
			src:  "## 1.2.3\n\n```sh\n## 1.2.2\necho hi\n```\n\n~~~\n# 1.0.0\n~~~\n\n## 1.2.2\n\n- b\n", tag: "v1.2.3",
			want: "```sh\n## 1.2.2\necho hi\n```\n\n~~~\n# 1.0.0\n~~~",
		},
		{
			name: "monorepo slash tag, per-package changelog",
			src:  "## 1.2.3\n\n- pkg change\n\n## 1.2.2\n", tag: "pkg/v1.2.3",
			want: "- pkg change",
		},
		{
			name: "monorepo dash tag picks the heading naming its package",
			src:  "## other-v1.2.3\n\n- other change\n\n## pkg-v1.2.3\n\n- pkg change\n", tag: "pkg-v1.2.3",
			want: "- pkg change",
		},
		{
			name: "monorepo slash tag against dash headings",
			src:  "## [other-v1.2.3]\n\n- other change\n\n## [pkg-v1.2.3] - 2026-01-31\n\n- pkg change\n", tag: "pkg/v1.2.3",
			want: "- pkg change",
		},
		{
			name: "monorepo heading naming the package as a word",
			src:  "## other 1.2.3\n\n- other\n\n## pkg: 1.2.3\n\n- mine\n", tag: "pkg/v1.2.3",
			want: "- mine",
		},
		{
			name: "scoped npm tag",
			src:  "## @scope/pkg@1.2.3\n\n- scoped\n", tag: "@scope/pkg@1.2.3",
			want: "- scoped",
		},
		{
			name: "prerelease versions are not confused with the release",
			src:  "## 1.2.3-rc.1\n\n- rc\n\n## 1.2.3\n\n- final\n", tag: "v1.2.3",
			want: "- final",
		},
		{
			name: "windows line endings",
			src:  "## 1.2.3\r\n\r\n- a\r\n\r\n## 1.2.2\r\n", tag: "v1.2.3",
			want: "- a",
		},
		{
			name: "last section runs to the end of the file",
			src:  "## 1.2.3\n\n- newest\n\n## 1.2.2\n\n- oldest\n    indented continuation\n", tag: "v1.2.2",
			want: "- oldest\n    indented continuation",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := ChangelogSection("CHANGELOG.md", []byte(tc.src), tc.tag)
			if tc.want == "" {
				var se *SectionError
				if !errors.As(err, &se) || !se.Empty {
					t.Fatalf("got %q, %v; want an empty-section error", got, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("section for %s:\n got: %q\nwant: %q", tc.tag, got, tc.want)
			}
		})
	}
}

func TestChangelogSectionCarriesLinkDefinitions(t *testing.T) {
	t.Parallel()
	src := `## [2.0.0] - 2026-02-01

- Breaking: see [the guide][guide] and [#7].
- ![badge][img] and [Collapsed][].

Unused: [not a link].

## [1.0.0] - 2026-01-01

- Old [#3].

[2.0.0]: https://x/compare/v1.0.0...v2.0.0
[guide]: https://x/guide "The guide"
[#7]: https://x/pull/7
[#3]: https://x/pull/3
[IMG]: https://x/badge.svg
[collapsed]: https://x/c
[#7]: https://x/duplicate-is-ignored
`
	got, err := ChangelogSection("CHANGELOG.md", []byte(src), "v2.0.0")
	if err != nil {
		t.Fatal(err)
	}
	want := `- Breaking: see [the guide][guide] and [#7].
- ![badge][img] and [Collapsed][].

Unused: [not a link].

[guide]: https://x/guide "The guide"
[#7]: https://x/pull/7
[IMG]: https://x/badge.svg
[collapsed]: https://x/c`
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}

	// The oldest section holds the whole definition block in its own text; it
	// keeps only what it uses, once.
	got, err = ChangelogSection("CHANGELOG.md", []byte(src), "v1.0.0")
	if err != nil {
		t.Fatal(err)
	}
	if want := "- Old [#3].\n\n[#3]: https://x/pull/3"; got != want {
		t.Errorf("oldest section:\n got: %q\nwant: %q", got, want)
	}
}

func TestChangelogSectionKeepsDefinitionsInsideContainers(t *testing.T) {
	t.Parallel()
	src := "## 1.0.0\n\n- see [docs]\n\n## 0.9.0\n\n> [docs]: https://x/docs 'Docs'\n"
	got, err := ChangelogSection("CHANGELOG.md", []byte(src), "1.0.0")
	if err != nil {
		t.Fatal(err)
	}
	if want := "- see [docs]\n\n[docs]: https://x/docs \"Docs\""; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestChangelogSectionMissing(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString("# Changelog\n\n## [Unreleased]\n\n")
	for i := 20; i > 10; i-- {
		b.WriteString("## [1." + strconv.Itoa(i) + ".0] - 2026-01-01\n\n- x\n\n")
	}
	b.WriteString("> ## 1.2.3 in a quote is not a section\n")
	_, err := ChangelogSection("docs/CHANGES.md", []byte(b.String()), "v1.2.3")
	var se *SectionError
	if !errors.As(err, &se) {
		t.Fatalf("err = %v, want *SectionError", err)
	}
	msg := err.Error()
	for _, want := range []string{"docs/CHANGES.md", `"v1.2.3"`, `"Changelog"`, `"[Unreleased]"`, `"[1.20.0] - 2026-01-01"`, "and 4 more"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q lacks %q", msg, want)
		}
	}
	if len(se.Headings) != maxListedHeadings || se.More != 12-maxListedHeadings {
		t.Errorf("listed %d headings and %d more, want %d and %d", len(se.Headings), se.More, maxListedHeadings, 12-maxListedHeadings)
	}

	_, err = ChangelogSection("CHANGELOG.md", []byte("just text\n"), "v1.0.0")
	if err == nil || !strings.Contains(err.Error(), "no headings") {
		t.Errorf("err = %v, want one saying the file has no headings", err)
	}
}

func TestChangelogSectionOtherPackageNeverMatches(t *testing.T) {
	t.Parallel()
	_, err := ChangelogSection("CHANGELOG.md", []byte("## other-v1.2.3\n\n- not mine\n"), "pkg/v1.2.3")
	if err == nil {
		t.Fatal("a heading for another package matched")
	}
}

func TestSplitVersion(t *testing.T) {
	t.Parallel()
	cases := []struct{ in, pkg, version string }{
		{"v1.2.3", "", "1.2.3"},
		{"1.2.3", "", "1.2.3"},
		{"V1.2.3-rc.1+b.2", "", "1.2.3-rc.1+b.2"},
		{"pkg/v1.2.3", "pkg", "1.2.3"},
		{"pkg-v1.2.3", "pkg", "1.2.3"},
		{"my-pkg-1.2.3", "my-pkg", "1.2.3"},
		{"pkg-1-v2.0.0", "pkg-1", "2.0.0"},
		{"tools/cli/v0.4.0", "tools/cli", "0.4.0"},
		{"@scope/pkg@1.2.3", "@scope/pkg", "1.2.3"},
		{"v2", "", "2"},
		{"nightly", "", ""},
	}
	for _, tc := range cases {
		pkg, version := splitVersion(tc.in)
		if pkg != tc.pkg || version != tc.version {
			t.Errorf("splitVersion(%q) = %q, %q; want %q, %q", tc.in, pkg, version, tc.pkg, tc.version)
		}
	}
}
