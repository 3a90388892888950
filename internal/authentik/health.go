package authentik

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"sync"
	"syscall"
	"time"
)

// Terraform runs every resource's operation as its own call into one
// provider process, and each call used to find out on its own that authentik
// is not there: with a wrong url, 1,000 Duo stages took 565 s to fail, ten at
// a time, each spending its full retry budget. health shares what one request
// learns about the server or the token as a whole with every request of the
// same Client, so that the others fail at once with the same message.
//
// Only two findings are shared, because only they hold for every request:
//
//   - unreachable: one request spent its retry budget without opening a
//     connection (refused, DNS, TLS; see connectFailure);
//   - token refused: authentik's authentication layer, not a permission
//     check, answered 403 (see tokenRefusedDetail).
//
// A 403 for one endpoint, a 5xx, a timeout or a lost answer says nothing
// about the next request and is left to that request's own retries.

// verdictHold is how long a shared verdict fails requests without sending
// them. Within one apply every pending resource then fails in moments; after
// it, one request asks the server again (a probe, below) while the others
// wait for its answer, so a server that has come up is noticed without a
// timer or a background goroutine. Any answer from authentik clears the
// verdict at once.
const verdictHold = 30 * time.Second

// ErrUnreachable is wrapped by the error of a request that could not open a
// connection to authentik, or that was not sent because another request of
// the same Client could not.
var ErrUnreachable = errors.New("authentik is unreachable")

// ErrTokenRefused is wrapped by the error of a request that was not sent
// because authentik had refused the token of the same Client. The error also
// wraps the *APIError of that refusal, so IsForbidden holds for it.
var ErrTokenRefused = errors.New("authentik refused the token")

// IsTokenRefused reports whether err is authentik refusing the token itself
// (unknown, expired, or an app password), as opposed to a permission the
// token's user lacks on one endpoint. Both are 403.
func IsTokenRefused(err error) bool {
	var e *APIError
	return errors.Is(err, ErrTokenRefused) || errors.As(err, &e) && e.tokenRefused()
}

// tokenRefusedDetail is the one 403 detail that is about the token as a
// whole: authentik's TokenAuthentication raises it, before any view or
// permission runs, when the Bearer token matches no API token (seen on
// 2024.10.5 and 2025.12.4 for an unknown token and for an app password,
// calls [90] and [95] of ../shared/real-authentik). A permission the user
// lacks reads "You do not have permission to perform this action." and
// concerns one endpoint. DRF's "Authentication credentials were not
// provided." is not shared either: this client always sends a token, and
// DRF also answers it from a view that does not accept token authentication,
// which would again be about one endpoint.
const tokenRefusedDetail = "Token invalid/expired"

func (e *APIError) tokenRefused() bool {
	return e.Status == http.StatusForbidden && e.Detail == tokenRefusedDetail
}

// health is the state shared by the requests of one Client.
type health struct {
	site string           // authentik's URL as configured, for messages
	now  func() time.Time // tests replace it

	mu sync.Mutex
	// reached is true once an attempt has had any answer from authentik.
	// Until then (and again after a verdict expires) one request at a time
	// talks to the server and the others wait for it, so a dead server costs
	// one request's retries, not one per resource.
	reached bool
	// probe is non-nil while one request is finding out whether authentik
	// can be reached; it is closed once that is known.
	probe chan struct{}
	// verdict, when set, fails every request until since+verdictHold.
	verdict error
	since   time.Time
}

// ticket is one request's view of health.
type ticket struct {
	owns     chan struct{} // the probe this request runs, if any
	attempts int
	start    time.Time
	connErr  error // the last attempt's connection failure, if that is how it failed
}

func (h *health) ticket() ticket { return ticket{start: h.now()} }

// admit is called before each attempt. It returns the shared verdict, if
// there is one, or waits while another request probes.
func (h *health) admit(ctx context.Context, t *ticket) error {
	h.mu.Lock()
	for {
		if h.verdict != nil {
			if h.now().Sub(h.since) < verdictHold {
				err := h.verdict
				h.mu.Unlock()
				t.connErr = nil // this request learnt nothing of its own
				return err
			}
			h.verdict, h.reached = nil, false
		}
		if h.probe == nil || h.probe == t.owns {
			if h.probe == nil && !h.reached {
				h.probe = make(chan struct{})
				t.owns = h.probe
			}
			h.mu.Unlock()
			return nil
		}
		wait := h.probe
		h.mu.Unlock()
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-wait:
		}
		h.mu.Lock()
	}
}

