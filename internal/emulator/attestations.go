package emulator

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	intoto "github.com/in-toto/attestation/go/v1"
	"github.com/sigstore/sigstore-go/pkg/bundle"
	"google.golang.org/protobuf/encoding/protojson"
)

// GitHub's artifact attestations API.
// https://docs.github.com/rest/repos/attestations
const (
	RouteCreateAttestation = "create_attestation"
	RouteListAttestations  = "list_attestations"
	// RouteAttestationBundle serves an attestation's bundle_url (on the web
	// host, without credentials; GitHub's is a blob store).
	RouteAttestationBundle = "attestation_bundle"

	docsAttestations = "https://docs.github.com/rest/repos/attestations"

	// PredicateProvenance and PredicateRelease are the predicate types behind
	// gh's short names "provenance" and "release".
	PredicateProvenance = "https://slsa.dev/provenance/v1"
	PredicateRelease    = "https://in-toto.io/attestation/release/v0.2"

	inTotoPayloadType = "application/vnd.in-toto+json"
)

func init() {
	routeDocs[RouteCreateAttestation] = docsAttestations + "#create-an-attestation"
	routeDocs[RouteListAttestations] = docsAttestations + "#list-attestations"
}

// predicateNames are the short names gh sends as predicate_type.
var predicateNames = map[string]string{
	"provenance": PredicateProvenance,
	"release":    PredicateRelease,
	"sbom":       "https://spdx.dev/Document/v2.3",
}

// attestationRecord is one stored attestation.
type attestationRecord struct {
	id            int64
	repo          *repoState
	bundle        json.RawMessage // compact JSON, as posted
	predicateType string
	initiator     string    // "user" (the API) or "github" (release attestations)
	visible       time.Time // hidden from reads until then
	digests       []string  // "alg:hex" of every subject
}

// attestationStore holds the attestations; it is guarded by Server.mu.
type attestationStore struct {
	seq      int64
	byID     map[int64]*attestationRecord
	byDigest map[string][]*attestationRecord // by lower-cased "owner/name" + " " + "alg:hex"
}

func digestKey(r *repoState, digest string) string {
	return strings.ToLower(r.fullName()) + " " + strings.ToLower(digest)
}

// add stores an attestation, indexed by each subject digest; it must hold s.mu.
func (s *Server) addAttestation(rec *attestationRecord) int64 {
	st := &s.attest
	if st.byID == nil {
		st.byID = map[int64]*attestationRecord{}
		st.byDigest = map[string][]*attestationRecord{}
	}
	st.seq++
	rec.id = st.seq
	st.byID[rec.id] = rec
	for _, d := range rec.digests {
		k := digestKey(rec.repo, d)
		st.byDigest[k] = append(st.byDigest[k], rec)
	}
	return rec.id
}

// parseAttestation checks that raw is a Sigstore bundle whose content is a
// DSSE envelope of an in-toto statement, and returns its predicate type and
// subject digests ("alg:hex").
func parseAttestation(raw []byte) (predicateType string, digests []string, err error) {
	var b bundle.Bundle
	if err := b.UnmarshalJSON(raw); err != nil {
		return "", nil, fmt.Errorf("the bundle is not a Sigstore bundle: %v", err)
	}
	env := b.GetDsseEnvelope()
	if env == nil {
		return "", nil, fmt.Errorf("the bundle holds no DSSE envelope")
	}
	if env.GetPayloadType() != inTotoPayloadType {
		return "", nil, fmt.Errorf("the envelope's payload type is %q, not %q", env.GetPayloadType(), inTotoPayloadType)
	}
	var st intoto.Statement
	if err := protojson.Unmarshal(env.GetPayload(), &st); err != nil {
		return "", nil, fmt.Errorf("the payload is not an in-toto statement: %v", err)
	}
	if err := st.Validate(); err != nil {
		return "", nil, fmt.Errorf("the in-toto statement is invalid: %v", err)
	}
	for _, sub := range st.GetSubject() {
		for alg, h := range sub.GetDigest() {
			digests = append(digests, strings.ToLower(alg)+":"+strings.ToLower(h))
		}
	}
	sort.Strings(digests)
	return st.GetPredicateType(), digests, nil
}

