package authentik_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/authentik-iac/terraform-provider-authentik/internal/authentik"
	"github.com/authentik-iac/terraform-provider-authentik/internal/fakeauthentik"
)

// A certificate the client does not trust will not become trusted by
// waiting, so the request fails after one attempt.
func TestRetry_untrustedCertificateNotRetried(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshakes are expected
	srv.StartTLS()
	t.Cleanup(srv.Close)
	var attempts atomic.Int32
	c, err := authentik.New(authentik.Config{URL: srv.URL, Token: "t", Retry: fastRetries,
		OnRequest: func(context.Context, authentik.RequestInfo) { attempts.Add(1) }})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.GetStage(context.Background(), duoPath, "x")
	if err == nil || !strings.Contains(err.Error(), "certificate signed by unknown authority") {
		t.Fatalf("want the certificate error, got %v", err)
	}
	if n := attempts.Load(); n != 1 {
		t.Errorf("%d attempts, want 1", n)
	}
}

// closedPort returns an address on which nothing listens: a port the
// kernel just handed out and took back.
func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// dialCounter is an HTTP client that counts the connections it tries to
// open; redirect, when it returns an address, dials that one instead.
type dialCounter struct {
	n        atomic.Int32
	redirect func(n int32, addr string) string
}

func (d *dialCounter) client() *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	var dialer net.Dialer
	tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		n := d.n.Add(1)
		if d.redirect != nil {
			addr = d.redirect(n, addr)
		}
		return dialer.DialContext(ctx, network, addr)
	}
	return &http.Client{Transport: tr}
}

// Ten workers, as Terraform runs them, over 200 requests against a closed
// port: one request spends its retries, every other one fails at once with
// the same message. Without sharing it took 20 rounds of a full retry
// sequence and 1,000 dials.
func TestFailFast_closedPort(t *testing.T) {
	addr := closedPort(t)
	var dials dialCounter
	retry := authentik.RetryConfig{MaxRetries: 4, MinWait: 200 * time.Millisecond, MaxWait: 200 * time.Millisecond, Budget: time.Minute}
	c, err := authentik.New(authentik.Config{URL: "http://" + addr, Token: "t", Retry: retry, HTTPClient: dials.client()})
	if err != nil {
		t.Fatal(err)
	}
	const requests, workers = 200, 10
	jobs := make(chan int, requests)
	for i := range requests {
		jobs <- i
	}
	close(jobs)
	errs := make([]error, requests)
	start := time.Now()
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := range jobs {
				_, errs[i] = c.GetStage(context.Background(), duoPath, fmt.Sprint(i))
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)

	// One retry sequence waits 4 × 100–200 ms; twenty of them, one per
	// round of workers, would take at least 8 s.
	if elapsed > 4*time.Second {
		t.Errorf("%d requests took %v, want about one retry sequence (< 1 s)", requests, elapsed)
	}
	if n := dials.n.Load(); n != int32(retry.MaxRetries+1) {
		t.Errorf("%d dials, want %d (one request's attempts)", n, retry.MaxRetries+1)
	}
	var first int
	for i, err := range errs {
		if !errors.Is(err, authentik.ErrUnreachable) || authentik.IsForbidden(err) {
			t.Fatalf("request %d: want ErrUnreachable, got %v", i, err)
		}
		for _, want := range []string{"http://" + addr, "connection refused", "authentik is not running there or the URL is wrong", "gave up after 5 attempts"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("request %d: %q lacks %q", i, err, want)
			}
		}
		if !strings.Contains(err.Error(), "not sent") {
			first++
		}
	}
	if first != 1 {
		t.Errorf("%d requests dialled to the end, want 1", first)
	}
	t.Logf("%d requests, %d workers: %v, %d dials; %v", requests, workers, elapsed.Round(time.Millisecond), dials.n.Load(), errs[len(errs)-1])
}

