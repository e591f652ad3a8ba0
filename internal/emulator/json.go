package emulator

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"
)

// Release is a release as GitHub's REST API renders it.
// https://docs.github.com/en/rest/releases/releases#get-a-release
type Release struct {
	URL             string
	HTMLURL         string
	AssetsURL       string
	UploadURL       string
	TarballURL      string
	ZipballURL      string
	ID              int64
	NodeID          string
	TagName         string
	TargetCommitish string
	Name            string
	Body            string
	Draft           bool
	Prerelease      bool
	Immutable       bool
	CreatedAt       time.Time
	PublishedAt     time.Time // zero (null in JSON) for drafts
	Author          User
	Assets          []Asset
}

type releaseJSON struct {
	URL             string     `json:"url"`
	HTMLURL         string     `json:"html_url"`
	AssetsURL       string     `json:"assets_url"`
	UploadURL       string     `json:"upload_url"`
	TarballURL      string     `json:"tarball_url"`
	ZipballURL      string     `json:"zipball_url"`
	ID              int64      `json:"id"`
	NodeID          string     `json:"node_id"`
	TagName         string     `json:"tag_name"`
	TargetCommitish string     `json:"target_commitish"`
	Name            string     `json:"name"`
	Body            string     `json:"body"`
	Draft           bool       `json:"draft"`
	Prerelease      bool       `json:"prerelease"`
	Immutable       bool       `json:"immutable"`
	CreatedAt       time.Time  `json:"created_at"`
	PublishedAt     *time.Time `json:"published_at"`
	Author          User       `json:"author"`
	Assets          []Asset    `json:"assets"`
}

