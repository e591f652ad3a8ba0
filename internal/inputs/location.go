package inputs

import (
	"fmt"
	"net/url"
	"strings"
)

func (p *parser) location() (api, upload, server string) {
	apiURL, err := baseURL("GITHUB_API_URL", p.env("GITHUB_API_URL"), "https://api.github.com")
	if err != nil {
		p.errs = append(p.errs, err)
	} else {
		api, upload = apiURL.String(), uploadURL(apiURL)
	}
	serverURL, err := baseURL("GITHUB_SERVER_URL", p.env("GITHUB_SERVER_URL"), "https://github.com")
	if err != nil {
		p.errs = append(p.errs, err)
	} else {
		server = serverURL.String()
	}
	return api, upload, server
}

// baseURL parses one of the runner's URL variables: an absolute http(s) URL with
// a host, returned without trailing slashes.
func baseURL(name, raw, def string) (*url.URL, error) {
	v := strings.TrimSpace(raw)
	if v == "" {
		v = def
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Opaque != "" {
		return nil, fmt.Errorf("%s %s is not an absolute http(s) URL with a host, such as %s", name, quote(v), def)
	}
	if u.User != nil || u.RawQuery != "" || u.ForceQuery || u.Fragment != "" {
		return nil, fmt.Errorf("%s %s must not carry credentials, a query or a fragment; use a plain base URL such as %s", name, quote(v), def)
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = strings.TrimRight(u.RawPath, "/")
	return u, nil
}

// uploadURL derives where release assets are uploaded from the API's base URL.
// https://docs.github.com/en/rest/releases/assets#upload-a-release-asset
//
//   - github.com: api.github.com → uploads.github.com
//   - GHE.com (data residency): api.SUB.ghe.com → uploads.SUB.ghe.com
//   - GitHub Enterprise Server: HOST/api/v3 → HOST/api/uploads
//   - anything else: ORIGIN/api/uploads
//
// The release's own upload_url, when there is one, takes precedence over this;
// the derived URL's origin is the one the token may go to for uploads. No host
// is special: the project's emulator on loopback is reached through these
// rules (its releases' upload_url, or its GHES layout) like any server.
func uploadURL(api *url.URL) string {
	host := strings.ToLower(api.Hostname())
	origin := api.Scheme + "://" + api.Host
	if prefix, ok := strings.CutSuffix(api.Path, "/api/v3"); ok {
		return origin + prefix + "/api/uploads"
	}
	if host == "api.github.com" || isGHECom(host) {
		return api.Scheme + "://uploads." + api.Host[len("api."):]
	}
	return origin + "/api/uploads"
}

// isGHECom reports whether host is api.SUBDOMAIN.ghe.com.
func isGHECom(host string) bool {
	sub, ok := strings.CutPrefix(host, "api.")
	if !ok {
		return false
	}
	sub, ok = strings.CutSuffix(sub, ".ghe.com")
	return ok && sub != "" && !strings.Contains(sub, ".")
}
