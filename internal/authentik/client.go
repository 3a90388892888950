// Package authentik is a small, tolerant client for the parts of authentik's
// REST API (/api/v3/) that the Terraform provider manages. It imports nothing
// from Terraform, so it can be tested and reused on its own.
package authentik

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strings"
	"sync"
	"time"
)

const (
	apiPath = "/api/v3"
	// maxBodyBytes caps how much of an answer is read. The largest answer
	// this client reads is a 100-item list page, far below it.
	maxBodyBytes = 8 << 20
	// maxErrorBytes caps how much of an error answer is read: DRF error
	// bodies are small, and an HTML error page is never shown anyway.
	maxErrorBytes = 64 << 10
)

// Config configures a Client.
type Config struct {
	// URL is authentik's base URL, e.g. https://authentik.example.com or
	// https://example.com/auth. "/api/v3" is appended unless the path
	// already ends with it.
	URL string
	// Token is an authentik API token, sent as "Authorization: Bearer".
	Token string
	// Headers are extra request headers (a proxy's, for example). They
	// cannot replace Authorization, Content-Type, Accept or User-Agent.
	Headers map[string]string
	// Insecure skips TLS certificate verification.
	Insecure bool
	// UserAgent is sent with every request.
	UserAgent string
	// HTTPClient replaces the client built from the settings above (tests).
	HTTPClient *http.Client
	// Retry bounds retries; the zero value takes the defaults.
	Retry RetryConfig
	// RequestTimeout bounds one attempt (connect to last byte); 0 takes
	// DefaultRequestTimeout, a negative value means none.
	RequestTimeout time.Duration
	// CACertPEM adds PEM certificates to the system roots, for an authentik
	// behind a private CA.
	CACertPEM string
	// OnRequest, when set, is called after every request. It receives no
	// body and no header, so it can never leak a secret.
	OnRequest func(ctx context.Context, r RequestInfo)
}

// RequestInfo describes one finished request for logging.
type RequestInfo struct {
	Method   string
	Path     string // below /api/v3, with the query string
	Status   int    // 0 when no answer arrived
	Duration time.Duration
	Err      error // transport error, if any
}

// Client talks to one authentik server. It is safe for concurrent use and
// keeps connections alive across requests.
type Client struct {
	base      string // scheme://host[/prefix]/api/v3
	token     string
	headers   http.Header
	userAgent string
	http      *http.Client
	onRequest func(context.Context, RequestInfo)

	retry          retryPolicy
	requestTimeout time.Duration
	// friendlyName remembers which empty value this server wants for
	// friendly_name; see friendlyNameMode.
	friendlyName friendlyNameMode
	version      versionCache
	// endpoints remembers, per device kind, whether the admin device
	// endpoints refused this Client's token (devices.go).
	endpoints endpointMemos
	// duoImport serialises Duo device imports (devices_duo.go).
	duoImport sync.Mutex
	// health shares an unreachable server or a refused token across
	// requests; see health.go.
	health health
}

// New validates cfg and returns a Client. It makes no request.
func New(cfg Config) (*Client, error) {
	base, err := BaseURL(cfg.URL)
	if err != nil {
		return nil, err
	}
	if cfg.Token == "" {
		return nil, errors.New("authentik: an API token is required")
	}
	headers := http.Header{}
	for k, v := range cfg.Headers {
		switch http.CanonicalHeaderKey(k) {
		case "Authorization", "Content-Type", "Accept", "User-Agent":
			return nil, fmt.Errorf("authentik: header %q is set by the client and cannot be overridden", k)
		}
		headers.Set(k, v)
	}
	hc := cfg.HTTPClient
	if hc == nil {
		transport := http.DefaultTransport.(*http.Transport).Clone()
		// Terraform applies up to 10 resources at once; keep that many
		// connections warm instead of the default 2.
		transport.MaxIdleConnsPerHost = 32
		tlsCfg, err := tlsConfig(cfg)
		if err != nil {
			return nil, err
		}
		transport.TLSClientConfig = tlsCfg
		hc = &http.Client{Transport: transport}
	}
	ua := cfg.UserAgent
	if ua == "" {
		ua = "terraform-provider-authentik"
	}
	timeout := cfg.RequestTimeout
	switch {
	case timeout == 0:
		timeout = DefaultRequestTimeout
	case timeout < 0:
		timeout = 0
	}
	return &Client{base: base, token: cfg.Token, headers: headers, userAgent: ua, http: hc, onRequest: cfg.OnRequest,
		retry: newRetryPolicy(cfg.Retry), requestTimeout: timeout,
		health: health{site: strings.TrimSuffix(base, apiPath), now: time.Now}}, nil
}

