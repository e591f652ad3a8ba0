package publish

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/releasekit/release-action/internal/assets"
)

// Release is the part of a GitHub release the action reads.
// https://docs.github.com/en/rest/releases/releases#get-a-release
type Release struct {
	ID              int64     `json:"id"`
	TagName         string    `json:"tag_name"`
	TargetCommitish string    `json:"target_commitish"`
	Name            string    `json:"name"`
	Body            string    `json:"body"`
	Draft           bool      `json:"draft"`
	Prerelease      bool      `json:"prerelease"`
	Immutable       bool      `json:"immutable"`
	HTMLURL         string    `json:"html_url"`
	UploadURL       string    `json:"upload_url"`
	TarballURL      string    `json:"tarball_url"`
	ZipballURL      string    `json:"zipball_url"`
	CreatedAt       time.Time `json:"created_at"`
	// Assets are the release's assets as a single-release answer carries them
	// (checked by the client like a listing); nil when the answer has none.
	Assets []*Asset `json:"-"`
}

// Asset is the part of a release asset the action reads.
// https://docs.github.com/en/rest/releases/assets#get-a-release-asset
type Asset struct {
	ID                 int64  `json:"id"`
	Name               string `json:"name"`
	Label              string `json:"label"`
	State              string `json:"state"` // "uploaded", or "starter"/"open" for a broken upload
	ContentType        string `json:"content_type"`
	Size               int64  `json:"size"`
	Digest             string `json:"digest"` // "sha256:<hex>", empty when GitHub has none
	URL                string `json:"url"`
	BrowserDownloadURL string `json:"browser_download_url"`
	// CreatedAt tells a dead run's temporary asset from a live one's (temps.go).
	CreatedAt time.Time `json:"created_at"`
}

// SHA256 returns the hex digest GitHub reports for the asset, or "" when it has none.
func (a *Asset) SHA256() string {
	hex, ok := strings.CutPrefix(a.Digest, "sha256:")
	if !ok {
		return ""
	}
	return strings.ToLower(hex)
}

// ReleaseFields are the writable fields of a release. A nil pointer leaves the field
// unchanged on update and absent on create, so old GHES versions that lack a field
// (make_latest, for one) never see it unless the user asked for it.
type ReleaseFields struct {
	TagName            *string `json:"tag_name,omitempty"`
	TargetCommitish    *string `json:"target_commitish,omitempty"`
	Name               *string `json:"name,omitempty"`
	Body               *string `json:"body,omitempty"`
	Draft              *bool   `json:"draft,omitempty"`
	Prerelease         *bool   `json:"prerelease,omitempty"`
	MakeLatest         *string `json:"make_latest,omitempty"`
	DiscussionCategory *string `json:"discussion_category_name,omitempty"`
}

// NotesRequest asks GitHub to generate release notes.
// https://docs.github.com/en/rest/releases/releases#generate-release-notes-content-for-a-release
type NotesRequest struct {
	TagName         string `json:"tag_name"`
	TargetCommitish string `json:"target_commitish,omitempty"`
	PreviousTagName string `json:"previous_tag_name,omitempty"`
	ConfigFilePath  string `json:"configuration_file_path,omitempty"`
}

// UploadRequest describes one asset upload. The adapter opens Path itself, so that
// every attempt streams the file from the start with an exact Content-Length, and
// hashes what it sends so it can check the digest GitHub reports.
type UploadRequest struct {
	Path        string
	Name        string
	Label       string
	ContentType string
	Size        int64
	// Identity is the file matched (assets.File.Identity): the adapter refuses
	// to send a file that is not that one, and follows a symbolic link at Path
	// only when the matched path was one. Zero: unknown, only the kind and the
	// size are checked, and no link is followed.
	Identity assets.Identity
	// SHA256, when set, is the hex digest the bytes must have: the digest the
	// plan decided on, and the one an attestation signed. The upload fails (and
	// leaves nothing) when the file's bytes differ.
	SHA256 string
	// Progress, when set, is called with the number of bytes just sent.
	Progress func(n int64)
}

