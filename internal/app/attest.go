package app

import (
	"fmt"
	"strings"

	"github.com/sigstore/sigstore-go/pkg/root"

	"github.com/releasekit/release-action/internal/assets"
	"github.com/releasekit/release-action/internal/attest"
	"github.com/releasekit/release-action/internal/inputs"
	"github.com/releasekit/release-action/internal/publish"
)

// newSigner builds the signer of attest: true from the parsed inputs, reading
// a signing config file when sigstore names one; nil when attest is off.
// Its errors are bad input: nothing has been sent anywhere yet.
func newSigner(cfg *inputs.Config) (publish.Signer, error) {
	if !cfg.Attest {
		return nil, nil
	}
	a := cfg.Attestation
	var inst attest.Instance
	var err error
	switch a.Sigstore {
	case "":
		return nil, nil // the parser has said why
	case inputs.SigstorePublicGood:
		inst = attest.PublicGood()
	case inputs.SigstoreGitHub:
		inst, err = attest.GitHubInstance(cfg.ServerURL)
	default:
		inst, err = attest.InstanceFromFile(a.Sigstore)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w; give public-good, github, or the path of a Sigstore signing config (application/vnd.dev.sigstore.signingconfig.v0.2+json)", cfg.Words.Input("sigstore"), err)
	}
	return &attest.Signer{
		Instance:   inst,
		Tokens:     attest.TokenSource{URL: a.TokenURL, Bearer: a.TokenBearer},
		Repository: cfg.Owner + "/" + cfg.Repo,
		ServerURL:  cfg.ServerURL,
	}, nil
}

// trustedRoot loads the trusted_root input; nil when it is unset.
func trustedRoot(cfg *inputs.Config) (root.TrustedMaterial, error) {
	path := cfg.Attestation.TrustedRoot
	if path == "" {
		return nil, nil
	}
	tr, err := attest.LoadTrustedRoot(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w; give the path of the JSON file of a Sigstore trusted root", cfg.Words.Input("trusted_root"), err)
	}
	return tr, nil
}

// attestationsURL is the repository's attestations page, to which an id is
// appended.
func attestationsURL(cfg *inputs.Config) string {
	if !cfg.Attest {
		return ""
	}
	return strings.TrimRight(cfg.ServerURL, "/") + "/" + cfg.Owner + "/" + cfg.Repo + "/attestations"
}

// bundleCollisions refuses files whose asset names are the names attest gives
// the bundles of other files: one would overwrite the other.
func bundleCollisions(cfg *inputs.Config, files []assets.File) []error {
	if !cfg.Attest {
		return nil
	}
	names := map[string]bool{}
	for _, f := range files {
		names[f.StoredName] = true
	}
	if cfg.Checksums != "" {
		names[assets.GitHubName(cfg.Checksums)] = true
	}
	var errs []error
	w := cfg.Words
	for _, f := range files {
		if base, ok := strings.CutSuffix(f.StoredName, attest.BundleSuffix); ok && names[base] {
			errs = append(errs, fmt.Errorf("%s: %s (asset %s) has the name %s gives the bundle of asset %s; leave it out of %s, or leave %s unset",
				w.Input("files"), f.Rel, f.StoredName, w.Set("attest", "true"), base, w.Ref("files"), w.Ref("attest")))
		}
	}
	return errs
}
