package inputs

import (
	"strings"

	"github.com/releasekit/release-action/internal/core"
)

// complete reads expected_assets and verify: the set of assets a release must
// hold before it is published (fan-in from matrix jobs), and what is checked
// after the publish. The patterns themselves are checked against GitHub's
// naming in internal/app (assets.ParseExpected), where the asset names are
// known; here the combinations that can never work are refused.
func (p *parser) complete(c *Config) {
	for _, e := range splitEntries(p.input("expected_assets")) {
		if e = strings.TrimSpace(e); e != "" {
			c.ExpectedAssets = append(c.ExpectedAssets, e)
		}
	}
	switch v := strings.ToLower(p.input("verify")); v {
	case "", "false":
		c.Verify = core.VerifyOff
	case core.VerifyRelease, core.VerifyDownload:
		c.Verify = v
	default:
		p.fail("%s: %s is not one of false, true or download", p.words.Input("verify"), quote(p.input("verify")))
	}
	if c.Draft && len(c.ExpectedAssets) > 0 {
		p.fail("%s decides when the draft is published, and %s never publishes it; leave one of them unset", p.words.Input("expected_assets"), p.words.Set("draft", "true"))
	}
	if c.Draft && c.Verify != core.VerifyOff {
		p.fail("%s checks the published release, and %s publishes nothing (a draft's assets are not served to anonymous downloads); leave one of them unset", p.words.InputSet("verify", c.Verify), p.words.Set("draft", "true"))
	}
}