// One refused connection is retried as before, and the requests that waited
// for that retry then go ahead.
func TestFailFast_transientRefusalRetried(t *testing.T) {
	fake := fakeauthentik.New(fakeauthentik.Options{})
	t.Cleanup(fake.Close)
	st := fake.PutDuoStage(fakeauthentik.DuoStage{Name: "duo", ClientID: "c", ClientSecret: "s", APIHostname: "h.example.com"})
	closed := closedPort(t)
	dials := dialCounter{redirect: func(n int32, addr string) string {
		if n == 1 {
			return closed
		}
		return addr
	}}
	c, err := authentik.New(authentik.Config{URL: fake.URL(), Token: fake.AdminToken(), Retry: fastRetries, HTTPClient: dials.client()})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make([]error, 20)
	for i := range errs {
		wg.Go(func() { _, errs[i] = c.GetStage(context.Background(), duoPath, st.PK) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("request %d: %v", i, err)
		}
	}
	if n := len(fake.Requests()); n != len(errs) {
		t.Errorf("authentik saw %d requests, want %d", n, len(errs))
	}
	if dials.n.Load() < 2 {
		t.Error("the refused dial never happened")
	}
}

// The verdict lasts VerdictHold; after it one request asks again, and an
// authentik that has come up in the meantime is used from then on.
func TestFailFast_serverComesUp(t *testing.T) {
	fake := fakeauthentik.New(fakeauthentik.Options{})
	t.Cleanup(fake.Close)
	closed := closedPort(t)
	var up atomic.Bool
	dials := dialCounter{redirect: func(_ int32, addr string) string {
		if up.Load() {
			return addr
		}
		return closed
	}}
	c, err := authentik.New(authentik.Config{URL: fake.URL(), Token: fake.AdminToken(), Retry: fastRetries, HTTPClient: dials.client()})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	var clock atomic.Int64 // offset from now
	authentik.SetClock(c, func() time.Time { return now.Add(time.Duration(clock.Load())) })
	ctx := context.Background()

	if _, err := c.ListStages(ctx, duoPath, ""); !errors.Is(err, authentik.ErrUnreachable) {
		t.Fatalf("while down: %v", err)
	}
	before := dials.n.Load()
	up.Store(true)
	clock.Store(int64(authentik.VerdictHold - time.Second))
	if _, err := c.ListStages(ctx, duoPath, ""); !errors.Is(err, authentik.ErrUnreachable) || dials.n.Load() != before {
		t.Fatalf("within the hold: want the verdict without a dial, got %v after %d dials", err, dials.n.Load()-before)
	}
	clock.Store(int64(authentik.VerdictHold))
	for i := range 3 {
		if _, err := c.ListStages(ctx, duoPath, ""); err != nil {
			t.Fatalf("after the hold, request %d: %v", i, err)
		}
	}
	if n := len(fake.Requests()); n != 3 {
		t.Errorf("authentik saw %d requests, want 3", n)
	}
}

// authentik refuses a bad token with a 403 that names the token; the
// requests after it fail without being sent, and still read as a 403.
func TestFailFast_refusedToken(t *testing.T) {
	fake := fakeauthentik.New(fakeauthentik.Options{})
	t.Cleanup(fake.Close)
	c, err := authentik.New(authentik.Config{URL: fake.URL(), Token: "not-a-valid-token", Retry: fastRetries})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	_, first := c.GetStage(ctx, duoPath, "x")
	var apiErr *authentik.APIError
	if !errors.As(first, &apiErr) || apiErr.Detail != "Token invalid/expired" || !authentik.IsTokenRefused(first) {
		t.Fatalf("first request: %v", first)
	}
	var wg sync.WaitGroup
	errs := make([]error, 20)
	for i := range errs {
		wg.Go(func() { _, errs[i] = c.CreateStage(ctx, duoPath, duoReq) })
	}
	wg.Wait()
	for i, err := range errs {
		if !errors.Is(err, authentik.ErrTokenRefused) || !authentik.IsForbidden(err) ||
			!strings.Contains(err.Error(), `not sent: authentik refused the token when it answered 403 to GET /api/v3/stages/authenticator/duo/x/: Token invalid/expired`) {
			t.Errorf("request %d: %v", i, err)
		}
	}
	// The device fallback does not try the user endpoints for a refused
	// token, and reports the admin endpoints' refusal.
	ep, err := c.WithDeviceEndpoints(ctx, authentik.DeviceTOTP, func(ep authentik.DeviceEndpoints) error {
		_, err := c.GetDevice(ctx, authentik.DeviceTOTP, ep, 1)
		return err
	})
	if ep != authentik.AdminEndpoints || !authentik.IsForbidden(err) || !authentik.IsTokenRefused(err) {
		t.Errorf("device fallback with a refused token: %v, %v", ep, err)
	}
	if n := len(fake.Requests()); n != 1 {
		t.Errorf("authentik saw %d requests, want 1", n)
	}
}

// A 403 for a permission the token's user lacks concerns one endpoint: the
// device fallback to the user endpoints works, and other requests are sent.
func TestFailFast_forbiddenEndpointNotShared(t *testing.T) {
	fake := fakeauthentik.New(fakeauthentik.Options{})
	t.Cleanup(fake.Close)
	userPK, token := fake.AddUser("smoke-user", false)
	dev := fake.EnrollTOTPDevice(userPK, "smoke-totp-plain", true)
	c, err := authentik.New(authentik.Config{URL: fake.URL(), Token: token, Retry: fastRetries})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var got authentik.Device
	ep, err := c.WithDeviceEndpoints(ctx, authentik.DeviceTOTP, func(ep authentik.DeviceEndpoints) (err error) {
		got, err = c.GetDevice(ctx, authentik.DeviceTOTP, ep, dev.PK)
		return err
	})
	if err != nil || ep != authentik.UserEndpoints || got.Name != "smoke-totp-plain" {
		t.Fatalf("device fallback: %v %+v %v", ep, got, err)
	}
	var wg sync.WaitGroup
	errs := make([]error, 10)
	for i := range errs {
		wg.Go(func() {
			if i%2 == 0 {
				_, errs[i] = c.GetStage(ctx, duoPath, "x") // 403: no permission on Duo stages
			} else {
				_, errs[i] = c.ListDevices(ctx, authentik.DeviceTOTP, authentik.UserEndpoints, authentik.DeviceFilter{})
			}
		})
	}
	wg.Wait()
	for i, err := range errs {
		if i%2 == 0 && (!authentik.IsForbidden(err) || authentik.IsTokenRefused(err) || strings.Contains(err.Error(), "not sent")) {
			t.Errorf("request %d: want authentik's own 403, got %v", i, err)
		}
		if i%2 == 1 && err != nil {
			t.Errorf("request %d: %v", i, err)
		}
	}
	if n := len(fake.Requests()); n != 2+len(errs) {
		t.Errorf("authentik saw %d requests, want %d", n, 2+len(errs))
	}
}

// A caller that gives up (Ctrl-C, a resource timeout) learns nothing about
// authentik: the request waiting behind it takes over and dials itself.
func TestFailFast_cancelIsNoVerdict(t *testing.T) {
	var dials dialCounter
	slow := authentik.RetryConfig{MinWait: time.Hour, MaxWait: time.Hour, Budget: 2 * time.Hour}
	c, err := authentik.New(authentik.Config{URL: "http://" + closedPort(t), Token: "t", Retry: slow, HTTPClient: dials.client()})
	if err != nil {
		t.Fatal(err)
	}
	ctxA, cancelA := context.WithCancel(context.Background())
	doneA := make(chan error)
	go func() {
		_, err := c.GetStage(ctxA, duoPath, "a")
		doneA <- err
	}()
	for dials.n.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	// B waits for A's probe, then, once A is cancelled, probes itself until
	// its own deadline.
	ctxB, cancelB := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancelB()
	doneB := make(chan error)
	go func() {
		_, err := c.GetStage(ctxB, duoPath, "b")
		doneB <- err
	}()
	cancelA()
	if err := <-doneA; !errors.Is(err, context.Canceled) || errors.Is(err, authentik.ErrUnreachable) {
		t.Errorf("A: want only context.Canceled, got %v", err)
	}
	if err := <-doneB; !errors.Is(err, context.DeadlineExceeded) || errors.Is(err, authentik.ErrUnreachable) {
		t.Errorf("B: want only its deadline, got %v", err)
	}
	if n := dials.n.Load(); n != 2 {
		t.Errorf("%d dials, want one each for A and B", n)
	}
	// Neither ending was a verdict, so C is sent too.
	ctxC, cancelC := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancelC()
	if _, err := c.GetStage(ctxC, duoPath, "c"); !errors.Is(err, context.DeadlineExceeded) || dials.n.Load() != 3 {
		t.Errorf("C: want its own dial and deadline, got %v after %d dials", err, dials.n.Load())
	}
}

// An untrusted certificate is a verdict after one handshake.
func TestFailFast_untrustedCertificateShared(t *testing.T) {
	var handshakes atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			handshakes.Add(1)
		}
	}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	c, err := authentik.New(authentik.Config{URL: srv.URL, Token: "t", Retry: fastRetries})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make([]error, 20)
	for i := range errs {
		wg.Go(func() { _, errs[i] = c.GetStage(context.Background(), duoPath, "x") })
	}
	wg.Wait()
	for i, err := range errs {
		if !errors.Is(err, authentik.ErrUnreachable) || !strings.Contains(err.Error(), "the certificate of "+srv.URL+" is not trusted") ||
			!strings.Contains(err.Error(), "certificate signed by unknown authority") {
			t.Errorf("request %d: %v", i, err)
		}
	}
	if n := handshakes.Load(); n != 1 {
		t.Errorf("%d connections, want 1", n)
	}
}
