package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
)

func TestRunServesAndPrintsBaseURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		layout string
		suffix string
	}{
		{"dotcom", "/"},
		{"ghes", "/api/v3/"},
	}
	for _, tc := range tests {
		t.Run(tc.layout, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithCancel(context.Background())
			pr, pw := io.Pipe()
			done := make(chan error, 1)
			go func() {
				done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-repo", "octo/demo", "-token", "T", "-layout", tc.layout}, pw)
			}()
			line, err := bufio.NewReader(pr).ReadString('\n')
			if err != nil {
				t.Fatal(err)
			}
			base := strings.TrimSpace(line)
			if !strings.HasPrefix(base, "http://127.0.0.1:") || !strings.HasSuffix(base, tc.suffix) {
				t.Fatalf("base URL %q", base)
			}
			req, _ := http.NewRequest("GET", base+"repos/octo/demo/releases", nil)
			req.Header.Set("Authorization", "Bearer T")
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != http.StatusOK {
				t.Errorf("list releases: %d", res.StatusCode)
			}
			cancel()
			if err := <-done; err != nil {
				t.Errorf("run: %v", err)
			}
		})
	}
}

func TestRunRejectsBadFlags(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
	}{
		{"layout", []string{"-layout", "gitlab"}},
		{"repo", []string{"-repo", "nodash"}},
		{"unknown flag", []string{"-bogus"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if err := run(context.Background(), append([]string{"-addr", "127.0.0.1:0"}, tc.args...), io.Discard); err == nil {
				t.Error("no error")
			}
		})
	}
}
