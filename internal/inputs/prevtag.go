package inputs

import "github.com/releasekit/release-action/internal/core"

// PreviousTagAuto is the value of previous_tag_prefix that derives the prefix
// from the tag.
const PreviousTagAuto = "auto"

// previousTagPrefix reads previous_tag_prefix: auto derives the prefix of the
// release's own tag (SplitVersion), anything else is the prefix itself, which
// the tag must have, followed by a SemVer version. It goes with generated
// notes only, and not with previous_tag, which names the tag outright.
func (p *parser) previousTagPrefix(c *Config) {
	v := p.notesInput(c, "previous_tag_prefix")
	switch {
	case v == "":
		return
	case c.PreviousTag != "":
		p.fail("%s are both set; %s names the previous tag itself, %s finds it among the tags with this tag's prefix: use one of them",
			p.words.Inputs("previous_tag", "previous_tag_prefix"), p.words.Ref("previous_tag"), p.words.Ref("previous_tag_prefix"))
		return
	case c.Tag == "":
		return // the tag's own problem is reported
	}
	if v == PreviousTagAuto {
		prefix, _, ok := core.SplitVersion(c.Tag)
		if !ok {
			p.fail("%s: tag %s does not end in a SemVer version (such as api/v1.2.0 or web-2.0.0), so no prefix can be derived from it; give the prefix instead",
				p.words.InputSet("previous_tag_prefix", PreviousTagAuto), quote(c.Tag))
			return
		}
		c.PreviousTagByPrefix, c.PreviousTagPrefix = true, prefix
		return
	}
	if !core.HasPrefixVersion(c.Tag, v) {
		p.fail("%s: tag %s is not %s followed by a SemVer version (such as %s), so the tags of that prefix cannot hold the previous one",
			p.words.Input("previous_tag_prefix"), quote(c.Tag), quote(v), quote(v+"1.2.0"))
		return
	}
	c.PreviousTagByPrefix, c.PreviousTagPrefix = true, v
}
