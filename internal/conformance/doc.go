// Package conformance checks the action's HTTP traffic against GitHub's own
// published description of the REST API, and replays real recordings of GitHub
// against the client.
//
// Nothing from GitHub is committed here. The descriptions come from the npm
// package @octokit/openapi and the recordings from @octokit/fixtures, both pinned
// to exact versions in conformance/package.json (and package-lock.json) at the
// repository root; `npm ci --prefix conformance` installs them, and scripts/test
// does that before running the Go tests. Without them the tests fail and say so.
//
// A Validator is an http.Handler that wraps the emulator (or any handler): every
// request is checked with kin-openapi's openapi3filter.ValidateRequest before the
// handler sees it, every answer with ValidateResponse, and each disagreement is
// kept as a Violation. Where the published description is known to be narrower
// than what GitHub really does, the difference is an explicit, named exception
// (see exceptions.go); nothing else is relaxed.
package conformance
