// Command fakeauthentik runs the in-memory authentik fake until SIGINT or
// SIGTERM. It prints FAKE_AUTHENTIK_URL=… and FAKE_AUTHENTIK_TOKEN=… on
// stdout and logs one line per request (method, path, status) on stderr.
//
// For benchmarks (scripts/bench.sh): -seed-totp N enrolls N confirmed TOTP
// devices for akadmin, and -stats FILE writes the connection and request
// counts to FILE on SIGUSR1 and at exit.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/authentik-iac/terraform-provider-authentik/internal/fakeauthentik"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "address to listen on")
	token := flag.String("token", "", "admin API token (default: random)")
	version := flag.String("version", string(fakeauthentik.V2025_12), "authentik version to imitate: 2024.10, 2025.10 (derived), 2025.12 or 2026.2")
	latency := flag.Duration("latency", 0, "delay added before answering every request")
	seedTOTP := flag.Int("seed-totp", 0, "enroll this many confirmed TOTP devices (bench-totp-1…N) for akadmin at start")
	statsFile := flag.String("stats", "", "write connection and request counts to this file on SIGUSR1 and at exit (see writeStats)")
	flag.Parse()

	v, ok := fakeauthentik.ParseVersion(*version)
	if !ok {
		fmt.Fprintf(os.Stderr, "fakeauthentik: unknown -version %q (want 2024.10, 2025.10, 2025.12 or 2026.2)\n", *version)
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

	for i := 1; i <= *seedTOTP; i++ {
		srv.EnrollTOTPDevice(1, fmt.Sprintf("bench-totp-%d", i), true) // akadmin is user pk 1
	}

	out := bufio.NewWriter(os.Stdout)
	fmt.Fprintf(out, "FAKE_AUTHENTIK_URL=%s\n", srv.URL())
	fmt.Fprintf(out, "FAKE_AUTHENTIK_TOKEN=%s\n", srv.AdminToken())
	if err := out.Flush(); err != nil {
		logger.Printf("stdout: %v", err)
	}
	logger.Printf("imitating authentik %s", srv.Version())

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM, syscall.SIGUSR1)
	for s := range sig {
		if *statsFile != "" {
			st := srv.Stats()
			srv.ResetPeakConnections() // the next write reports the peak since this one
			if err := writeStats(*statsFile, st); err != nil {
				logger.Printf("stats: %v", err)
			}
		}
		if s == syscall.SIGUSR1 {
			continue
		}
		logger.Printf("received %s, shutting down", s)
		srv.Close()
		return
	}
}

// writeStats replaces path atomically with lines such as "connections 12"
// and "requests GET 1000" (cumulative since start) and "peak_open 10" (since
// the previous write).
func writeStats(path string, st fakeauthentik.Stats) error {
	var b strings.Builder
	fmt.Fprintf(&b, "connections %d\n", st.ConnectionsOpened)
	fmt.Fprintf(&b, "peak_open %d\n", st.PeakConnectionsOpen)
	for _, m := range st.Methods() {
		fmt.Fprintf(&b, "requests %s %d\n", m, st.Requests[m])
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(b.String()), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
