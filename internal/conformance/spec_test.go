package conformance

import (
	"slices"
	"testing"

	"github.com/releasekit/release-action/internal/emulator"
)

// descriptions are the two runs of every scenario: the description and the
// emulator layout that goes with it.
var descriptions = []struct {
	name   string
	layout emulator.Layout
}{
	{DotCom, emulator.DotCom},
	{GHES, emulator.GHES},
}

// mustSpec loads a description or fails the test with what to do about it; the
// suite never skips.
func mustSpec(t testing.TB, name string) *Spec {
	t.Helper()
	s, err := LoadSpec(name)
	if err != nil {
		t.Fatalf("GitHub's API description %s: %v", name, err)
	}
	return s
}

func TestGHESIsTheNewestEditionInThePackage(t *testing.T) {
	t.Parallel()
	eds, err := GHESEditions()
	if err != nil {
		t.Fatal(err)
	}
	if len(eds) == 0 || eds[len(eds)-1] != GHES {
		t.Fatalf("GHES editions in %s: %v; the suite validates against %s: use the newest", OpenAPIPackage, eds, GHES)
	}
}

func TestDescriptionsLoadWithEveryReleaseOperation(t *testing.T) {
	t.Parallel()
	want := []string{
		"repos/create-release", "repos/delete-release", "repos/delete-release-asset",
		"repos/generate-release-notes", "repos/get-latest-release", "repos/get-release",
		"repos/get-release-asset", "repos/get-release-by-tag", "repos/list-release-assets",
		"repos/list-releases", "repos/update-release", "repos/update-release-asset",
		"repos/upload-release-asset",
	}
	for _, d := range descriptions {
		s := mustSpec(t, d.name)
		var got []string
		for _, item := range s.Doc.Paths.Map() {
			for _, op := range item.Operations() {
				got = append(got, op.OperationID)
			}
		}
		for _, id := range want {
			if !slices.Contains(got, id) {
				t.Errorf("%s: operation %s missing after reduction; have %v", d.name, id, got)
			}
		}
		if !slices.Equal(s.Patched, []string{ExceptionUploadContentType, ExceptionAssetStateStarter}) {
			t.Errorf("%s: patched %v", d.name, s.Patched)
		}
		t.Logf("%s from %s %s: %d paths, %d schemas", d.name, OpenAPIPackage, s.Version, s.Doc.Paths.Len(), len(s.Doc.Components.Schemas))
	}
}

// The emulator's layouts must be where the descriptions put the API and uploads.
func TestServersMatchTheEmulatorLayouts(t *testing.T) {
	t.Parallel()
	dot := mustSpec(t, DotCom)
	if dot.APIServer.String() != "https://api.github.com" || dot.UploadServer.String() != "https://uploads.github.com" {
		t.Fatalf("github.com servers: API %s, uploads %s", dot.APIServer, dot.UploadServer)
	}
	// github.com uses two hosts at the root; the emulator folds the upload host
	// onto "/uploads" of its one host, and serves the API at the root.
	if emulator.DotCom.APIPrefix() != dot.APIServer.Path {
		t.Errorf("emulator github.com API prefix %q, description %q", emulator.DotCom.APIPrefix(), dot.APIServer.Path)
	}
	ghes := mustSpec(t, GHES)
	if ghes.APIServer.Path != emulator.GHES.APIPrefix() {
		t.Errorf("GHES API: description server %s, emulator prefix %q", ghes.APIServer, emulator.GHES.APIPrefix())
	}
	if ghes.UploadServer.Path != emulator.GHES.UploadPrefix() {
		t.Errorf("GHES uploads: description server %s, emulator prefix %q", ghes.UploadServer, emulator.GHES.UploadPrefix())
	}
	if ghes.APIServer.Host != ghes.UploadServer.Host {
		t.Errorf("GHES serves API and uploads from one host, the description says %s and %s", ghes.APIServer.Host, ghes.UploadServer.Host)
	}
}

// Each description patch must still answer a real gap of the published
// description; when GitHub fixes one, this fails and the exception can go.
func TestDescriptionGapsAreStillThere(t *testing.T) {
	t.Parallel()
	for _, d := range descriptions {
		raw, err := RawDescription(d.name)
		if err != nil {
			t.Fatal(err)
		}
		if got := UploadMediaTypes(raw); !slices.Equal(got, []string{"application/octet-stream"}) {
			t.Errorf("%s: upload media types %v: %s may be obsolete", d.name, got, ExceptionUploadContentType)
		}
		if got := AssetStates(raw); len(got) == 0 || slices.Contains(got, "starter") {
			t.Errorf("%s: asset states %v: %s may be obsolete", d.name, got, ExceptionAssetStateStarter)
		}
		get := mapAt(raw, "paths", releasesPaths+"/assets/{asset_id}", "get", "responses", "200", "content")
		if _, ok := get["application/octet-stream"]; ok || get["application/json"] == nil {
			t.Errorf("%s: get-release-asset 200 media types %v: %s may be obsolete", d.name, keys(get), ExceptionDownloadBytes)
		}
		req, _ := mapAt(raw, "components", "schemas", "release-asset")["required"].([]any)
		if !slices.Contains(req, any("digest")) {
			t.Errorf("%s: release-asset no longer requires digest: %s may be obsolete", d.name, ExceptionRecordedAssetDigest)
		}
	}
}

func keys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
