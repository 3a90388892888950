package authentik

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"
)

// Retry defaults: enough to ride out a proxy restart or a short throttle,
// small enough that a dead server fails an apply within a minute.
const (
	DefaultMaxRetries     = 4
	DefaultRetryMinWait   = 500 * time.Millisecond
	DefaultRetryMaxWait   = 15 * time.Second
	DefaultRetryBudget    = 60 * time.Second
	DefaultRequestTimeout = 30 * time.Second
)

// RetryConfig bounds retries in count and in total time. Zero values take
// the defaults above; MaxRetries < 0 turns retries off.
type RetryConfig struct {
	MaxRetries int
	MinWait    time.Duration // first backoff; doubles per retry, with jitter
	MaxWait    time.Duration // cap on one backoff (Retry-After is honoured up to Budget)
	Budget     time.Duration // total time across all attempts and waits
}

// ErrOutcomeUnknown means a write reached authentik but its answer was lost
// (the connection dropped after sending, or a gateway answered 502, 503 or
// 504), so whether it took effect is unknown. Such a request is never
// repeated blindly: the caller must look first.
var ErrOutcomeUnknown = errors.New("the request reached authentik but its answer was lost, so whether it took effect is unknown")

// IsOutcomeUnknown reports whether err wraps ErrOutcomeUnknown.
func IsOutcomeUnknown(err error) bool { return errors.Is(err, ErrOutcomeUnknown) }

type retryPolicy struct {
	maxRetries int
	minWait    time.Duration
	maxWait    time.Duration
	budget     time.Duration
	// sleep waits d or until ctx is done; tests replace it.
	sleep func(ctx context.Context, d time.Duration) error
}

func newRetryPolicy(cfg RetryConfig) retryPolicy {
	p := retryPolicy{maxRetries: cfg.MaxRetries, minWait: cfg.MinWait, maxWait: cfg.MaxWait, budget: cfg.Budget, sleep: sleepCtx}
	if p.maxRetries == 0 {
		p.maxRetries = DefaultMaxRetries
	}
	if p.minWait <= 0 {
		p.minWait = DefaultRetryMinWait
	}
	if p.maxWait <= 0 {
		p.maxWait = DefaultRetryMaxWait
	}
	if p.budget <= 0 {
		p.budget = DefaultRetryBudget
	}
	return p
}

// run calls attempt until it succeeds, fails in a way not worth retrying,
// or the count or time budget is spent. It returns an error only for
// transport failures, cancellation and unknown outcomes; an HTTP error
// answer is left in the last result for the caller to decode.
func (p retryPolicy) run(ctx context.Context, method string, attempt func(context.Context) result) error {
	start := time.Now()
	for n := 0; ; n++ {
		res := attempt(ctx)
		if err := ctx.Err(); err != nil {
			return err // cancelled (Ctrl-C) or the operation's timeout: stop now
		}
		retry, unknown := classify(method, res)
		if unknown {
			if res.err != nil {
				return fmt.Errorf("%w (%w)", ErrOutcomeUnknown, res.err)
			}
			return fmt.Errorf("%w (status %d)", ErrOutcomeUnknown, res.status)
		}
		if !retry || n >= p.maxRetries {
			return res.err
		}
		wait := p.backoff(n)
		if ra, ok := retryAfter(res.header, time.Now()); ok {
			wait = ra
		}
		if time.Since(start)+wait > p.budget {
			return res.err
		}
		if err := p.sleep(ctx, wait); err != nil {
			return err
		}
	}
}

// classify decides whether an attempt may be repeated, and whether a write
// ended with an unknown outcome. GET, PUT, PATCH and DELETE are idempotent
// and repeat on connection errors, 429, 502, 503 and 504. A POST repeats only
// when authentik provably did not act on it: nothing was sent, or it was
// throttled (429 comes before the view runs).
func classify(method string, res result) (retry, unknown bool) {
	idempotent := method != http.MethodPost
	if res.final {
		return false, false
	}
	if res.err != nil {
		if certificateRejected(res.err) {
			return false, false // a TLS setup problem does not heal by waiting
		}
		if !idempotent && res.sent {
			return false, true
		}
		return true, false
	}
	switch res.status {
	case http.StatusTooManyRequests:
		return true, false
	case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return idempotent, !idempotent
	}
	return false, false
}

// certificateRejected reports whether the server's certificate failed
// verification. crypto/tls wraps every verification failure in a
// *tls.CertificateVerificationError holding an x509 error by value; the bare
// x509 values cover a custom HTTPClient that verifies on its own.
func certificateRejected(err error) bool {
	var verifyErr *tls.CertificateVerificationError
	var authorityErr x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var invalidErr x509.CertificateInvalidError
	return errors.As(err, &verifyErr) || errors.As(err, &authorityErr) ||
		errors.As(err, &hostErr) || errors.As(err, &invalidErr)
}

// backoff is exponential with jitter: between half and all of
// minWait·2^n, capped at maxWait.
func (p retryPolicy) backoff(n int) time.Duration {
	d := p.minWait << min(n, 20)
	if d <= 0 || d > p.maxWait {
		d = p.maxWait
	}
	return d/2 + rand.N(d/2+1) //nolint:gosec // jitter needs no cryptographic randomness
}

// retryAfter reads a Retry-After header: delay seconds or an HTTP date.
func retryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	v := h.Get("Retry-After")
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.Atoi(v); err == nil && secs >= 0 {
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
