package inputs

import (
	"path"
	"strconv"
	"strings"
)

// channel reads prune_tags and keep_latest, the retention of a channel: the
// releases whose tags match the glob, of which the newest keep_latest stay
// after a publish. Every combination that could delete more than the user
// meant is refused here, before any request: the invariant is that the glob
// names a set of tags (it has a wildcard) that holds the tag being published,
// and that a count of at least one goes with it.
func (p *parser) channel(c *Config) {
	glob, keep := p.input("prune_tags"), p.input("keep_latest")
	if keep != "" {
		n, err := strconv.Atoi(keep)
		if err != nil || n < 1 {
			p.fail("%s: %s is not a whole number of at least 1; it is how many releases of the channel stay, the one just published included", p.words.Input("keep_latest"), quote(keep))
		} else {
			c.KeepLatest = n
		}
	}
	switch {
	case glob == "" && keep == "":
		return
	case glob == "":
		p.fail("%s needs %s, the glob of the channel's tags (such as nightly-*): without it there is nothing to keep the latest of", p.words.Input("keep_latest"), p.words.Ref("prune_tags"))
		return
	case keep == "":
		p.fail("%s needs %s, how many of the channel's releases stay (at least 1): without a count, pruning could delete them all", p.words.Input("prune_tags"), p.words.Ref("keep_latest"))
	}
	if _, err := path.Match(glob, ""); err != nil {
		p.fail("%s: %s is not a valid glob (%v)", p.words.Input("prune_tags"), quote(glob), err)
		return
	}
	if !strings.ContainsAny(glob, `*?[`) {
		p.fail("%s: %s has no wildcard, so it names one tag, never a channel; use a pattern such as nightly-* that matches every build's tag", p.words.Input("prune_tags"), quote(glob))
		return
	}
	if strings.Trim(glob, `*?/`) == "" {
		p.fail("%s: %s matches every tag; name the channel with the fixed part its tags share, such as nightly-*", p.words.Input("prune_tags"), quote(glob))
		return
	}
	if c.Tag == "" {
		return // the tag is refused already; the channel cannot be checked against it
	}
	if ok, _ := path.Match(glob, c.Tag); !ok {
		p.fail("%s: %s does not match the tag being published, %s; pruning must stay inside the release's own channel, so the glob must match its tag (in it, * does not match a /)", p.words.Input("prune_tags"), quote(glob), quote(c.Tag))
		return
	}
	if c.KeepLatest < 1 {
		return // refused above
	}
	if c.Draft {
		p.fail("%s prunes after a publish, and %s publishes nothing; leave one of them unset", p.words.Input("prune_tags"), p.words.Set("draft", "true"))
		return
	}
	c.PruneTags = glob
}
