// Package notes builds a release body from its parts: the user's own text, the
// changelog's section for the tag, the annotated tag's message and GitHub's
// generated notes. It is pure: callers read the files and call the API, and hand
// the text in.
//
// The composition rule (Compose) is the one place where the parts meet, in this
// order: body or body_path, then the changelog section, then the tag message,
// then the generated notes. A run always composes the body from these parts;
// it never starts from the release's existing body, so a re-run produces the
// same body instead of appending a second copy.
//
// Changelog sections are found with a CommonMark parser (goldmark) rather than
// by scanning lines: a "#" inside a fenced or indented code block, an HTML block
// or a block quote is not a heading, setext headings ("1.2.3" underlined with
// "---") are headings, and a link reference definition is only one where
// CommonMark says so (it cannot interrupt a paragraph). Hand-written scanners
// get each of these wrong in a different way.
package notes
