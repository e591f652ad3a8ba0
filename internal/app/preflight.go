package app

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	"github.com/releasekit/release-action/internal/inputs"
)

// preflight does the checks of a run's surroundings that need more than the
// inputs, before any request: INPUT_* variables action.yml does not declare (in
// a workflow), and the runner's files the results go to. A run that publishes
// and then cannot write its outputs has done its work for nobody.
func preflight(env Env, cfg *inputs.Config) error {
	var errs []error
	if env.Environ != nil && env.ActionYAML != nil {
		ins, err := ReadInputs(env.ActionYAML)
		if err != nil {
			return err
		}
		declared := make([]string, len(ins))
		for i, in := range ins {
			declared[i] = in.Name
		}
		errs = append(errs, inputs.CheckUnknownInWorkflow(env.Getenv, env.Environ, declared)...)
	}
	for _, f := range []struct{ name, path string }{{"GITHUB_OUTPUT", cfg.OutputPath}, {"GITHUB_STEP_SUMMARY", cfg.SummaryPath}} {
		if f.path == "" {
			continue
		}
		if err := checkAppendable(f.path); err != nil {
			errs = append(errs, fmt.Errorf("%s %s: %w; the runner sets it to a file the step can write", f.name, f.path, err))
		}
	}
	return errors.Join(errs...)
}

// checkAppendable opens path for append the way the results will be written
// (or that its directory exists), without blocking on a FIFO, and checks that it is
// a regular file.
func checkAppendable(path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|syscall.O_NONBLOCK, 0)
	if errors.Is(err, fs.ErrNotExist) {
		// Creatable is enough; a run that fails later leaves no file behind.
		st, derr := os.Stat(filepath.Dir(path))
		if derr != nil || !st.IsDir() {
			return fmt.Errorf("cannot be created: its directory %s does not exist", filepath.Dir(path))
		}
		return nil
	}
	if err != nil {
		return fmt.Errorf("cannot be opened for writing: %w", unwrapPath(err))
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return unwrapPath(err)
	}
	if !st.Mode().IsRegular() {
		return fmt.Errorf("is not a regular file (%s)", st.Mode().Type())
	}
	return nil
}
