package inputs

import (
	"strings"
	"testing"
)

// FuzzParse feeds arbitrary values to every input. Parse must never panic, must
// return exactly one of a Config and an error, and must never show the token.
func FuzzParse(f *testing.F) {
	f.Add("v1", "o/r", "a,b#c", "true", "4", "SUMS", "https://api.github.com", "x")
	f.Add("", "", "", "", "", "", "", "")
	f.Add("a..b", "-o/.", "!x#y", "yes", "0", "..", "ftp://x", "\x00")
	f.Add("v1", "o/r", "[", "TRUE", "33", "a/b", "http://127.0.0.1:1/api/v3", "tok en")
	f.Fuzz(func(t *testing.T, tag, repo, files, boolean, parallel, checksums, apiURL, tokenSuffix string) {
		// A recognisable prefix, so that the check below cannot be fooled by a token
		// that happens to equal a word of some message.
		token := "ghp_FUZZsecret_" + tokenSuffix
		others := []string{tag, repo, files, boolean, parallel, checksums, apiURL}
		m := map[string]string{
			"INPUT_TOKEN":               token,
			"INPUT_TAG":                 tag,
			"INPUT_REPOSITORY":          repo,
			"INPUT_FILES":               files,
			"INPUT_DRAFT":               boolean,
			"INPUT_PRERELEASE":          boolean,
			"INPUT_DELETE_OTHER_ASSETS": boolean,
			"INPUT_MAKE_LATEST":         boolean,
			"INPUT_MAX_PARALLEL":        parallel,
			"INPUT_CHECKSUMS":           checksums,
			"GITHUB_API_URL":            apiURL,
			"GITHUB_SERVER_URL":         apiURL,
			"GITHUB_ACTIONS":            boolean,
			"GITHUB_OUTPUT":             checksums,
		}
		c, err := ParseAll(env(m))
		if c == nil {
			t.Fatalf("ParseAll returned no Config (error %v)", err)
		}
		if err == nil {
			if c.MaxParallel < 1 || c.MaxParallel > 32 || c.WorkingDirectory == "" || c.APIURL == "" || c.UploadURL == "" {
				t.Errorf("accepted an invalid Config %+v", c)
			}
			return
		}
		secret := strings.TrimSpace(token)
		for _, o := range others {
			if strings.Contains(o, secret) {
				return // the same text was given elsewhere, where quoting it is fair
			}
		}
		if strings.Contains(err.Error(), secret) {
			t.Errorf("error shows the token:\n%s", err)
		}
	})
}
