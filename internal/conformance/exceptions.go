package conformance

import (
	"errors"
	"fmt"
	"slices"
	"sort"
)

// Exception names. Each one is a place where GitHub's published description is
// narrower than what GitHub documents in prose or really does; each is as narrow
// as the gap, has a test proving the gap is still in the description (so a fixed
// description makes the test fail and the exception can go), and a test proving
// the validator still flags everything else around it.
const (
	// ExceptionUploadContentType: "Upload a release asset" lists only
	// application/octet-stream as the request body's media type, but the REST
	// docs say to send the asset's own media type in Content-Type, GitHub
	// accepts any, and stores it as the asset's content_type (the @octokit
	// fixtures recording uploads text/plain). Patched: the upload operation's
	// request body also accepts "*/*", with the same binary schema. Content-Type
	// must still be present (GitHub answers 400 without it), and only the upload
	// operation is affected.
	ExceptionUploadContentType = "upload-any-content-type"

	// ExceptionAssetStateStarter: the release-asset schema's state enum is
	// ["uploaded", "open"], but an upload that fails midway (a 502, a dropped
	// connection) leaves an asset in state "starter" that GitHub lists until it
	// is deleted; the docs name it. Patched: "starter" is added to that one enum;
	// any other unknown state is still a violation.
	ExceptionAssetStateStarter = "asset-state-starter"

	// ExceptionDownloadBytes: "Get a release asset" describes its 200 answer as
	// application/json (the asset's metadata) and 302 as the redirect, but with
	// "Accept: application/octet-stream" the docs say GitHub may also stream the
	// bytes itself: 200 with Content-Type application/octet-stream. Only that
	// combination (this operation, that Accept, that answer's media type, 200)
	// skips the body check; a JSON 200 is validated as usual.
	ExceptionDownloadBytes = "download-bytes"

	// ExceptionRecordedAssetDigest: the @octokit/fixtures recordings were made
	// in 2017, before GitHub added the asset "digest" field (2025); the current
	// description lists it as required (nullable). Only when validating a
	// recorded answer, an asset object that has no "digest" key gets
	// "digest": null, which is what GitHub renders for assets without one;
	// nothing else in a recording is changed. It never applies to live traffic.
	ExceptionRecordedAssetDigest = "recorded-asset-without-digest"
)

// Exceptions maps every exception name to its one-line reason, for reports.
var Exceptions = map[string]string{
	ExceptionUploadContentType:   "upload body lists only application/octet-stream; GitHub accepts any media type",
	ExceptionAssetStateStarter:   "release-asset state enum lacks \"starter\", the state a broken upload leaves",
	ExceptionDownloadBytes:       "get-release-asset with Accept: application/octet-stream may answer 200 with the bytes; only JSON and 302 are described",
	ExceptionRecordedAssetDigest: "2017 recordings predate the required (nullable) asset digest field",
}

// descriptionPatch changes the generic JSON of a description before it is
// parsed. apply fails when the description no longer has the gap it patches.
type descriptionPatch struct {
	name  string
	apply func(raw map[string]any) error
}

var descriptionPatches = []descriptionPatch{
	{ExceptionUploadContentType, patchUploadContentType},
	{ExceptionAssetStateStarter, patchAssetStateStarter},
}

// UploadOperationPath is the description's path of "Upload a release asset".
const UploadOperationPath = releasesPaths + "/{release_id}/assets"

// UploadMediaTypes returns the media types the (raw) description lists for the
// upload's request body, sorted.
func UploadMediaTypes(raw map[string]any) []string {
	content := mapAt(raw, "paths", UploadOperationPath, "post", "requestBody", "content")
	var out []string
	for k := range content {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func patchUploadContentType(raw map[string]any) error {
	content := mapAt(raw, "paths", UploadOperationPath, "post", "requestBody", "content")
	if got := UploadMediaTypes(raw); !slices.Equal(got, []string{"application/octet-stream"}) {
		return fmt.Errorf("upload media types are %v, expected only application/octet-stream", got)
	}
	content["*/*"] = content["application/octet-stream"]
	return nil
}

// AssetStates returns the (raw) description's enum for release-asset.state.
func AssetStates(raw map[string]any) []string {
	enum, _ := mapAt(raw, "components", "schemas", "release-asset", "properties", "state")["enum"].([]any)
	var out []string
	for _, v := range enum {
		s, _ := v.(string)
		out = append(out, s)
	}
	return out
}

func patchAssetStateStarter(raw map[string]any) error {
	state := mapAt(raw, "components", "schemas", "release-asset", "properties", "state")
	states := AssetStates(raw)
	switch {
	case len(states) == 0:
		return errors.New("release-asset.state has no enum")
	case slices.Contains(states, "starter"):
		return errors.New(`release-asset.state already allows "starter"`)
	}
	state["enum"] = append(state["enum"].([]any), "starter")
	return nil
}
