package emulator

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"time"

	"github.com/sigstore/sigstore-go/pkg/bundle"
	"github.com/sigstore/sigstore-go/pkg/sign"
)

// GitHub attests every release it makes immutable: an in-toto statement
// whose subjects are the tag's commit (by its purl) and every asset by sha256,
// signed with a certificate for https://dotcom.releases.github.com and a
// signed timestamp, stored in the attestations API with initiator "github".
// https://docs.github.com/code-security/supply-chain-security/understanding-your-software-supply-chain/immutable-releases

// releaseSigner is the certificate provider for GitHub's release key: the
// emulator's Fulcio intermediate issues it in-process.
type releaseSigner struct{ k *sigstoreKeys }

func (r releaseSigner) GetCertificate(_ context.Context, kp sign.Keypair, _ *sign.CertificateProviderOptions) ([]byte, error) {
	san, _ := url.Parse(ReleaseSignerSAN)
	return r.k.leaf(kp.GetPublicKey(), san, nil, time.Now()).Raw, nil
}

var _ sign.CertificateProvider = releaseSigner{}

// releaseStatement is the release attestation's statement for rel at commit;
// it must hold s.mu.
func (s *Server) releaseStatement(rel *releaseState, commit string) ([]byte, error) {
	full := rel.repo.fullName()
	purl := "pkg:github/" + full + "@" + rel.tag
	type subject struct {
		Name   string            `json:"name,omitempty"`
		URI    string            `json:"uri,omitempty"`
		Digest map[string]string `json:"digest"`
	}
	subjects := []subject{{URI: purl, Digest: map[string]string{"sha1": commit}}}
	for _, a := range rel.assets {
		if a.state == "uploaded" && a.sha256 != "" {
			subjects = append(subjects, subject{Name: a.name, Digest: map[string]string{"sha256": a.sha256}})
		}
	}
	repoID, ownerID := s.databaseIDs(full)
	return json.Marshal(map[string]any{
		"_type":         "https://in-toto.io/Statement/v1",
		"subject":       subjects,
		"predicateType": PredicateRelease,
		"predicate": map[string]string{
			"tag":          rel.tag,
			"repository":   full,
			"purl":         purl,
			"repositoryId": strconv.FormatInt(repoID, 10),
			"ownerId":      strconv.FormatInt(ownerID, 10),
			"databaseId":   strconv.FormatInt(rel.id, 10),
		},
	})
}

// attestRelease signs and stores rel's release attestation, visible from
// visible on; it must hold s.mu (the timestamp comes from the authority
// in-process, not through the server).
func (s *Server) attestRelease(rel *releaseState, visible time.Time) error {
	commit, ok := s.git.TagCommit(rel.repo.fullName(), rel.tag)
	if !ok {
		return fmt.Errorf("emulator: release %s has no tag commit", rel.tag)
	}
	statement, err := s.releaseStatement(rel, commit)
	if err != nil {
		return err
	}
	k := s.sigstore()
	kp, err := sign.NewEphemeralKeypair(nil)
	if err != nil {
		return err
	}
	pb, err := sign.Bundle(&sign.DSSEData{Data: statement, PayloadType: inTotoPayloadType}, kp, sign.BundleOptions{
		CertificateProvider:  releaseSigner{k},
		TimestampAuthorities: []*sign.TimestampAuthority{sign.NewTimestampAuthority(&sign.TimestampAuthorityOptions{URL: "http://tsa.invalid" + TimestampPath, Transport: localTSA{k}})},
	})
	if err != nil {
		return err
	}
	raw, err := (&bundle.Bundle{Bundle: pb}).MarshalJSON()
	if err != nil {
		return err
	}
	_, digests, err := parseAttestation(raw)
	if err != nil {
		return err
	}
	s.addAttestation(&attestationRecord{
		repo: rel.repo, bundle: oneLine(raw), predicateType: PredicateRelease,
		initiator: "github", digests: digests, visible: visible,
	})
	return nil
}
