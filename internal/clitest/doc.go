// Package clitest holds the tests that run the built release-action binary as a
// person would from a shell: flags, GITHUB_TOKEN, no GITHUB_ACTIONS, with stdout
// and stderr apart, and on a pseudo-terminal. It has no code of its own.
package clitest
