package model

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"

	"github.com/releasekit/release-action/internal/emulator"
)

// State is what the emulator holds for the repository at one moment: every
// release, drafts included, with its assets and their bytes.
type State struct {
	Releases []ReleaseState // by id
}

// ReleaseState is one release as the emulator holds it.
type ReleaseState struct {
	ID        int64
	Tag       string
	Name      string
	Body      string
	Draft     bool
	Assets    []AssetState // oldest first
	Published bool         // !Draft, kept apart for the fingerprint
}

// AssetState is one asset and its content (nil when the emulator keeps none).
type AssetState struct {
	ID      int64
	Name    string
	Label   string
	State   string
	Size    int64
	Digest  string
	Content []byte
}

// snapshot reads the repository's state from the emulator.
func snapshot(emu *emulator.Server, repo string) State {
	var st State
	for _, r := range emu.Releases(repo) {
		rs := ReleaseState{ID: r.ID, Tag: r.TagName, Name: r.Name, Body: r.Body, Draft: r.Draft, Published: !r.Draft}
		for _, a := range emu.Assets(repo, r.ID) {
			content, _ := emu.AssetContent(repo, a.ID)
			rs.Assets = append(rs.Assets, AssetState{ID: a.ID, Name: a.Name, Label: a.Label, State: a.State, Size: a.Size, Digest: a.Digest, Content: content})
		}
		st.Releases = append(st.Releases, rs)
	}
	sort.Slice(st.Releases, func(i, j int) bool { return st.Releases[i].ID < st.Releases[j].ID })
	return st
}

// ForTag returns the releases with the tag.
func (s State) ForTag(tag string) []ReleaseState {
	var out []ReleaseState
	for _, r := range s.Releases {
		if r.Tag == tag {
			out = append(out, r)
		}
	}
	return out
}

// ByID returns the release with the id.
func (s State) ByID(id int64) (ReleaseState, bool) {
	for _, r := range s.Releases {
		if r.ID == id {
			return r, true
		}
	}
	return ReleaseState{}, false
}

// Named returns the release's assets of that name.
func (r ReleaseState) Named(name string) []AssetState {
	var out []AssetState
	for _, a := range r.Assets {
		if a.Name == name {
			out = append(out, a)
		}
	}
	return out
}

// Fingerprint is a release, fields and assets, as one comparable string.
func (r ReleaseState) Fingerprint() string {
	var b strings.Builder
	fmt.Fprintf(&b, "release %d tag %q name %q draft %v body %q\n", r.ID, r.Tag, r.Name, r.Draft, r.Body)
	for _, a := range r.Assets {
		fmt.Fprintf(&b, "  asset %d %q label %q %s %d %s %s\n", a.ID, a.Name, a.Label, a.State, a.Size, a.Digest, short(a.Content))
	}
	return b.String()
}

// String lists the state for a failure message.
func (s State) String() string {
	if len(s.Releases) == 0 {
		return "  (no release)\n"
	}
	var b strings.Builder
	for _, r := range s.Releases {
		for _, line := range strings.Split(strings.TrimRight(r.Fingerprint(), "\n"), "\n") {
			b.WriteString("  " + line + "\n")
		}
	}
	return b.String()
}

// short names content by its first bytes and its hash, for messages.
func short(b []byte) string {
	if b == nil {
		return "(no content)"
	}
	sum := sha256.Sum256(b)
	text := string(b)
	if len(text) > 16 {
		text = text[:16] + "…"
	}
	return fmt.Sprintf("%q#%s", text, hex.EncodeToString(sum[:4]))
}
