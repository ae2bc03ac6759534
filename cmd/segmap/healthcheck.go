package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"
)

// runHealthcheck asks a running server's /healthz; the Dockerfile's
// HEALTHCHECK uses it so the image needs no curl.
func runHealthcheck(ctx context.Context, args []string, e env) error {
	var addr string
	var timeout time.Duration
	fs := newFlagSet("healthcheck", "healthcheck [flags]", e)
	fs.StringVar(&addr, "addr", ":8080", "address the server listens on")
	fs.DurationVar(&timeout, "timeout", 3*time.Second, "how long to wait for an answer")
	if err := parseFlags(fs, args, e); err != nil {
		return err
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("--addr %q: %w", addr, err)
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	url := "http://" + net.JoinHostPort(strings.Trim(host, "[]"), port) + "/healthz"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s answered %s", url, resp.Status)
	}
	return nil
}