// createAttestation serves POST /repos/{o}/{r}/attestations, body {"bundle": {...}}:
// 201 {"id": N}. A bundle that is not a DSSE in-toto statement is 422; a token
// without attestations: write is 403.
func (s *Server) createAttestation(w http.ResponseWriter, r *http.Request, rt route) {
	doc := routeDocs[rt.name]
	if s.opts.NoAttestationsToken != "" && credential(r) == s.opts.NoAttestationsToken {
		w.Header().Set("X-Accepted-GitHub-Permissions", "attestations=write")
		writeError(w, &apiError{status: http.StatusForbidden, message: "Resource not accessible by integration", docURL: doc})
		return
	}
	var in struct {
		Bundle json.RawMessage `json:"bundle"`
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 16<<20))
	if err == nil {
		err = json.Unmarshal(body, &in)
	}
	if err != nil {
		writeError(w, &apiError{status: http.StatusBadRequest, message: "Problems parsing JSON", docURL: doc})
		return
	}
	if len(bytes.TrimSpace(in.Bundle)) == 0 || bytes.Equal(bytes.TrimSpace(in.Bundle), []byte("null")) {
		writeError(w, errValidation(doc, fieldError{Resource: "Attestation", Code: "missing_field", Field: "bundle"}))
		return
	}
	predicate, digests, perr := parseAttestation(in.Bundle)
	if perr != nil {
		writeError(w, errUnprocessable(doc, perr.Error()))
		return
	}
	var compact bytes.Buffer
	_ = json.Compact(&compact, in.Bundle) // valid: it parsed above
	s.mu.Lock()
	repo, apiErr := s.findRepo(rt)
	var id int64
	if apiErr == nil {
		id = s.addAttestation(&attestationRecord{
			repo: repo, bundle: compact.Bytes(), predicateType: predicate,
			initiator: "user", digests: digests, visible: s.clock(),
		})
	}
	s.mu.Unlock()
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]int64{"id": id})
}

// credential is the request's token ("Bearer X" or "token X").
func credential(r *http.Request) string {
	_, cred, _ := strings.Cut(strings.TrimSpace(r.Header.Get("Authorization")), " ")
	return strings.TrimSpace(cred)
}

// attestationJSON is one entry of the list answer.
type attestationJSON struct {
	Bundle       json.RawMessage `json:"bundle"`
	RepositoryID int64           `json:"repository_id"`
	BundleURL    string          `json:"bundle_url"`
	Initiator    string          `json:"initiator"`
}

// validDigest reports whether d is "alg:hex" with a known algorithm's length.
func validDigest(d string) bool {
	alg, h, ok := strings.Cut(d, ":")
	size := map[string]int{"sha1": 20, "sha256": 32, "sha384": 48, "sha512": 64}[strings.ToLower(alg)]
	if !ok || size == 0 || len(h) != 2*size {
		return false
	}
	_, err := hex.DecodeString(h)
	return err == nil
}

// listAttestations serves GET /repos/{o}/{r}/attestations/{subject_digest}
// with predicate_type (a URI or gh's short names) and per_page (default 30,
// at most 100): {"attestations": [...]}, oldest first, empty when none.
func (s *Server) listAttestations(w http.ResponseWriter, r *http.Request, rt route) {
	doc := routeDocs[rt.name]
	digest := r.PathValue("digest")
	if !validDigest(digest) {
		writeError(w, errUnprocessable(doc, fmt.Sprintf("subject_digest %q is not ALGORITHM:HEX (sha256:..., sha1:...)", digest)))
		return
	}
	q := r.URL.Query()
	predicate := q.Get("predicate_type")
	if full, ok := predicateNames[predicate]; ok {
		predicate = full
	}
	perPage := 30
	if v := q.Get("per_page"); v != "" {
		if n, err := strconv.Atoi(v); err == nil && n > 0 {
			perPage = min(n, 100)
		}
	}
	u := s.urlsFor(r.Host)
	out := struct {
		Attestations []attestationJSON `json:"attestations"`
	}{Attestations: []attestationJSON{}}
	s.mu.Lock()
	repo, apiErr := s.findRepo(rt)
	if apiErr == nil {
		repoID, _ := s.databaseIDs(repo.fullName())
		now := s.clock()
		for _, rec := range s.attest.byDigest[digestKey(repo, digest)] {
			if now.Before(rec.visible) || predicate != "" && rec.predicateType != predicate {
				continue
			}
			if len(out.Attestations) == perPage {
				break
			}
			out.Attestations = append(out.Attestations, attestationJSON{
				Bundle:       rec.bundle,
				RepositoryID: repoID,
				BundleURL:    u.web + "/_attestations/" + strconv.FormatInt(rec.id, 10),
				Initiator:    rec.initiator,
			})
		}
	}
	s.mu.Unlock()
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// attestationBundle serves GET /_attestations/{id}: the bundle JSON (GitHub
// serves it snappy-compressed from a blob store; clients use it only when the
// list answer has no bundle, which the emulator's always has).
func (s *Server) attestationBundle(w http.ResponseWriter, r *http.Request, _ route) {
	id, ok := parseID(r.PathValue("id"))
	s.mu.Lock()
	var rec *attestationRecord
	if ok {
		rec = s.attest.byID[id]
	}
	visible := rec != nil && !s.clock().Before(rec.visible)
	s.mu.Unlock()
	if !visible {
		writeError(w, errNotFound(docsAttestations))
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(rec.bundle)
}

// Attestations returns the stored bundles of repo for digest ("sha256:..."),
// visible or not yet, oldest first: for tests.
func (s *Server) Attestations(repo, digest string) []json.RawMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.mustRepo(repo)
	var out []json.RawMessage
	for _, rec := range s.attest.byDigest[digestKey(r, digest)] {
		out = append(out, rec.bundle)
	}
	return out
}

// clock is the server's time without truncation (Options.Now when set).
func (s *Server) clock() time.Time {
	if s.opts.Now != nil {
		return s.opts.Now()
	}
	return time.Now()
}
