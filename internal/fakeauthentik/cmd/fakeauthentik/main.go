// Command fakeauthentik runs the in-memory authentik fake until SIGINT or
// SIGTERM. It prints FAKE_AUTHENTIK_URL=… and FAKE_AUTHENTIK_TOKEN=… on
// stdout and logs one line per request (method, path, status) on stderr.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"os/signal"
	"syscall"

	"github.com/authentik-iac/terraform-provider-authentik/internal/fakeauthentik"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "address to listen on")
	token := flag.String("token", "", "admin API token (default: random)")
	version := flag.String("version", string(fakeauthentik.V2025_12), "authentik version to imitate: 2024.10, 2025.12 or 2026.2")
	latency := flag.Duration("latency", 0, "delay added before answering every request")
	flag.Parse()

	v, ok := fakeauthentik.ParseVersion(*version)
	if !ok {
		fmt.Fprintf(os.Stderr, "fakeauthentik: unknown -version %q (want 2024.10, 2025.12 or 2026.2)\n", *version)
		os.Exit(2)
	}
	l, err := net.Listen("tcp", *listen)
	if err != nil {
		fmt.Fprintf(os.Stderr, "fakeauthentik: %v\n", err)
		os.Exit(1)
	}
	logger := log.New(os.Stderr, "fakeauthentik: ", log.LstdFlags)
	srv := fakeauthentik.NewWithListener(l, fakeauthentik.Options{
		Version:    v,
		AdminToken: *token,
		Latency:    *latency,
		Logf:       logger.Printf,
	})

	out := bufio.NewWriter(os.Stdout)
	fmt.Fprintf(out, "FAKE_AUTHENTIK_URL=%s\n", srv.URL())
	fmt.Fprintf(out, "FAKE_AUTHENTIK_TOKEN=%s\n", srv.AdminToken())
	if err := out.Flush(); err != nil {
		logger.Printf("stdout: %v", err)
	}
	logger.Printf("imitating authentik %s", srv.Version())

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	s := <-sig
	logger.Printf("received %s, shutting down", s)
	srv.Close()
}
