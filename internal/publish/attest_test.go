package publish

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/releasekit/release-action/internal/attest"
	"github.com/releasekit/release-action/internal/core"
)

// fakeSigner signs by writing the subjects down; err fails it.
type fakeSigner struct {
	err   error
	calls [][]attest.Subject
}

func (s *fakeSigner) Sign(_ context.Context, subjects []attest.Subject) (*attest.Attestation, error) {
	s.calls = append(s.calls, slices.Clone(subjects))
	if s.err != nil {
		return nil, s.err
	}
	b, _ := json.Marshal(map[string]any{"subjects": subjects})
	return &attest.Attestation{Subjects: subjects, Bundle: b}, nil
}

func attestRun(t *testing.T, f *fakeGitHub, s *fakeSigner, j *Job) (*Result, error) {
	t.Helper()
	j.Attest = true
	j.Repository = "o/r"
	j.AttestationsURL = "https://github.com/o/r/attestations"
	p := &Publisher{GH: f, Log: &logLines{}, TempDir: t.TempDir(), Signer: s}
	return p.Run(context.Background(), j)
}

// TestAttestSignsBeforeAnyChange: whichever service fails (the signer stands
// for the token service, Fulcio and the witness; the store for GitHub's
// attestations API), nothing is created or uploaded.
func TestAttestSignsBeforeAnyChange(t *testing.T) {
	t.Parallel()
	for name, setup := range map[string]func(f *fakeGitHub, s *fakeSigner){
		"signing": func(_ *fakeGitHub, s *fakeSigner) { s.err = attest.ErrFulcio },
		"storing": func(f *fakeGitHub, _ *fakeSigner) {
			f.fail["CreateAttestation"] = &APIError{Method: "POST", URL: "attestations", Status: 403, Message: "Resource not accessible by integration"}
		},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f, s := newFake(), &fakeSigner{}
			setup(f, s)
			_, err := attestRun(t, f, s, &Job{Settings: settings("v1.0.0"), Files: files(t, "a.zip", "aaa", "b.zip", "bbb")})
			if !errors.Is(err, ErrAttest) {
				t.Fatalf("err = %v, want ErrAttest", err)
			}
			for _, c := range f.calls {
				if c == "CreateRelease" || c == "UploadAsset" || c == "UpdateRelease" {
					t.Fatalf("a failed attestation still changed GitHub: calls %v", f.calls)
				}
			}
			if name == "storing" && !strings.Contains(err.Error(), "attestations: write") {
				t.Errorf("a 403 from the attestations API does not show the permissions block: %v", err)
			}
		})
	}
}

// TestAttestAttachesABundleBesideEveryUploadedAsset: one statement covers
// every uploaded asset and the checksum list (signed after the list is made),
// each gets NAME.sigstore.json, and the outputs name the attestation.
func TestAttestAttachesABundleBesideEveryUploadedAsset(t *testing.T) {
	t.Parallel()
	f, s := newFake(), &fakeSigner{}
	j := &Job{Settings: settings("v1.0.0"), Files: files(t, "a.zip", "aaa", "b.zip", "bbb")}
	j.Checksums = "SHA256SUMS"
	res, err := attestRun(t, f, s, j)
	if err != nil {
		t.Fatal(err)
	}
	var signed [][]string
	for _, c := range s.calls {
		var names []string
		for _, sub := range c {
			names = append(names, sub.Name)
		}
		signed = append(signed, names)
	}
	if d := cmp.Diff([][]string{{"a.zip", "b.zip"}, {"SHA256SUMS"}}, signed); d != "" {
		t.Errorf("signed subjects (-want +got):\n%s", d)
	}
	var names []string
	for _, a := range f.assets[res.Release.ID] {
		names = append(names, a.Name)
	}
	slices.Sort(names)
	want := []string{"SHA256SUMS", "SHA256SUMS.sigstore.json", "a.zip", "a.zip.sigstore.json", "b.zip", "b.zip.sigstore.json"}
	if d := cmp.Diff(want, names); d != "" {
		t.Errorf("assets (-want +got):\n%s", d)
	}
	if res.Release.Draft {
		t.Error("the release was not published")
	}
	got := map[string]string{}
	for _, a := range res.Assets {
		if a.Attestation != nil {
			got[a.Name] = a.Attestation.URL + " " + a.Attestation.Bundle
		}
	}
	wantAtt := map[string]string{
		"a.zip":      "https://github.com/o/r/attestations/1 a.zip.sigstore.json",
		"b.zip":      "https://github.com/o/r/attestations/1 b.zip.sigstore.json",
		"SHA256SUMS": "https://github.com/o/r/attestations/2 SHA256SUMS.sigstore.json",
	}
	if d := cmp.Diff(wantAtt, got); d != "" {
		t.Errorf("attestations in the outputs (-want +got):\n%s", d)
	}
	// The checksum list lists the bundles of the other assets, not its own.
	sums := string(f.content[assetID(f, res.Release.ID, "SHA256SUMS")])
	if !strings.Contains(sums, "a.zip.sigstore.json") || strings.Contains(sums, "SHA256SUMS.sigstore.json") {
		t.Errorf("checksum list:\n%s", sums)
	}
}

// TestAttestReplacesTheBundleOfAReplacedAsset: a re-run with one changed file
// signs that file only, and its bundle is replaced; a bundle that cannot be
// read as one (here: the fake's) is not trusted to cover a kept asset.
func TestAttestReplacesTheBundleOfAReplacedAsset(t *testing.T) {
	t.Parallel()
	f, s := newFake(), &fakeSigner{}
	first := &Job{Settings: settings("v1.0.0"), Files: files(t, "a.zip", "aaa", "b.zip", "bbb")}
	first.Checksums = "SHA256SUMS"
	if _, err := attestRun(t, f, s, first); err != nil {
		t.Fatal(err)
	}
	s.calls = nil
	second := &Job{Settings: settings("v1.0.0"), Files: files(t, "a.zip", "aaa", "b.zip", "BBB")}
	second.Checksums = "SHA256SUMS"
	res, err := attestRun(t, f, s, second)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.calls) != 2 || !slices.ContainsFunc(s.calls[0], func(x attest.Subject) bool { return x.Name == "b.zip" }) {
		t.Fatalf("signed %v, want one statement covering b.zip, then the checksum list's", s.calls)
	}
	// The list is made before its own bundle is signed: the old bundle
	// beside it is not in it, or the list would be stale the moment it lands.
	if sums := string(f.content[assetID(f, res.Release.ID, "SHA256SUMS")]); strings.Contains(sums, "SHA256SUMS.sigstore.json") {
		t.Errorf("the checksum list lists its own bundle:\n%s", sums)
	}
	actions := map[string]Action{}
	for _, a := range res.Assets {
		actions[a.Name] = a.Action
	}
	if actions["b.zip"] != ActionReplaced || actions["b.zip.sigstore.json"] != ActionReplaced {
		t.Errorf("actions = %v, want b.zip and its bundle replaced", actions)
	}
}

// settings are a plain publish of tag.
func settings(tag string) core.Settings {
	return core.Settings{Tag: tag, Overwrite: true, MaxParallel: 2}
}

// assetID is the id of the asset named name on release rel of f.
func assetID(f *fakeGitHub, rel int64, name string) int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, a := range f.assets[rel] {
		if a.Name == name {
			return a.ID
		}
	}
	return 0
}