// ErrBadCACert is New's error for a Config.CACertPEM without a certificate.
var ErrBadCACert = errors.New("authentik: the CA certificate holds no PEM certificate")

func tlsConfig(cfg Config) (*tls.Config, error) {
	t := &tls.Config{MinVersion: tls.VersionTLS12}
	if cfg.Insecure {
		t.InsecureSkipVerify = true //nolint:gosec // the user asked for it with insecure = true
	}
	if cfg.CACertPEM != "" {
		pool, err := x509.SystemCertPool()
		if err != nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM([]byte(cfg.CACertPEM)) {
			return nil, ErrBadCACert
		}
		t.RootCAs = pool
	}
	return t, nil
}

// BaseURL normalizes a user-supplied authentik URL to the API base: it keeps
// scheme, host and any sub-path, and appends /api/v3 unless the path already
// ends with it.
func BaseURL(raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return "", fmt.Errorf("authentik: URL %q is not a valid URL: %w", raw, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", fmt.Errorf("authentik: URL %q must start with https:// or http://", raw)
	}
	if u.Host == "" {
		return "", fmt.Errorf("authentik: URL %q has no host", raw)
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return "", fmt.Errorf("authentik: URL %q must not contain a query, fragment or user info", raw)
	}
	p := strings.TrimRight(u.Path, "/")
	if !strings.HasSuffix(p, apiPath) {
		p += apiPath
	}
	u.Path, u.RawPath = p, ""
	return u.String(), nil
}

// do sends a request, retrying as retry.go allows, and decodes a 2xx JSON
// answer into out (when not nil). path is below /api/v3 and must end with
// "/": authentik answers an HTML 404 to a path without the trailing slash.
func (c *Client) do(ctx context.Context, method, path string, query url.Values, in, out any) error {
	if !strings.HasPrefix(path, "/") || !strings.HasSuffix(path, "/") {
		return fmt.Errorf("authentik: internal error: path %q must start and end with /", path)
	}
	target, logPath := c.base+path, path
	if len(query) > 0 {
		target += "?" + query.Encode()
		logPath += "?" + query.Encode()
	}
	var body []byte
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return fmt.Errorf("authentik: encode %s %s: %w", method, path, err)
		}
		body = b
	}

	var res result
	t := c.health.ticket()
	err := c.retry.run(ctx, method, func(ctx context.Context) result {
		if err := c.health.admit(ctx, &t); err != nil {
			return result{err: err, final: true}
		}
		res = c.send(ctx, method, target, logPath, body)
		c.health.observe(&t, method, path, res)
		return res
	})
	if err = c.health.leave(ctx, &t, err); err != nil {
		return fmt.Errorf("authentik: %s %s%s: %w", method, apiPath, path, err)
	}
	if res.status < 200 || res.status > 299 {
		return parseAPIError(method, path, res.status, res.header, res.body)
	}
	if out == nil {
		return nil
	}
	if mt, _, _ := mime.ParseMediaType(res.header.Get("Content-Type")); mt != "application/json" {
		return fmt.Errorf("authentik: %s %s%s answered %d with content type %q, expected JSON; is the URL an authentik server?",
			method, apiPath, path, res.status, mt)
	}
	if err := json.Unmarshal(res.body, out); err != nil {
		return fmt.Errorf("authentik: decode answer to %s %s%s: %w", method, apiPath, path, err)
	}
	return nil
}

