package inputs

import (
	"strings"
	"testing"
)

func TestPruneAssets(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ glob, want, fail string }{
		{"", "", ""},
		{"app-*.zip", "app-*.zip", ""},
		{"nightly-?.tar.gz", "nightly-?.tar.gz", ""},
		{"app.zip", "", "no wildcard"},
		{"app-[.zip", "", "not a valid glob"},
	} {
		e := minimal()
		e["INPUT_PRUNE_ASSETS"] = c.glob
		got, err := ParseAll(env(e))
		if c.fail != "" {
			if err == nil || !strings.Contains(err.Error(), c.fail) || !strings.Contains(err.Error(), `"prune_assets"`) {
				t.Errorf("%q: error %v, want one naming the input and containing %q", c.glob, err, c.fail)
			}
			continue
		}
		if err != nil || got.PruneAssets != c.want {
			t.Errorf("%q: %v, PruneAssets %q, want %q", c.glob, err, got.PruneAssets, c.want)
		}
	}
}
