// Command emulator runs the GitHub releases API emulator as a standalone server, for
// manual tries and for running the action locally (with act) against a fake GitHub.
//
//	go run ./cmd/emulator -addr 127.0.0.1:0 -repo octo/demo -token T -layout dotcom
//
// It prints the base API URL on stdout (one line, ending in "/"), then serves until
// interrupted. Everything else goes to stderr.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/releasekit/release-action/internal/emulator"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("emulator: ")
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		log.Fatal(err)
	}
}

// run serves until ctx ends; the base API URL is written to stdout once listening.
func run(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("emulator", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:0", "listen address (loopback by default)")
	repos := fs.String("repo", "octo/demo", "comma-separated owner/name repositories to create")
	immutable := fs.Bool("immutable", false, "turn on immutable releases for the repositories")
	token := fs.String("token", "", `accepted token ("" accepts any)`)
	readOnly := fs.String("read-only-token", "", "a token that may only read")
	layout := fs.String("layout", "dotcom", "URL layout: dotcom or ghes")
	redirect := fs.Bool("redirect-downloads", false, "answer API downloads with 302 to the browser download URL")
	rate := fs.Int64("upload-rate", 0, "upload bytes per second per request (0 = unlimited)")
	if err := fs.Parse(args); err != nil {
		return err
	}

	opts := emulator.Options{
		Token:                *token,
		ReadOnlyToken:        *readOnly,
		RedirectDownloads:    *redirect,
		UploadBytesPerSecond: *rate,
	}
	switch strings.ToLower(*layout) {
	case "dotcom":
		opts.Layout = emulator.DotCom
	case "ghes":
		opts.Layout = emulator.GHES
	default:
		return fmt.Errorf("-layout must be dotcom or ghes, not %q", *layout)
	}
	emu := emulator.New(opts)
	for _, r := range strings.Split(*repos, ",") {
		if r = strings.TrimSpace(r); r == "" {
			continue
		}
		if o, n, ok := strings.Cut(r, "/"); !ok || o == "" || n == "" || strings.Contains(n, "/") {
			return fmt.Errorf("-repo %q is not owner/name", r)
		}
		emu.AddRepo(r, *immutable)
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	if tcp, ok := ln.Addr().(*net.TCPAddr); ok && !tcp.IP.IsLoopback() {
		log.Printf("warning: listening on %s, which is not a loopback address", tcp)
	}
	base := "http://" + ln.Addr().String()
	fmt.Fprintln(stdout, base+opts.Layout.APIPrefix()+"/")
	log.Printf("uploads at %s%s/, repositories %s", base, opts.Layout.UploadPrefix(), *repos)

	srv := &http.Server{Handler: emu, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