// MarshalJSON renders the release with GitHub's field names; published_at is null for drafts.
func (r Release) MarshalJSON() ([]byte, error) {
	j := releaseJSON{
		URL: r.URL, HTMLURL: r.HTMLURL, AssetsURL: r.AssetsURL, UploadURL: r.UploadURL,
		TarballURL: r.TarballURL, ZipballURL: r.ZipballURL, ID: r.ID, NodeID: r.NodeID,
		TagName: r.TagName, TargetCommitish: r.TargetCommitish, Name: r.Name, Body: r.Body,
		Draft: r.Draft, Prerelease: r.Prerelease, Immutable: r.Immutable,
		CreatedAt: r.CreatedAt, Author: r.Author, Assets: r.Assets,
	}
	if j.Assets == nil {
		j.Assets = []Asset{}
	}
	if !r.PublishedAt.IsZero() {
		t := r.PublishedAt
		j.PublishedAt = &t
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads a release rendered by MarshalJSON (or by GitHub).
func (r *Release) UnmarshalJSON(b []byte) error {
	var j releaseJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*r = Release{
		URL: j.URL, HTMLURL: j.HTMLURL, AssetsURL: j.AssetsURL, UploadURL: j.UploadURL,
		TarballURL: j.TarballURL, ZipballURL: j.ZipballURL, ID: j.ID, NodeID: j.NodeID,
		TagName: j.TagName, TargetCommitish: j.TargetCommitish, Name: j.Name, Body: j.Body,
		Draft: j.Draft, Prerelease: j.Prerelease, Immutable: j.Immutable,
		CreatedAt: j.CreatedAt, Author: j.Author, Assets: j.Assets,
	}
	if j.PublishedAt != nil {
		r.PublishedAt = *j.PublishedAt
	}
	return nil
}

// Asset is a release asset as GitHub's REST API renders it.
// https://docs.github.com/en/rest/releases/assets#get-a-release-asset
type Asset struct {
	URL                string
	BrowserDownloadURL string
	ID                 int64
	NodeID             string
	Name               string
	Label              string // "" is rendered as null
	State              string // "uploaded" or "starter"
	ContentType        string
	Size               int64
	Digest             string // "sha256:<hex>", "" (null in JSON) when unknown
	DownloadCount      int
	CreatedAt          time.Time
	UpdatedAt          time.Time
	Uploader           User
}

type assetJSON struct {
	URL                string    `json:"url"`
	BrowserDownloadURL string    `json:"browser_download_url"`
	ID                 int64     `json:"id"`
	NodeID             string    `json:"node_id"`
	Name               string    `json:"name"`
	Label              *string   `json:"label"`
	State              string    `json:"state"`
	ContentType        string    `json:"content_type"`
	Size               int64     `json:"size"`
	Digest             *string   `json:"digest"`
	DownloadCount      int       `json:"download_count"`
	CreatedAt          time.Time `json:"created_at"`
	UpdatedAt          time.Time `json:"updated_at"`
	Uploader           User      `json:"uploader"`
}

// MarshalJSON renders the asset with GitHub's field names; an empty label or digest is null.
func (a Asset) MarshalJSON() ([]byte, error) {
	j := assetJSON{
		URL: a.URL, BrowserDownloadURL: a.BrowserDownloadURL, ID: a.ID, NodeID: a.NodeID,
		Name: a.Name, State: a.State, ContentType: a.ContentType, Size: a.Size,
		DownloadCount: a.DownloadCount, CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt,
		Uploader: a.Uploader,
	}
	if a.Label != "" {
		l := a.Label
		j.Label = &l
	}
	if a.Digest != "" {
		d := a.Digest
		j.Digest = &d
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads an asset rendered by MarshalJSON (or by GitHub).
func (a *Asset) UnmarshalJSON(b []byte) error {
	var j assetJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*a = Asset{
		URL: j.URL, BrowserDownloadURL: j.BrowserDownloadURL, ID: j.ID, NodeID: j.NodeID,
		Name: j.Name, State: j.State, ContentType: j.ContentType, Size: j.Size,
		DownloadCount: j.DownloadCount, CreatedAt: j.CreatedAt, UpdatedAt: j.UpdatedAt,
		Uploader: j.Uploader,
	}
	if j.Label != nil {
		a.Label = *j.Label
	}
	if j.Digest != nil {
		a.Digest = *j.Digest
	}
	return nil
}

// User is GitHub's simple-user object, used for release authors and asset uploaders.
// https://docs.github.com/en/rest/users/users#get-a-user
type User struct {
	Login             string `json:"login"`
	ID                int64  `json:"id"`
	NodeID            string `json:"node_id"`
	AvatarURL         string `json:"avatar_url"`
	GravatarID        string `json:"gravatar_id"`
	URL               string `json:"url"`
	HTMLURL           string `json:"html_url"`
	FollowersURL      string `json:"followers_url"`
	FollowingURL      string `json:"following_url"`
	GistsURL          string `json:"gists_url"`
	StarredURL        string `json:"starred_url"`
	SubscriptionsURL  string `json:"subscriptions_url"`
	OrganizationsURL  string `json:"organizations_url"`
	ReposURL          string `json:"repos_url"`
	EventsURL         string `json:"events_url"`
	ReceivedEventsURL string `json:"received_events_url"`
	Type              string `json:"type"`
	SiteAdmin         bool   `json:"site_admin"`
}

// The emulator acts as the Actions bot, which is who creates releases in a workflow.
const (
	botLogin = "github-actions[bot]"
	botID    = 41898282
)

func botUser(u urls) User {
	api := u.api + "/users/" + botLogin
	return User{
		Login:             botLogin,
		ID:                botID,
		NodeID:            nodeID("Bot", botID),
		AvatarURL:         u.web + "/avatars/u/" + strconv.Itoa(botID) + "?v=4",
		URL:               api,
		HTMLURL:           u.web + "/apps/github-actions",
		FollowersURL:      api + "/followers",
		FollowingURL:      api + "/following{/other_user}",
		GistsURL:          api + "/gists{/gist_id}",
		StarredURL:        api + "/starred{/owner}{/repo}",
		SubscriptionsURL:  api + "/subscriptions",
		OrganizationsURL:  api + "/orgs",
		ReposURL:          api + "/repos",
		EventsURL:         api + "/events{/privacy}",
		ReceivedEventsURL: api + "/received_events",
		Type:              "Bot",
	}
}

// nodeID builds a legacy global node ID the way GitHub does ("MDc6UmVsZWFzZTE=" is
// "07:Release1").
func nodeID(typ string, id int64) string {
	raw := "0" + strconv.Itoa(len(typ)) + ":" + typ + strconv.FormatInt(id, 10)
	return base64.StdEncoding.EncodeToString([]byte(raw))
}

// fieldError is one entry of a 422 answer's "errors" list.
type fieldError struct {
	Resource string `json:"resource"`
	Code     string `json:"code"`
	Field    string `json:"field"`
	Message  string `json:"message,omitempty"`
}

// apiError is a non-success answer in GitHub's JSON error shape.
// https://docs.github.com/en/rest/using-the-rest-api/troubleshooting-the-rest-api
type apiError struct {
	status  int
	message string
	errors  []fieldError
	docURL  string
}

type errorJSON struct {
	Message          string       `json:"message"`
	Errors           []fieldError `json:"errors,omitempty"`
	DocumentationURL string       `json:"documentation_url"`
	Status           string       `json:"status"`
}

func errNotFound(doc string) *apiError {
	return &apiError{status: http.StatusNotFound, message: "Not Found", docURL: doc}
}

func errValidation(doc string, errs ...fieldError) *apiError {
	return &apiError{status: http.StatusUnprocessableEntity, message: "Validation Failed", errors: errs, docURL: doc}
}

func errAlreadyExists(doc, resource, field string) *apiError {
	return errValidation(doc, fieldError{Resource: resource, Code: "already_exists", Field: field})
}

// errUnprocessable is a 422 carrying only a message, as GitHub sends for rule violations.
func errUnprocessable(doc, msg string) *apiError {
	return &apiError{status: http.StatusUnprocessableEntity, message: msg, docURL: doc}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

func writeError(w http.ResponseWriter, e *apiError) {
	doc := e.docURL
	if doc == "" {
		doc = docsRoot
	}
	writeJSON(w, e.status, errorJSON{
		Message:          e.message,
		Errors:           e.errors,
		DocumentationURL: doc,
		Status:           strconv.Itoa(e.status),
	})
}

// maxJSONBody bounds a JSON request body; GitHub's own limits are far below it.
const maxJSONBody = 8 << 20

// object is a JSON request body decoded one level deep, so that each field's JSON
// type can be checked strictly (GitHub answers 422 for "draft":"yes").
type object struct {
	fields map[string]json.RawMessage
	doc    string
	res    string // resource name for 422 entries
}

// readObject decodes the request body as a JSON object; a malformed body is GitHub's
// 400 "Problems parsing JSON".
func readObject(r *http.Request, doc, resource string) (*object, *apiError) {
	b, err := io.ReadAll(io.LimitReader(r.Body, maxJSONBody))
	if err != nil {
		return nil, &apiError{status: http.StatusBadRequest, message: "Problems parsing JSON", docURL: doc}
	}
	o := &object{doc: doc, res: resource}
	if len(bytes.TrimSpace(b)) == 0 {
		o.fields = map[string]json.RawMessage{}
		return o, nil
	}
	if err := json.Unmarshal(b, &o.fields); err != nil || o.fields == nil {
		return nil, &apiError{status: http.StatusBadRequest, message: "Problems parsing JSON", docURL: doc}
	}
	return o, nil
}

// raw returns a field's JSON text; null counts as absent.
func (o *object) raw(name string) (json.RawMessage, bool) {
	v, ok := o.fields[name]
	if !ok || string(bytes.TrimSpace(v)) == "null" {
		return nil, false
	}
	return v, true
}

func (o *object) typeError(name string, v json.RawMessage, want string) *apiError {
	return &apiError{
		status:  http.StatusUnprocessableEntity,
		message: fmt.Sprintf("Invalid request.\n\nFor 'properties/%s', %s is not a %s.", name, bytes.TrimSpace(v), want),
		errors:  []fieldError{{Resource: o.res, Code: "invalid", Field: name}},
		docURL:  o.doc,
	}
}

// str reads an optional string field.
func (o *object) str(name string) (string, bool, *apiError) {
	v, ok := o.raw(name)
	if !ok {
		return "", false, nil
	}
	var s string
	if v[0] != '"' || json.Unmarshal(v, &s) != nil {
		return "", false, o.typeError(name, v, "string")
	}
	return s, true, nil
}

// boolean reads an optional boolean field.
func (o *object) boolean(name string) (bool, bool, *apiError) {
	v, ok := o.raw(name)
	if !ok {
		return false, false, nil
	}
	var b bool
	if json.Unmarshal(v, &b) != nil {
		return false, false, o.typeError(name, v, "boolean")
	}
	return b, true, nil
}

// enum reads an optional string field restricted to the given values.
func (o *object) enum(name string, values ...string) (string, bool, *apiError) {
	s, ok, err := o.str(name)
	if err != nil || !ok {
		return s, ok, err
	}
	for _, v := range values {
		if s == v {
			return s, true, nil
		}
	}
	list, _ := json.Marshal(values)
	return "", false, &apiError{
		status:  http.StatusUnprocessableEntity,
		message: fmt.Sprintf("Invalid request.\n\nFor 'properties/%s', %q is not a member of %s.", name, s, list),
		errors:  []fieldError{{Resource: o.res, Code: "invalid", Field: name}},
		docURL:  o.doc,
	}
}

// required reads a string field that must be present.
func (o *object) required(name string) (string, *apiError) {
	s, ok, err := o.str(name)
	if err != nil {
		return "", err
	}
	if !ok {
		return "", errMissingField(o.doc, o.res, name)
	}
	return s, nil
}

// errMissingField is GitHub's 422 for an absent required field.
func errMissingField(doc, resource, field string) *apiError {
	return &apiError{
		status:  http.StatusUnprocessableEntity,
		message: fmt.Sprintf("Invalid request.\n\n%q wasn't supplied.", field),
		errors:  []fieldError{{Resource: resource, Code: "missing_field", Field: field}},
		docURL:  doc,
	}
}
