package inputs

import (
	"path"
	"strings"
)

// pruneAssets reads prune_assets, retention inside one release: a glob of
// asset names whose oldest matches are deleted when the release would
// otherwise pass GitHub's 1,000-asset cap. The invariant enforced here is that
// the glob names a set of assets (it has a wildcard) and is valid; which
// assets it may remove (only matched ones, never this run's files, oldest
// first, only as many as the cap needs) is decided in internal/publish.
func (p *parser) pruneAssets(c *Config) {
	glob := p.input("prune_assets")
	if glob == "" {
		return
	}
	if _, err := path.Match(glob, ""); err != nil {
		p.fail("%s: %s is not a valid glob (%v)", p.words.Input("prune_assets"), quote(glob), err)
		return
	}
	if !strings.ContainsAny(glob, `*?[`) {
		p.fail("%s: %s has no wildcard, so it names one asset, never a set to keep the newest of; use a pattern such as app-*.zip",
			p.words.Input("prune_assets"), quote(glob))
		return
	}
	c.PruneAssets = glob
}
