package authentik

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"syscall"
	"testing"
)

// Only failures to open a connection are shared; a timeout or a dropped
// connection is not, whatever it wraps.
func TestConnectFailure(t *testing.T) {
	wrap := func(err error) error { return &url.Error{Op: "Get", URL: "http://a.example.com/api/v3/x/", Err: err} }
	dial := func(err error) error { return wrap(&net.OpError{Op: "dial", Net: "tcp", Err: err}) }
	cases := map[string]struct {
		err  error
		want bool
	}{
		"refused":                  {dial(os.NewSyscallError("connect", syscall.ECONNREFUSED)), true},
		"no route":                 {dial(os.NewSyscallError("connect", syscall.EHOSTUNREACH)), true},
		"no such host":             {dial(&net.DNSError{Err: "no such host", Name: "a.example.com", IsNotFound: true}), true},
		"proxy refused":            {wrap(&net.OpError{Op: "proxyconnect", Net: "tcp", Err: syscall.ECONNREFUSED}), true},
		"untrusted cert":           {wrap(&tls.CertificateVerificationError{Err: x509.UnknownAuthorityError{}}), true},
		"not TLS":                  {wrap(tls.RecordHeaderError{Msg: "first record does not look like a TLS handshake"}), true},
		"handshake alert":          {wrap(fmt.Errorf("remote error: %w", tls.AlertError(40))), true},
		"dial timeout":             {dial(&net.DNSError{Err: "i/o timeout", IsTimeout: true}), false},
		"attempt deadline":         {wrap(context.DeadlineExceeded), false},
		"cancelled while dialling": {dial(context.Canceled), false},
		"connection dropped":       {wrap(io.EOF), false},
		"reset after sending":      {wrap(&net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}), false},
		"untyped text":             {errors.New("dial tcp: connection refused"), false},
	}
	for name, tc := range cases {
		if got := connectFailure(tc.err); got != tc.want {
			t.Errorf("%s: connectFailure(%v) = %v, want %v", name, tc.err, got, tc.want)
		}
	}
}
