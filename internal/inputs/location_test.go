package inputs

import (
	"strings"
	"testing"
)

func TestLocation(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name                string
		apiURL, serverURL   string
		wantAPI, wantUpload string
		wantServer          string
	}{
		{
			name:       "github.com by default",
			wantAPI:    "https://api.github.com",
			wantUpload: "https://uploads.github.com",
			wantServer: "https://github.com",
		},
		{
			name:       "github.com explicit with trailing slash",
			apiURL:     "https://api.github.com/",
			serverURL:  "https://github.com/",
			wantAPI:    "https://api.github.com",
			wantUpload: "https://uploads.github.com",
			wantServer: "https://github.com",
		},
		{
			name:       "GitHub Enterprise Server",
			apiURL:     "https://ghes.example.com/api/v3",
			serverURL:  "https://ghes.example.com",
			wantAPI:    "https://ghes.example.com/api/v3",
			wantUpload: "https://ghes.example.com/api/uploads",
			wantServer: "https://ghes.example.com",
		},
		{
			name:       "GitHub Enterprise Server with port and trailing slashes",
			apiURL:     "https://ghes.example.com:8443/api/v3//",
			serverURL:  "https://ghes.example.com:8443",
			wantAPI:    "https://ghes.example.com:8443/api/v3",
			wantUpload: "https://ghes.example.com:8443/api/uploads",
			wantServer: "https://ghes.example.com:8443",
		},
		{
			name:       "GHE.com data residency",
			apiURL:     "https://api.acme.ghe.com",
			serverURL:  "https://acme.ghe.com",
			wantAPI:    "https://api.acme.ghe.com",
			wantUpload: "https://uploads.acme.ghe.com",
			wantServer: "https://acme.ghe.com",
		},
		{
			name:       "loopback emulator laid out like github.com: its releases' upload_url says where",
			apiURL:     "http://127.0.0.1:4567",
			serverURL:  "http://127.0.0.1:4567",
			wantAPI:    "http://127.0.0.1:4567",
			wantUpload: "http://127.0.0.1:4567/api/uploads",
			wantServer: "http://127.0.0.1:4567",
		},
		{
			name:       "loopback emulator laid out like GHES",
			apiURL:     "http://127.0.0.1:4567/api/v3",
			serverURL:  "http://127.0.0.1:4567",
			wantAPI:    "http://127.0.0.1:4567/api/v3",
			wantUpload: "http://127.0.0.1:4567/api/uploads",
			wantServer: "http://127.0.0.1:4567",
		},
		{
			name:       "IPv6 loopback",
			apiURL:     "http://[::1]:4567/",
			wantAPI:    "http://[::1]:4567",
			wantUpload: "http://[::1]:4567/api/uploads",
			wantServer: "https://github.com",
		},
		{
			name:       "localhost",
			apiURL:     "http://localhost:8080",
			wantAPI:    "http://localhost:8080",
			wantUpload: "http://localhost:8080/api/uploads",
			wantServer: "https://github.com",
		},
		{
			name:       "other host",
			apiURL:     "https://github.internal.example/some/path",
			wantAPI:    "https://github.internal.example/some/path",
			wantUpload: "https://github.internal.example/api/uploads",
			wantServer: "https://github.com",
		},
		{
			name:       "a ghe.com look-alike is not GHE.com",
			apiURL:     "https://api.a.b.ghe.com",
			wantAPI:    "https://api.a.b.ghe.com",
			wantUpload: "https://api.a.b.ghe.com/api/uploads",
			wantServer: "https://github.com",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := with(minimal(), "GITHUB_API_URL", tt.apiURL, "GITHUB_SERVER_URL", tt.serverURL)
			c, err := ParseAll(env(m))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if c.APIURL != tt.wantAPI || c.UploadURL != tt.wantUpload || c.ServerURL != tt.wantServer {
				t.Errorf("got API %q upload %q server %q\nwant API %q upload %q server %q",
					c.APIURL, c.UploadURL, c.ServerURL, tt.wantAPI, tt.wantUpload, tt.wantServer)
			}
		})
	}
}

// TestNoHostIsSpecial: the upload URL follows from the API URL's shape alone;
// only github.com and GHE.com, whose upload hosts are other hosts, are named.
// A loopback or private host derives what any other host does, so the
// emulator is reached through the rules GitHub Enterprise Server is.
func TestNoHostIsSpecial(t *testing.T) {
	t.Parallel()
	hosts := []string{"127.0.0.1:4567", "[::1]:4567", "localhost:8080", "10.0.0.7", "ghes.example.com", "github.internal.example:8443"}
	paths := []string{"", "/", "/api/v3", "/api/v3/", "/prefix/api/v3", "/some/path"}
	for _, scheme := range []string{"http", "https"} {
		for _, path := range paths {
			ref := ""
			for _, host := range hosts {
				api, err := baseURL("GITHUB_API_URL", scheme+"://"+host+path, "https://api.github.com")
				if err != nil {
					t.Fatal(err)
				}
				got := uploadURL(api)
				origin := scheme + "://" + host
				rel, ok := strings.CutPrefix(got, origin)
				if !ok {
					t.Errorf("%s%s: upload URL %s is on another origin", origin, path, got)
					continue
				}
				if ref == "" {
					ref = rel
				} else if rel != ref {
					t.Errorf("%s%s: upload path %q, but %q for %s%s", origin, path, rel, ref, hosts[0], path)
				}
			}
		}
	}
}