// GitHub is what the publisher needs from the releases API. Every method retries
// transient failures itself (see internal/retry).
type GitHub interface {
	// ReleaseByTag returns the published release for tag, or an error matching
	// ErrNotFound. GitHub never returns drafts here.
	ReleaseByTag(ctx context.Context, tag string) (*Release, error)
	// ListReleases returns every release visible to the token, drafts included,
	// following pagination to the end.
	ListReleases(ctx context.Context) ([]*Release, error)
	GetRelease(ctx context.Context, id int64) (*Release, error)
	// LatestRelease returns the release GitHub marks as latest, or ErrNotFound.
	LatestRelease(ctx context.Context) (*Release, error)
	// CreateRelease creates a release. It is never sent twice blindly: when its
	// answer is lost, the error matches ErrAnswerLost and the release may exist.
	CreateRelease(ctx context.Context, f ReleaseFields) (*Release, error)
	UpdateRelease(ctx context.Context, id int64, f ReleaseFields) (*Release, error)
	DeleteRelease(ctx context.Context, id int64) error
	// GenerateNotes returns the body GitHub would write for the release.
	GenerateNotes(ctx context.Context, r NotesRequest) (string, error)

	ListAssets(ctx context.Context, releaseID int64) ([]*Asset, error)
	// UploadAsset streams a file to the release's upload_url. Before a retry it
	// deletes the broken ("starter") asset a failed attempt can leave, and when a
	// lost answer hid a complete upload, it returns that asset. It fails when the
	// digest GitHub reports differs from the sha256 of the bytes sent.
	UploadAsset(ctx context.Context, rel *Release, u UploadRequest) (*Asset, error)
	// GetAsset reads one asset of release releaseID by id: before a delete or
	// a rename, to check that it is still the asset the run planned on. An
	// answer about an asset of another release is an error.
	GetAsset(ctx context.Context, releaseID, assetID int64) (*Asset, error)
	// UpdateAsset renames an asset or changes its label; a nil pointer leaves it.
	UpdateAsset(ctx context.Context, assetID int64, name, label *string) (*Asset, error)
	DeleteAsset(ctx context.Context, assetID int64) error
	// DownloadAsset streams an asset's content (following GitHub's 302 to its
	// download host), which must be size bytes: the reader fails when the
	// answer is longer or shorter, and never reads more than size+1 bytes. The
	// caller closes the reader.
	DownloadAsset(ctx context.Context, assetID, size int64) (io.ReadCloser, error)

	GitRefs // tags and commits (gitapi.go)
	History // commits, their files and pull requests (history.go)
}

// ErrNotFound matches a 404 answer.
var ErrNotFound = errors.New("not found")

// ErrAnswerLost matches the failure of a request that must not be sent twice
// blindly (a create) whose answer was lost: a 5xx, a connection that broke or was
// cancelled after the request left, a success body that stalled or could not be
// read. The request may have taken effect; the caller finds out before it sends
// the request again.
var ErrAnswerLost = errors.New("answer lost")

// APIError is an answer from GitHub that was not a success.
// https://docs.github.com/en/rest/using-the-rest-api/troubleshooting-the-rest-api
type APIError struct {
	Method, URL string
	Status      int
	Message     string
	Errors      []FieldError
	// Retryable tells whether the failure is transient (5xx, 429, a secondary rate
	// limit, a dropped connection): the same request may succeed later.
	Retryable bool
}

// FieldError is one entry of a 422 answer's "errors" list.
type FieldError struct {
	Resource string `json:"resource"`
	Field    string `json:"field"`
	Code     string `json:"code"`
	Message  string `json:"message"`
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: %d", e.Method, e.URL, e.Status)
	if e.Message != "" {
		fmt.Fprintf(&b, " %s", e.Message)
	}
	for _, fe := range e.Errors {
		fmt.Fprintf(&b, " [%s.%s %s", fe.Resource, fe.Field, fe.Code)
		if fe.Message != "" {
			fmt.Fprintf(&b, ": %s", fe.Message)
		}
		b.WriteString("]")
	}
	return b.String()
}

// Is makes errors.Is(err, ErrNotFound) true for a 404.
func (e *APIError) Is(target error) bool { return target == ErrNotFound && e.Status == 404 }

// IsAlreadyExists reports whether err is GitHub's 422 for a duplicate: resource is
// "Release" (field "tag_name") or "ReleaseAsset" (field "name").
func IsAlreadyExists(err error, resource string) bool {
	var e *APIError
	if !errors.As(err, &e) || e.Status != 422 {
		return false
	}
	for _, fe := range e.Errors {
		if fe.Code == "already_exists" && (resource == "" || fe.Resource == resource) {
			return true
		}
	}
	return false
}
