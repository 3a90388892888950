package authentik_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/authentik-iac/terraform-provider-authentik/internal/authentik"
	"github.com/authentik-iac/terraform-provider-authentik/internal/fakeauthentik"
)

// fastRetries keeps the real backoff logic but with millisecond waits.
var fastRetries = authentik.RetryConfig{MinWait: time.Millisecond, MaxWait: 5 * time.Millisecond, Budget: 5 * time.Second}

func faultClient(t *testing.T, cfg authentik.Config) (*authentik.Client, *fakeauthentik.Server) {
	t.Helper()
	fake := fakeauthentik.New(fakeauthentik.Options{})
	t.Cleanup(fake.Close)
	cfg.URL, cfg.Token = fake.URL(), fake.AdminToken()
	if cfg.Retry == (authentik.RetryConfig{}) {
		cfg.Retry = fastRetries
	}
	c, err := authentik.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c, fake
}

func statuses(fake *fakeauthentik.Server) []int {
	var out []int
	for _, r := range fake.Requests() {
		out = append(out, r.Status)
	}
	return out
}

// settledStatuses waits (at most a few seconds) until the fake has logged
// want requests, then returns their statuses. The fake logs an abandoned
// request only once its handler notices the client left, which on a loaded
// machine can come after the client's retry has already been answered.
func settledStatuses(fake *fakeauthentik.Server, want int) []int {
	deadline := time.Now().Add(5 * time.Second)
	for len(fake.Requests()) < want && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	return statuses(fake)
}

const duoPath = "/stages/authenticator/duo/"

var duoReq = authentik.StageBody{"name": "duo", "client_id": "c", "client_secret": "s", "api_hostname": "h.example.com"}

func TestRetry_faults(t *testing.T) {
	busy := fakeauthentik.Fault{Status: 503, ContentType: "text/html", Body: "<h1>busy</h1>"}
	cases := map[string]struct {
		method, prefix string
		n              int
		fault          fakeauthentik.Fault
		cfg            authentik.Config
		op             func(context.Context, *authentik.Client, *fakeauthentik.Server) error
		wantErr        string // "" = success
		wantStatuses   []int
		wantStages     int
	}{
		"GET rides out a burst of 5xx": {
			method: "GET", n: 3, fault: busy, op: getSeeded,
			wantStatuses: []int{503, 503, 503, 200}, wantStages: 1,
		},
		"GET gives up after MaxRetries": {
			method: "GET", n: 10, fault: busy, op: getSeeded, cfg: authentik.Config{Retry: authentik.RetryConfig{MaxRetries: 2, MinWait: time.Millisecond}},
			wantErr: "authentik answered 503", wantStatuses: []int{503, 503, 503}, wantStages: 1,
		},
		"429 with Retry-After on a POST is retried": {
			method: "POST", n: 1, fault: fakeauthentik.Fault{Status: 429, ContentType: "application/json",
				Header: http.Header{"Retry-After": {"0"}}, Body: `{"detail":"Request was throttled."}`},
			op: create, wantStatuses: []int{429, 201}, wantStages: 1,
		},
		"Retry-After beyond the budget stops at once": {
			method: "GET", n: 1, fault: fakeauthentik.Fault{Status: 429, ContentType: "application/json",
				Header: http.Header{"Retry-After": {"3600"}}, Body: `{"detail":"Request was throttled."}`},
			op: getSeeded, wantErr: "authentik answered 429", wantStatuses: []int{429}, wantStages: 1,
		},
		"POST 502 is an unknown outcome, not retried": {
			method: "POST", n: 1, fault: fakeauthentik.Fault{Status: 502, ContentType: "text/html"},
			op: create, wantErr: "answer was lost", wantStatuses: []int{502}, wantStages: 0,
		},
		"POST dropped before handling: unknown, nothing created": {
			method: "POST", n: 1, fault: fakeauthentik.Fault{Drop: true},
			op: create, wantErr: "answer was lost", wantStatuses: []int{0}, wantStages: 0,
		},
		"POST dropped after handling: unknown, created": {
			method: "POST", n: 1, fault: fakeauthentik.Fault{DropAfterHandling: true},
			op: create, wantErr: "answer was lost", wantStatuses: []int{201}, wantStages: 1,
		},
		"PATCH dropped is retried (idempotent)": {
			method: "PATCH", n: 1, fault: fakeauthentik.Fault{Drop: true}, op: patchSeeded,
			wantStatuses: []int{0, 200}, wantStages: 1,
		},
		"slower than the request timeout, then fine": {
			method: "GET", n: 1, fault: fakeauthentik.Fault{Delay: 2 * time.Second, Handle: true},
			cfg: authentik.Config{RequestTimeout: 100 * time.Millisecond}, op: getSeeded,
			wantStatuses: []int{200, 200}, wantStages: 1,
		},
		"malformed JSON": {
			method: "GET", n: 1, fault: fakeauthentik.Fault{Status: 200, ContentType: "application/json", Body: `{"pk": "x", "name":`},
			op: getSeeded, wantErr: "decode answer", wantStatuses: []int{200}, wantStages: 1,
		},
		"oversized body is capped": {
			method: "GET", n: 1, fault: fakeauthentik.Fault{Status: 200, ContentType: "application/json",
				Body: `{"name":"` + strings.Repeat("x", 9<<20) + `"}`},
			cfg: authentik.Config{Retry: authentik.RetryConfig{MaxRetries: -1}},
			op:  getSeeded, wantErr: "larger than 8388608 bytes", wantStatuses: []int{200}, wantStages: 1,
		},
		"HTML error page on GET": {
			method: "GET", n: 1, fault: fakeauthentik.GetServerError, op: getSeeded,
			wantErr: "internal server error", wantStatuses: []int{500}, wantStages: 1,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, fake := faultClient(t, tc.cfg)
			if tc.wantStages > 0 && tc.method != "POST" {
				fake.PutDuoStage(fakeauthentik.DuoStage{Name: "duo", ClientID: "c", ClientSecret: "s", APIHostname: "h.example.com"})
			}
			fake.InjectFault(tc.method, "/stages/authenticator/duo/", tc.n, tc.fault)
			err := tc.op(context.Background(), c, fake)
			switch {
			case tc.wantErr == "" && err != nil:
				t.Fatalf("want success, got %v", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Fatalf("want error %q, got %v", tc.wantErr, err)
			}
			if got := settledStatuses(fake, len(tc.wantStatuses)); !equalInts(got, tc.wantStatuses) {
				t.Errorf("statuses %v, want %v", got, tc.wantStatuses)
			}
			if got := len(fake.DuoStages()); got != tc.wantStages {
				t.Errorf("%d stages in authentik, want %d", got, tc.wantStages)
			}
		})
	}
}

