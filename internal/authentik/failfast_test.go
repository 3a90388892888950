package authentik_test

import (
	"context"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/authentik-iac/terraform-provider-authentik/internal/authentik"
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
	_, err = c.GetDuoStage(context.Background(), "x")
	if err == nil || !strings.Contains(err.Error(), "certificate signed by unknown authority") {
		t.Fatalf("want the certificate error, got %v", err)
	}
	if n := attempts.Load(); n != 1 {
		t.Errorf("%d attempts, want 1", n)
	}
}
