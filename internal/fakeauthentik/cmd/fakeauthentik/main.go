// Command fakeauthentik runs the in-memory authentik fake until SIGINT or
// SIGTERM. It prints FAKE_AUTHENTIK_URL=… and FAKE_AUTHENTIK_TOKEN=… on
// stdout and logs one line per request (method, path, status) on stderr.
//
// For benchmarks (scripts/bench.sh): -seed-devices totp=N,sms=M enrolls N
// confirmed TOTP and M SMS devices for akadmin (any of the device kinds), and
// -stats FILE writes the connection and request counts to FILE on SIGUSR1
// and at exit.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"strings"
	"syscall"

	"github.com/authentik-iac/terraform-provider-authentik/internal/fakeauthentik"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "address to listen on")
	token := flag.String("token", "", "admin API token (default: random)")
	version := flag.String("version", string(fakeauthentik.V2025_12), "authentik version to imitate: 2024.10, 2025.10 (derived), 2025.12 or 2026.2")
	latency := flag.Duration("latency", 0, "delay added before answering every request")
	seed := flag.String("seed-devices", "", "enroll confirmed devices for akadmin at start, named bench-<kind>-1…N: kind=N[,kind=N…], kinds "+kindList())
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

	counts, err := parseSeed(*seed)
	if err != nil {
		fmt.Fprintf(os.Stderr, "fakeauthentik: -seed-devices: %v\n", err)
		os.Exit(2)
	}
	for _, kind := range fakeauthentik.DeviceKinds {
		for i := 1; i <= counts[kind]; i++ {
			srv.EnrollDevice(benchDevice(kind, i))
		}
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

// parseSeed reads -seed-devices: "totp=1000,sms=10".
func parseSeed(v string) (map[fakeauthentik.DeviceKind]int, error) {
	counts := map[fakeauthentik.DeviceKind]int{}
	if v == "" {
		return counts, nil
	}
	for _, part := range strings.Split(v, ",") {
		k, n, ok := strings.Cut(part, "=")
		kind := fakeauthentik.DeviceKind(k)
		if !ok || !slices.Contains(fakeauthentik.DeviceKinds, kind) {
			return nil, fmt.Errorf("%q: want kind=N with a kind among %s", part, kindList())
		}
		c, err := strconv.Atoi(n)
		if err != nil || c < 0 {
			return nil, fmt.Errorf("%q: the count must be a whole number", part)
		}
		counts[kind] = c
	}
	return counts, nil
}

func kindList() string {
	names := make([]string, len(fakeauthentik.DeviceKinds))
	for i, k := range fakeauthentik.DeviceKinds {
		names[i] = string(k)
	}
	return strings.Join(names, ", ")
}

// benchDevice is the i-th seeded device of a kind, owned by akadmin (user
// pk 1), with the facts its serializer shows (see the device tests' seeds).
func benchDevice(kind fakeauthentik.DeviceKind, i int) fakeauthentik.Device {
	d := fakeauthentik.Device{Kind: kind, UserPK: 1, Confirmed: true, Name: fmt.Sprintf("bench-%s-%d", kind, i)}
	switch kind {
	case fakeauthentik.DeviceSMS:
		d.PhoneNumber = fmt.Sprintf("+1555%07d", i)
	case fakeauthentik.DeviceEmail:
		d.Email = fmt.Sprintf("bench-%d@example.com", i)
	case fakeauthentik.DeviceWebAuthn:
		d.AAGUID, d.DeviceType = "cb69481e-8ff7-4039-93ec-0a2729a154a8", "YubiKey 5 Series with NFC"
	case fakeauthentik.DeviceDuo:
		d.Stage, d.DuoUserID = "a2e47e4a-c9b7-43ac-9f96-4a7d5465e352", fmt.Sprintf("DUBENCH%013d", i)
	}
	return d
}
