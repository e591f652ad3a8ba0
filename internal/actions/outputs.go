// Package actions speaks the GitHub Actions runner protocol: step outputs and the
// step summary (environment files), and workflow commands on stdout (masks, groups,
// annotations), with plain log lines when the program runs outside a workflow.
// https://docs.github.com/en/actions/using-workflows/workflow-commands-for-github-actions
package actions

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strings"
)

// Output is one step output.
type Output struct {
	Name, Value string
}

// WriteOutputs appends outs to the runner's GITHUB_OUTPUT file at path, each as
//
//	name<<DELIMITER
//	value
//	DELIMITER
//
// with a fresh random delimiter per value, so a value cannot end its own block
// and inject other outputs. (go-githubactions' SetOutput uses a fixed delimiter.)
// Everything is checked before anything is written, and the file gets one write.
func WriteOutputs(path string, outs []Output) error {
	return writeOutputs(path, outs, randomDelimiter)
}

func writeOutputs(path string, outs []Output, delimiter func() (string, error)) error {
	if path == "" {
		return errors.New("write outputs: no output file; GITHUB_OUTPUT is not set")
	}
	var b strings.Builder
	for _, o := range outs {
		if err := checkName(o.Name); err != nil {
			return err
		}
		d, err := delimiter()
		if err != nil {
			return err
		}
		if strings.Contains(o.Name, d) || strings.Contains(o.Value, d) {
			return fmt.Errorf("output %q: it contains the delimiter %q", o.Name, d)
		}
		fmt.Fprintf(&b, "%s<<%s\n%s\n%s\n", o.Name, d, o.Value, d)
	}
	if err := appendFile(path, b.String()); err != nil {
		return fmt.Errorf("write outputs: %w", err)
	}
	return nil
}

// checkName accepts the names an expression can reach as steps.<id>.outputs.<name>.
// Anything else is refused: the runner reads "a=b<<D" as output a with value "b<<D",
// so "=", "<<" or a newline in a name would let the value escape its block.
func checkName(name string) error {
	if name == "" {
		return errors.New("output name is empty")
	}
	for i, r := range name {
		ok := r == '_' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' ||
			i > 0 && (r == '-' || '0' <= r && r <= '9')
		if !ok {
			return fmt.Errorf("output name %q: use letters, digits, _ and -, starting with a letter or _", name)
		}
	}
	return nil
}

// randomDelimiter returns a delimiter no value is expected to contain.
func randomDelimiter() (string, error) {
	var buf [16]byte
	if _, err := rand.Read(buf[:]); err != nil {
		return "", fmt.Errorf("output delimiter: %w", err)
	}
	return "ghadelimiter_" + hex.EncodeToString(buf[:]), nil
}

// stepSummaryLimit is the most GitHub accepts from one step's summary; more
// is dropped with an error annotation.
// https://docs.github.com/en/actions/using-workflows/workflow-commands-for-github-actions#step-isolation-and-limits
const stepSummaryLimit = 1 << 20

// AppendSummary appends markdown to the step summary file at path
// (GITHUB_STEP_SUMMARY), ending it with a newline.
func AppendSummary(path, markdown string) error {
	if path == "" {
		return errors.New("append step summary: no summary file; GITHUB_STEP_SUMMARY is not set")
	}
	if len(markdown) > stepSummaryLimit {
		return fmt.Errorf("append step summary: %d bytes is more than the 1 MiB GitHub accepts", len(markdown))
	}
	if !strings.HasSuffix(markdown, "\n") {
		markdown += "\n"
	}
	if err := appendFile(path, markdown); err != nil {
		return fmt.Errorf("append step summary: %w", err)
	}
	return nil
}

func appendFile(path, s string) (err error) {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	_, err = f.WriteString(s)
	return err
}
