package attest

import (
	"fmt"
	"net/url"
	"os"
	"strings"
	"time"

	prototrustroot "github.com/sigstore/protobuf-specs/gen/pb-go/trustroot/v1"
	"github.com/sigstore/sigstore-go/pkg/root"
)

// Instance names the Sigstore services that sign: the public-good instance
// (Fulcio and the Rekor log, for public repositories), GitHub's own (Fulcio
// and a timestamp authority, for private and internal ones), or any other a
// Sigstore signing config file describes (a private deployment, the project's
// emulator).
type Instance struct {
	Name   string // for messages: "public-good", "github" or the file's path
	Config *root.SigningConfig
}

// maxConfigBytes caps a signing config file: real ones are a few KiB.
const maxConfigBytes = 1 << 20

// since is the start of validity given to the built-in services.
var since = time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)

// PublicGood is Sigstore's public-good instance.
// https://github.com/actions/toolkit/tree/main/packages/attest (endpoints)
func PublicGood() Instance {
	sc, err := root.NewSigningConfig(root.SigningConfigMediaType02,
		[]root.Service{{URL: "https://fulcio.sigstore.dev", MajorAPIVersion: 1, ValidityPeriodStart: since, Operator: "sigstore.dev"}},
		nil,
		[]root.Service{{URL: "https://rekor.sigstore.dev", MajorAPIVersion: 1, ValidityPeriodStart: since, Operator: "sigstore.dev"}},
		root.ServiceConfiguration{Selector: prototrustroot.ServiceSelector_ANY},
		nil, root.ServiceConfiguration{Selector: prototrustroot.ServiceSelector_ANY})
	if err != nil {
		panic(err) // a constant configuration
	}
	return Instance{Name: "public-good", Config: sc}
}

// GitHubInstance is GitHub's Sigstore instance for the server at serverURL:
// fulcio.githubapp.com and timestamp.githubapp.com for github.com, and
// fulcio.HOST and timestamp.HOST for a GHE.com data-residency host.
func GitHubInstance(serverURL string) (Instance, error) {
	u, err := url.Parse(serverURL)
	if err != nil || u.Hostname() == "" {
		return Instance{}, fmt.Errorf("the server URL %q has no host", serverURL)
	}
	host := u.Hostname()
	switch {
	case host == "github.com":
		host = "githubapp.com"
	case strings.HasSuffix(host, ".ghe.com"):
	default:
		return Instance{}, fmt.Errorf("GitHub's Sigstore instance serves github.com and GHE.com, not %s", host)
	}
	sc, err := root.NewSigningConfig(root.SigningConfigMediaType02,
		[]root.Service{{URL: "https://fulcio." + host, MajorAPIVersion: 1, ValidityPeriodStart: since, Operator: host}},
		nil, nil, root.ServiceConfiguration{Selector: prototrustroot.ServiceSelector_ANY},
		[]root.Service{{URL: "https://timestamp." + host + "/api/v1/timestamp", MajorAPIVersion: 1, ValidityPeriodStart: since, Operator: host}},
		root.ServiceConfiguration{Selector: prototrustroot.ServiceSelector_ANY})
	if err != nil {
		return Instance{}, err
	}
	return Instance{Name: "github", Config: sc}, nil
}

// InstanceFromFile reads a Sigstore signing config
// (application/vnd.dev.sigstore.signingconfig.v0.2+json).
func InstanceFromFile(path string) (Instance, error) {
	data, err := readConfig(path, "a signing config")
	if err != nil {
		return Instance{}, err
	}
	sc, err := root.NewSigningConfigFromJSON(data)
	if err != nil {
		return Instance{}, fmt.Errorf("%s is not a Sigstore signing config: %w", path, err)
	}
	if len(sc.FulcioCertificateAuthorityURLs()) == 0 {
		return Instance{}, fmt.Errorf("%s names no certificate authority (caUrls)", path)
	}
	if len(sc.RekorLogURLs()) == 0 && len(sc.TimestampAuthorityURLs()) == 0 {
		return Instance{}, fmt.Errorf("%s names neither a transparency log (rekorTlogUrls) nor a timestamp authority (tsaUrls)", path)
	}
	return Instance{Name: path, Config: sc}, nil
}

// LoadTrustedRoot reads a Sigstore trusted root (trusted_root.json): the
// certificate authorities, timestamp authorities and logs whose signatures
// count.
func LoadTrustedRoot(path string) (root.TrustedMaterial, error) {
	data, err := readConfig(path, "a trusted root")
	if err != nil {
		return nil, err
	}
	tr, err := root.NewTrustedRootFromJSON(data)
	if err != nil {
		return nil, fmt.Errorf("%s is not a Sigstore trusted root: %w", path, err)
	}
	return tr, nil
}

// readConfig reads a regular file of at most maxConfigBytes.
func readConfig(path, what string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", path)
	}
	if st.Size() > maxConfigBytes {
		return nil, fmt.Errorf("%s is %d bytes, more than %s can be (%d)", path, st.Size(), what, maxConfigBytes)
	}
	buf := make([]byte, st.Size()+1)
	n, _ := readFull(f, buf)
	if n > int(st.Size()) {
		return nil, fmt.Errorf("%s grew while it was read", path)
	}
	return buf[:n], nil
}

func readFull(f *os.File, buf []byte) (int, error) {
	n := 0
	for n < len(buf) {
		m, err := f.Read(buf[n:])
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}
