package publish

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/releasekit/release-action/internal/assets"
	"github.com/releasekit/release-action/internal/attest"
)

// Signer makes a build-provenance attestation (internal/attest.Signer).
type Signer interface {
	Sign(ctx context.Context, subjects []attest.Subject) (*attest.Attestation, error)
}

// AttestationStore is GitHub's attestations API; internal/ghclient implements
// it next to GitHub.
// https://docs.github.com/rest/repos/repos#create-an-attestation
type AttestationStore interface {
	// CreateAttestation stores a Sigstore bundle and returns its id.
	CreateAttestation(ctx context.Context, bundle []byte) (int64, error)
}

// ErrAttest matches a run that could not attest what it uploads: nothing was
// changed on the release (the signing and the storing come first), or, for
// the checksum list, the list was not written.
var ErrAttest = errors.New("attestation failed")

// attestFailure is an error that matches ErrAttest and reads as its own
// message, cause included (a second %w would make the cause a line apart).
type attestFailure struct{ err error }

func (e attestFailure) Error() string        { return e.err.Error() }
func (e attestFailure) Unwrap() error        { return e.err }
func (e attestFailure) Is(target error) bool { return target == ErrAttest }

func attestFailed(format string, args ...any) error {
	return attestFailure{fmt.Errorf(format, args...)}
}

// AttestationReport is the attestation of one asset in the assets output.
type AttestationReport struct {
	// ID and URL name the attestation this run stored; 0 and "" for an asset
	// kept with the bundle already beside it.
	ID  int64  `json:"id,omitempty"`
	URL string `json:"url,omitempty"`
	// Bundle is the name of the asset that holds the Sigstore bundle.
	Bundle string `json:"bundle"`
	// Kept is true when the bundle beside the kept asset already covered it.
	Kept bool `json:"kept,omitempty"`
}

// bundleName is the name of the bundle asset of the asset named name.
func bundleName(name string) string { return assets.GitHubName(name + attest.BundleSuffix) }

// attestPlan signs the build provenance of every asset the plan uploads or
// replaces, and of every asset it keeps without a bundle that covers it, and
// adds their bundles to the plan as assets of their own. It runs before any
// change: a signing service, the attestations API or a missing permission
// that fails leaves the release as it was. The signed digests are the files'
// as they are now; the upload checks that it sends exactly those bytes
// (UploadRequest.SHA256), so what is attested is what is uploaded.
func (r *run) attestPlan(ctx context.Context, rel *Release, plan *assetPlan) (*assetPlan, error) {
	if !r.j.Attest || plan.err != nil {
		return plan, nil
	}
	listed := map[string]*Asset{}
	for _, a := range plan.listed {
		listed[a.Name] = a
	}
	var subjects []attest.Subject
	var bundles []Local
	for _, s := range plan.steps {
		if s.Local == nil || s.Op == OpDelete {
			continue
		}
		if s.Op == OpKeep && !s.Rename {
			if kept, ok := r.keptBundle(ctx, listed[bundleName(s.Name)], s); ok {
				bundles = append(bundles, kept)
				continue
			}
		}
		if s.Local.SHA256 == "" {
			sum, _, err := hashLocal(s.Local)
			if err != nil {
				return nil, err
			}
			s.Local.SHA256 = sum
		}
		subjects = append(subjects, attest.Subject{Name: s.Name, SHA256: s.Local.SHA256})
	}
	if immutable(rel) {
		// Nothing can be added to it; checkImmutable has refused any upload.
		for _, s := range subjects {
			r.warn("release %s is immutable and %s has no bundle beside it that attests it; an immutable release cannot take one", r.j.Tag, s.Name)
		}
		return plan, nil
	}
	if len(subjects) > 0 {
		made, err := r.signAndStore(ctx, subjects)
		if err != nil {
			return nil, err
		}
		bundles = append(bundles, made...)
	}
	// The files as hashed above: their digests are what the uploads check.
	local := append(ownFiles(plan.local), bundles...)
	remote := r.planRemote(plan.listed)
	steps, err := MakePlan(remote, local, r.planOptions())
	p := &assetPlan{local: local, listed: plan.listed, steps: steps, err: err}
	r.makeRoom(p)
	return p, nil
}

