module github.com/releasekit/release-action

go 1.26.8

require (
	github.com/bmatcuk/doublestar/v4 v4.10.4
	github.com/google/go-github/v66 v66.0.0
	github.com/sethvargo/go-githubactions v1.3.2
	golang.org/x/sync v0.24.0
)

require (
	github.com/getkin/kin-openapi v0.152.0 // indirect
	github.com/google/go-querystring v1.1.0 // indirect
	github.com/moby/buildkit v0.34.2 // indirect
)
