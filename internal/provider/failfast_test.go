package provider

import (
	"context"
	"fmt"
	"net"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// applyErrors counts the resource applies that ended with an error
// diagnostic matching want, those that ended any other way, and those that
// took longer than slow.
type applyErrors struct {
	tfprotov6.ProviderServer
	want                 *regexp.Regexp
	slow                 time.Duration
	matched, other, late *atomic.Int32
}

func (s applyErrors) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	start := time.Now()
	resp, err := s.ProviderServer.ApplyResourceChange(ctx, req)
	if time.Since(start) > s.slow {
		s.late.Add(1)
	}
	for _, d := range resp.Diagnostics {
		if d.Severity == tfprotov6.DiagnosticSeverityError && s.want.MatchString(d.Summary+": "+d.Detail) {
			s.matched.Add(1)
			return resp, err
		}
	}
	s.other.Add(1)
	return resp, err
}

// A wrong url (here a closed port) fails every resource of an apply with the
// same clear error, in about one request's retries: the provider process
// shares what its first request learnt. Before, each of the 200 stages
// retried on its own, ten at a time.
func TestAccProvider_failFastClosedPort(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String()
	ln.Close()

	const n = 200
	var b strings.Builder
	fmt.Fprintf(&b, "provider \"authentik\" {\n  url = %q\n  token = \"t\"\n  max_retries = 2\n}\n", url)
	for i := range n {
		b.WriteString(hcl("authentik_stage_authenticator_duo", fmt.Sprintf("s%d", i), duoAttrs(fmt.Sprintf("tf-acc-failfast-%03d", i))))
	}
	want := regexp.MustCompile(`^Could not reach authentik: .*nothing accepts connections at ` + regexp.QuoteMeta(url) +
		`, so authentik is not running there or the URL is wrong: .*connection refused`)
	// With max_retries = 2 one request's retries wait at least 250 + 500 ms.
	// Without sharing every apply took that long; with it only the first
	// ones do, which wait for the probe (Terraform runs ten at a time), and
	// perhaps ten more if the apply outlasts the verdict and it is renewed.
	const slow, parallelism = 700 * time.Millisecond, 10
	var matched, other, late atomic.Int32
	server := NewProtocol6Server("test")
	factories := map[string]func() (tfprotov6.ProviderServer, error){
		"authentik": func() (tfprotov6.ProviderServer, error) {
			return applyErrors{ProviderServer: server(), want: want, slow: slow, matched: &matched, other: &other, late: &late}, nil
		},
	}

	start := time.Now()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories,
		Steps: []resource.TestStep{{
			Config:      b.String(),
			ExpectError: wrapRe(`Could not reach authentik.*nothing accepts connections at ` + regexp.QuoteMeta(url)),
		}},
	})
	elapsed := time.Since(start)
	if matched.Load() != n || other.Load() != 0 {
		t.Errorf("%d applies failed with the clear error and %d otherwise; want all %d with it", matched.Load(), other.Load(), n)
	}
	if late.Load() > 3*parallelism {
		t.Errorf("%d of %d applies took over %v, want at most %d", late.Load(), n, slow, 3*parallelism)
	}
	// A guard against a hang, not a benchmark: the machine may be busy.
	if elapsed > 2*time.Minute {
		t.Errorf("the apply took %v", elapsed)
	}
	t.Logf("%d resources against a closed port: %v, %d applies slower than %v", n, elapsed.Round(time.Millisecond), late.Load(), slow)
}