func create(ctx context.Context, c *authentik.Client, _ *fakeauthentik.Server) error {
	_, err := c.CreateStage(ctx, duoPath, duoReq)
	return err
}

func getSeeded(ctx context.Context, c *authentik.Client, f *fakeauthentik.Server) error {
	st, _ := f.DuoStageByName("duo")
	_, err := c.GetStage(ctx, duoPath, st.PK)
	return err
}

func patchSeeded(ctx context.Context, c *authentik.Client, f *fakeauthentik.Server) error {
	st, _ := f.DuoStageByName("duo")
	_, err := c.PatchStage(ctx, duoPath, st.PK, authentik.StageBody{"client_id": "c2"})
	return err
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// A POST that fails before any byte is written provably did not reach
// authentik, so it is sent again.
func TestRetry_postNeverSentIsRetried(t *testing.T) {
	var calls atomic.Int32
	c, fake := faultClient(t, authentik.Config{HTTPClient: &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if calls.Add(1) == 1 {
			return nil, errors.New("dial tcp: connection refused")
		}
		return http.DefaultTransport.RoundTrip(r)
	})}})
	if _, err := c.CreateStage(context.Background(), duoPath, duoReq); err != nil {
		t.Fatal(err)
	}
	if calls.Load() != 2 || len(fake.DuoStages()) != 1 {
		t.Errorf("%d attempts, %d stages; want 2 attempts and 1 stage", calls.Load(), len(fake.DuoStages()))
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// Cancelling (Ctrl-C) stops during a backoff instead of waiting it out.
func TestRetry_cancelStopsWaiting(t *testing.T) {
	c, fake := faultClient(t, authentik.Config{Retry: authentik.RetryConfig{MinWait: time.Hour, MaxWait: time.Hour, Budget: 2 * time.Hour}})
	fake.InjectFault("GET", "/stages/authenticator/duo/", 5, fakeauthentik.Fault{Status: 503})
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		for len(fake.Requests()) == 0 {
			time.Sleep(time.Millisecond)
		}
		cancel()
	}()
	_, err := c.GetStage(ctx, duoPath, "00000000-0000-0000-0000-000000000000")
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("want context.Canceled, got %v", err)
	}
	if n := len(fake.Requests()); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}
