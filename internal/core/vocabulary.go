package core

import (
	"strconv"
	"strings"
)

// Vocabulary names an input in the words of the person who set it. A workflow
// sets inputs (`input "max_parallel"`, `overwrite: false`, `${{ github.token }}`);
// a terminal sets flags (`--max-parallel`, `--overwrite=false`) and environment
// variables. Every message of the parser, and of the packages after it, names an
// input through the run's Vocabulary rather than spelling it out, so no message
// is rewritten after the fact.
type Vocabulary struct {
	// Flags is set outside a workflow (GITHUB_ACTIONS is not "true"), where the
	// binary's flags, named after the inputs, set them.
	Flags bool
}

// Flag is the command-line flag of an input: "max_parallel" is --max-parallel.
func Flag(input string) string { return "--" + strings.ReplaceAll(input, "_", "-") }

// Input names an input as the subject of a message: `input "max_parallel"`, or
// `--max-parallel`.
func (v Vocabulary) Input(name string) string {
	if v.Flags {
		return Flag(name)
	}
	return "input " + strconv.Quote(name)
}

// Inputs names two inputs together: `inputs "body" and "body_path"`, or
// `--body and --body-path`.
func (v Vocabulary) Inputs(a, b string) string {
	if v.Flags {
		return Flag(a) + " and " + Flag(b)
	}
	return "inputs " + strconv.Quote(a) + " and " + strconv.Quote(b)
}

// Ref names an input inside a sentence: `"files"`, or `--files`.
func (v Vocabulary) Ref(name string) string {
	if v.Flags {
		return Flag(name)
	}
	return strconv.Quote(name)
}

// InputSet is an input with a value as the subject of a message:
// `input "make_latest": true`, or `--make-latest=true`.
func (v Vocabulary) InputSet(name, value string) string {
	if v.Flags {
		return Flag(name) + "=" + value
	}
	return v.Input(name) + ": " + value
}

// Set is an input with a value, as the user would write it: `overwrite: false`,
// or `--overwrite=false`.
func (v Vocabulary) Set(name, value string) string {
	if v.Flags {
		return Flag(name) + "=" + value
	}
	return name + ": " + value
}

// TokenSources says where a token comes from: the input (with its default) in a
// workflow, the environment variables in a terminal, where there is no flag for
// it (other users of the machine could read it in the process list).
func (v Vocabulary) TokenSources() string {
	if v.Flags {
		return "set GITHUB_TOKEN or GH_TOKEN to a token that can write the repository's contents"
	}
	return "set it (the default is ${{ github.token }}), or set GITHUB_TOKEN or GH_TOKEN"
}

// Token names the token: an input in a workflow; in a terminal, where no flag
// sets it, what it is.
func (v Vocabulary) Token() string {
	if v.Flags {
		return "the token"
	}
	return v.Input("token")
}

// TokenInput names INPUT_TOKEN as where a token came from: the input in a
// workflow; in a terminal, where no flag sets it, the variable.
func (v Vocabulary) TokenInput() string {
	if v.Flags {
		return "INPUT_TOKEN"
	}
	return v.Input("token")
}

// TagHint says how to give a tag when there is none.
func (v Vocabulary) TagHint() string {
	if v.Flags {
		return "give one, such as --tag v1.2.3"
	}
	return "set it, or run the workflow on a tag push"
}