// result is one attempt's outcome.
type result struct {
	status int
	header http.Header
	body   []byte
	err    error // transport or read error; status is 0 when nothing came back
	// sent is false only when the request provably never reached the
	// server (no byte of it was written), the one case a POST may be retried.
	sent bool
	// final marks a request that was not sent because the Client already
	// knows it would fail (see health.go); it is never retried.
	final bool
}

// send makes one attempt, bounded by the per-request timeout, and reads the
// (size-capped) answer before returning.
func (c *Client) send(ctx context.Context, method, target, logPath string, body []byte) result {
	if c.requestTimeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.requestTimeout)
		defer cancel()
	}
	var res result
	ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		WroteHeaderField: func(string, []string) { res.sent = true },
	})
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, target, rd)
	if err != nil {
		return result{err: err}
	}
	for k, v := range c.headers {
		req.Header[k] = v
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.userAgent)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}

	start := time.Now()
	resp, err := c.http.Do(req)
	if err != nil {
		res.err = err
		c.log(ctx, RequestInfo{Method: req.Method, Path: logPath, Duration: time.Since(start), Err: err})
		return res
	}
	defer resp.Body.Close()
	res.status, res.header = resp.StatusCode, resp.Header
	limit := int64(maxBodyBytes)
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		limit = maxErrorBytes
	}
	res.body, res.err = io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if res.err == nil && int64(len(res.body)) > limit {
		if limit == maxErrorBytes {
			res.body = res.body[:limit] // an error page: its start is enough
		} else {
			res.err = fmt.Errorf("answer is larger than %d bytes", limit)
		}
	}
	c.log(ctx, RequestInfo{Method: req.Method, Path: logPath, Status: res.status, Duration: time.Since(start), Err: res.err})
	return res
}

func (c *Client) log(ctx context.Context, info RequestInfo) {
	if c.onRequest != nil {
		c.onRequest(ctx, info)
	}
}

// page is one page of a DRF list answer. authentik ≥ 2025.8 adds an
// "autocomplete" member, which is ignored here.
type page[T any] struct {
	Pagination struct {
		Next  float64 `json:"next"` // a page number, or 0 for none
		Count float64 `json:"count"`
	} `json:"pagination"`
	Results []T `json:"results"`
}

// listPageSize is the largest page authentik ≥ 2025.12 serves (older
// versions have no cap, so it is safe everywhere).
const listPageSize = 100

// maxPages bounds a listing at 100,000 objects.
const maxPages = 1000

// listAll follows the pagination of a list endpoint and returns every item.
func listAll[T any](ctx context.Context, c *Client, path string, query url.Values) ([]T, error) {
	q := url.Values{}
	for k, v := range query {
		q[k] = v
	}
	q.Set("page_size", fmt.Sprint(listPageSize))
	var all []T
	for pageNo := 1; ; {
		q.Set("page", fmt.Sprint(pageNo))
		var p page[T]
		if err := c.do(ctx, http.MethodGet, path, q, nil, &p); err != nil {
			return nil, err
		}
		all = append(all, p.Results...)
		next := int(p.Pagination.Next)
		// Stop on the last page, and on answers that could loop forever
		// (an empty page that still points onwards, or pages going backwards).
		if next <= pageNo || len(p.Results) == 0 || pageNo >= maxPages {
			return all, nil
		}
		pageNo = next
	}
}

// versionCache holds the server version once it has been asked for.
type versionCache struct {
	mu      sync.Mutex
	done    bool
	version string
	err     error
}

// Version is authentik's /admin/version/ answer.
type Version struct {
	Current string `json:"version_current"`
}

// ServerVersion returns the running authentik version, e.g. "2025.12.4". It
// asks the server at most once per Client (a failure is remembered too), so
// callers may use it freely. Only features that depend on the version call it.
func (c *Client) ServerVersion(ctx context.Context) (string, error) {
	c.version.mu.Lock()
	defer c.version.mu.Unlock()
	if !c.version.done {
		var v Version
		err := c.do(ctx, http.MethodGet, "/admin/version/", nil, nil, &v)
		if ctx.Err() != nil {
			return "", err // cancelled: ask again next time
		}
		c.version.version, c.version.err, c.version.done = v.Current, err, true
	}
	return c.version.version, c.version.err
}
