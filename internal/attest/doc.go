// Package attest signs build provenance for release assets with Sigstore, the
// way GitHub's artifact attestations are made: an in-toto statement whose
// predicate is SLSA build provenance (v1) of the GitHub Actions workflow build
// type, wrapped in DSSE and signed keylessly. The job's OIDC token buys a
// short-lived certificate from Fulcio; a timestamp authority or a
// transparency log witnesses the signature; the result is a Sigstore bundle.
//
// Every piece of cryptography and every format comes from sigstore-go and the
// protobuf specifications it brings; this package decides what is signed,
// where the services are, and bounds every exchange with them in time and size.
package attest
