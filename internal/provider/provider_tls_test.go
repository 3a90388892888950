package provider

import (
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// TLS is verified by default; a private CA is trusted through
// ca_certificate, and insecure = true skips verification.
func TestAccProvider_tls(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t) // the fake, or a real authentik, behind a TLS proxy with a private CA
	tlsSrv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.URL.Scheme, r.URL.Host = "http", env.url[len("http://"):]
		proxyTo(w, r)
	}))
	defer tlsSrv.Close()
	caPEM := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: tlsSrv.Certificate().Raw}))
	provider := func(extra string) string {
		return fmt.Sprintf("provider \"authentik\" {\n  url = %q\n  token = %q\n  max_retries = 0\n%s}\n", tlsSrv.URL, env.token, extra)
	}
	flow := "data \"authentik_flow\" \"f\" {\n  slug = \"default-authenticator-totp-setup\"\n}\n"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories,
		Steps: []resource.TestStep{
			{Config: provider("  ca_certificate = \"not a certificate\"\n") + flow, PlanOnly: true,
				ExpectError: wrapRe(`Invalid provider configuration.*the CA certificate holds no PEM certificate`)},
			{Config: provider("") + flow, PlanOnly: true, ExpectError: wrapRe(`certificate signed by unknown authority`)},
			{Config: provider(fmt.Sprintf("  ca_certificate = %q\n", caPEM)) + flow},
			{Config: provider("  insecure = true\n") + flow},
		},
	})
}

// proxyTo forwards a request to r.URL and copies the answer back.
func proxyTo(w http.ResponseWriter, r *http.Request) {
	out, err := http.NewRequestWithContext(r.Context(), r.Method, r.URL.String(), r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	out.Header = r.Header.Clone()
	resp, err := http.DefaultTransport.RoundTrip(out)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	for k, v := range resp.Header {
		w.Header()[k] = v
	}
	w.WriteHeader(resp.StatusCode)
	buf := make([]byte, 32<<10)
	for {
		n, err := resp.Body.Read(buf)
		_, _ = w.Write(buf[:n])
		if err != nil {
			return
		}
	}
}