// signAndStore signs one statement over subjects, stores it with GitHub, and
// returns one bundle asset per subject, all holding the same bundle (each
// asset's bundle sits beside it, as verifiers and OpenSSF Scorecard look for).
func (r *run) signAndStore(ctx context.Context, subjects []attest.Subject) ([]Local, error) {
	log := r.p.Log
	store, ok := r.p.GH.(AttestationStore)
	if r.p.Signer == nil || !ok {
		return nil, attestFailed("this client cannot sign or store attestations")
	}
	log.Infof("signing build provenance for %d asset(s)", len(subjects))
	att, err := r.p.Signer.Sign(ctx, subjects)
	if err != nil {
		return nil, attestFailed("sign the build provenance of %s (nothing was changed on the release): %w", subjectNames(subjects), err)
	}
	if r.p.TrustedRoot != nil {
		// What the services signed is checked before GitHub or the release
		// gets it: a certificate and a timestamp the trusted root vouches
		// for, this repository's workflow, the digest of the first subject.
		if _, err := attest.VerifyBundle(r.p.TrustedRoot, att.Bundle, attest.WorkflowIdentity(r.j.Repository), "sha256", subjects[0].SHA256); err != nil {
			return nil, attestFailed("the bundle the signing services made does not verify against the trusted root (nothing was changed on the release): %w", err)
		}
	}
	id, err := store.CreateAttestation(ctx, att.Bundle)
	if err != nil {
		return nil, attestFailed("store the attestation with GitHub (nothing was changed on the release): %w%s", err, permissionHint(err))
	}
	url := ""
	if r.j.AttestationsURL != "" {
		url = fmt.Sprintf("%s/%d", strings.TrimRight(r.j.AttestationsURL, "/"), id)
	}
	log.Infof("stored attestation %d for %s", id, subjectNames(subjects))
	path, err := r.tempFile(fmt.Sprintf("attestation-%d%s", id, attest.BundleSuffix), att.Bundle)
	if err != nil {
		return nil, attestFailed("%w", err)
	}
	sum := sha256.Sum256(att.Bundle)
	var out []Local
	for _, s := range subjects {
		name := s.Name + attest.BundleSuffix
		out = append(out, Local{
			File: assets.File{Path: path, Rel: name, Name: name, StoredName: assets.GitHubName(name),
				Size: int64(len(att.Bundle)), ContentType: "application/json"},
			SHA256: hex.EncodeToString(sum[:]), Generated: true, Attests: &s,
		})
		r.noteAttested(s.Name, AttestationReport{ID: id, URL: url, Bundle: assets.GitHubName(name)})
	}
	return out, nil
}

// keptBundle reports whether b, the bundle asset beside the kept asset of
// step s, attests s's content: build provenance from this repository whose
// subjects hold the asset's name and digest. When it does, it returns the
// bundle as a local that the plan keeps as it is.
func (r *run) keptBundle(ctx context.Context, b *Asset, s Step) (Local, bool) {
	if b == nil || (b.State != "" && b.State != "uploaded") || b.Size > attest.MaxBundleBytes || s.Remote == nil {
		return Local{}, false
	}
	data, err := r.readSmallAsset(ctx, b)
	if err != nil {
		r.p.Log.Infof("could not read %s (%v); %s is attested again", b.Name, err, s.Name)
		return Local{}, false
	}
	read, err := attest.ReadBundle(data)
	if err != nil || !read.Covers(r.j.Repository, s.Name, s.Remote.SHA256()) {
		r.p.Log.Infof("%s does not attest %s as it is now; it is attested again", b.Name, s.Name)
		return Local{}, false
	}
	sum := sha256.Sum256(data)
	r.noteAttested(s.Name, AttestationReport{Bundle: b.Name, Kept: true})
	return Local{File: assets.File{Rel: b.Name, Name: b.Name, StoredName: b.Name, Size: b.Size, ContentType: b.ContentType},
		SHA256: hex.EncodeToString(sum[:]), Generated: true, Attests: &attest.Subject{Name: s.Name, SHA256: s.Remote.SHA256()}}, true
}

func (r *run) noteAttested(name string, a AttestationReport) {
	if r.attested == nil {
		r.attested = map[string]AttestationReport{}
	}
	r.attested[name] = a
}

// readSmallAsset downloads an asset of at most MaxBundleBytes.
func (r *run) readSmallAsset(ctx context.Context, a *Asset) ([]byte, error) {
	rc, err := r.p.GH.DownloadAsset(ctx, a.ID, a.Size)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	var buf bytes.Buffer
	if _, err := io.Copy(&buf, io.LimitReader(rc, attest.MaxBundleBytes+1)); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// ownFiles are the locals that are the user's files, without the bundles an
// earlier attestPlan added.
func ownFiles(local []Local) []Local {
	var out []Local
	for _, l := range local {
		if !l.Generated {
			out = append(out, l)
		}
	}
	return out
}

func subjectNames(subjects []attest.Subject) string {
	names := make([]string, len(subjects))
	for i, s := range subjects {
		names[i] = s.Name
	}
	if len(names) > 5 {
		return fmt.Sprintf("%s and %d more", strings.Join(names[:5], ", "), len(names)-5)
	}
	return strings.Join(names, ", ")
}

// permissionHint adds the permissions block to a 403 from the attestations API.
func permissionHint(err error) string {
	var e *APIError
	if !errors.As(err, &e) || e.Status != 403 {
		return ""
	}
	return "\nthe job's token needs these permissions (the job's or the workflow's permissions block):\n" + PermissionsBlock
}

// PermissionsBlock is what a workflow needs for attest: true.
const PermissionsBlock = `  permissions:
    contents: write      # create the release and upload its assets
    id-token: write      # the OIDC token Sigstore certifies
    attestations: write  # store the attestations with GitHub`

// equivalent reports whether asset a, which another run put under l's name,
// holds what l would: the same bytes, or, for a bundle, another bundle of
// build provenance from this repository for the same asset and digest (two
// runs attesting the same file at once sign it twice, differently).
func (e *executor) equivalent(ctx context.Context, a *Asset, l *Local) bool {
	if sameContent(a, l) {
		return true
	}
	if l.Attests == nil || a.State != "uploaded" || a.Size > attest.MaxBundleBytes {
		return false
	}
	rc, err := e.gh.DownloadAsset(ctx, a.ID, a.Size)
	if err != nil {
		return false
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, attest.MaxBundleBytes+1))
	if err != nil {
		return false
	}
	read, err := attest.ReadBundle(data)
	return err == nil && read.Covers(e.repo, l.Attests.Name, l.Attests.SHA256)
}