// observe records what one attempt learnt. Any answer means authentik is
// there: it ends a probe and replaces any verdict, with a refused token when
// the answer says so. A connection failure makes this request the probe, if
// none is running, so that the others wait for it instead of dialling too.
func (h *health) observe(t *ticket, method, path string, res result) {
	t.attempts++
	t.connErr = nil
	if res.status == 0 {
		if res.err == nil || res.sent || !connectFailure(res.err) {
			return
		}
		t.connErr = res.err
		h.mu.Lock()
		if h.probe == nil && h.verdict == nil {
			h.probe = make(chan struct{})
			t.owns = h.probe
		}
		h.mu.Unlock()
		return
	}
	var verdict error
	if res.status == http.StatusForbidden {
		if e := parseAPIError(method, path, res.status, res.header, res.body); e.tokenRefused() {
			verdict = &tokenRefusedError{first: e}
		}
	}
	h.mu.Lock()
	h.reached = true
	h.verdict, h.since = verdict, h.now()
	h.endProbeLocked()
	h.mu.Unlock()
}

// leave is called once the request is over, with its error. A request that
// ended on connection failures gets an error naming authentik's URL; if it
// was the probe, that error becomes the verdict for the others.
func (h *health) leave(ctx context.Context, t *ticket, err error) error {
	var unreachable *unreachableError
	if err != nil && ctx.Err() == nil && t.connErr != nil {
		unreachable = &unreachableError{site: h.site, cause: t.connErr, attempts: t.attempts, spent: h.now().Sub(t.start)}
		err = unreachable
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if t.owns == nil || h.probe != t.owns {
		return err
	}
	switch {
	case ctx.Err() != nil:
		// The caller gave up (Ctrl-C, or its timeout): that says nothing
		// about authentik. A waiting request takes over the probe.
	case unreachable != nil:
		shared := *unreachable
		shared.shared = true
		h.verdict, h.since = &shared, h.now()
	default:
		// Over without an answer but not on connection failures either
		// (every attempt timed out, say). Nothing to share: let requests
		// run side by side as they would without this.
		h.reached = true
	}
	h.endProbeLocked()
	return err
}

func (h *health) endProbeLocked() {
	if h.probe != nil {
		close(h.probe)
		h.probe = nil
	}
}

// connectFailure reports whether err means no connection to authentik could
// be opened: the name did not resolve, the connection was refused or had no
// route, or TLS failed. A timeout is not one of them: it may be a slow
// server, and it may be the caller's own deadline.
func connectFailure(err error) bool {
	var netErr net.Error
	if errors.As(err, &netErr) && netErr.Timeout() ||
		errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var dnsErr *net.DNSError
	var opErr *net.OpError
	return errors.As(err, &dnsErr) || tlsFailure(err) ||
		errors.As(err, &opErr) && (opErr.Op == "dial" || opErr.Op == "proxyconnect")
}

// tlsFailure reports whether the TLS handshake failed: a certificate not
// trusted, an alert from the server, or a server that does not speak TLS.
func tlsFailure(err error) bool {
	var recordErr tls.RecordHeaderError
	var alertErr tls.AlertError
	return certificateRejected(err) || errors.As(err, &recordErr) || errors.As(err, &alertErr)
}

// unreachableError is the error of a request that ended on connection
// failures, and, with shared set, of the requests that were then not sent.
type unreachableError struct {
	site     string
	cause    error
	attempts int
	spent    time.Duration
	shared   bool
}

func (e *unreachableError) Error() string {
	var dnsErr *net.DNSError
	what := "cannot connect to authentik at " + e.site
	switch {
	case errors.As(e.cause, &dnsErr):
		what = "the host of " + e.site + " does not resolve, so the URL is wrong or DNS is down"
	case errors.Is(e.cause, syscall.ECONNREFUSED):
		what = "nothing accepts connections at " + e.site + ", so authentik is not running there or the URL is wrong"
	case certificateRejected(e.cause):
		what = "the certificate of " + e.site + " is not trusted, so the URL is wrong or authentik's CA is missing (ca_certificate)"
	case tlsFailure(e.cause):
		what = "the TLS handshake with " + e.site + " failed, so the URL or its scheme is wrong"
	}
	cause := e.cause
	var urlErr *url.Error
	if errors.As(cause, &urlErr) {
		cause = urlErr.Err // the URL is already named
	}
	tries := fmt.Sprintf("%d attempts in %s", e.attempts, e.spent.Round(10*time.Millisecond))
	if e.attempts == 1 {
		tries = "1 attempt"
	}
	if e.shared {
		return fmt.Sprintf("not sent: %s: %v (another request gave up after %s)", what, cause, tries)
	}
	return fmt.Sprintf("%s: %v (gave up after %s)", what, cause, tries)
}

func (e *unreachableError) Unwrap() []error { return []error{ErrUnreachable, e.cause} }

// tokenRefusedError is the error of a request that was not sent because an
// earlier one had its token refused.
type tokenRefusedError struct{ first *APIError }

func (e *tokenRefusedError) Error() string {
	return fmt.Sprintf("not sent: authentik refused the token when it answered %d to %s /api/v3%s: %s",
		e.first.Status, e.first.Method, e.first.Path, e.first.Detail)
}

func (e *tokenRefusedError) Unwrap() []error { return []error{ErrTokenRefused, e.first} }
