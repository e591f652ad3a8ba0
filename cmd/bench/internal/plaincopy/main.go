// Command plaincopy is the benchmark's baseline: the least a Go program can do to
// put a file on a release. It streams the file in one HTTP POST with an exact
// Content-Length to an upload URL and checks for 201 Created; no hashing, no
// retries, no listing. cmd/bench builds it and runs it as a child process, measured
// the same way as the action.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
)

func main() {
	url := flag.String("url", "", "upload URL, with ?name=")
	token := flag.String("token", "", "token for the Authorization header")
	file := flag.String("file", "", "file to upload")
	flag.Parse()
	if *url == "" || *file == "" {
		fmt.Fprintln(os.Stderr, "usage: plaincopy -url URL -token TOKEN -file PATH")
		os.Exit(2)
	}
	if err := upload(context.Background(), http.DefaultClient, *url, *token, *file); err != nil {
		fmt.Fprintln(os.Stderr, "plaincopy:", err)
		os.Exit(1)
	}
}

// upload POSTs the file at path to url.
func upload(ctx context.Context, client *http.Client, url, token, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if st.Size() == 0 {
		return errors.New("empty file")
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, f)
	if err != nil {
		return err
	}
	req.ContentLength = st.Size()
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/octet-stream")
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
	if resp.StatusCode != http.StatusCreated {
		return fmt.Errorf("%s: %s", resp.Status, body)
	}
	return nil
}
