// Package acctest makes the fixtures of the acceptance tests through
// authentik's HTTP API, the same way on the fake (internal/fakeauthentik) and
// on a real authentik: users and their passwords, API tokens of non-admin
// users, flows and flow-stage bindings, out-of-band edits and deletes, and
// authenticator devices enrolled as a user would, through the flow executor
// (executor.go). It never touches the fake's store.
//
// It is test support: a plain JSON client that keeps every answer as it came
// (status, media type, body), so the transcript recorder
// (internal/fakeauthentik/internal/recorder) can drive the same calls and
// write down what a server answered.
package acctest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"strings"
	"time"
)

// Client talks to one authentik as one API token (usually the admin's).
type Client struct {
	base  string // scheme://host, without /api/v3
	token string
	hc    *http.Client
	// Record, when set, receives every HTTP exchange of this client and of
	// its sessions, redirects included, after its answer was read.
	Record func(Exchange)
}

// Exchange is one HTTP request and its answer.
type Exchange struct {
	Note        string // the caller's label (WithNote), e.g. "session: alice"
	Method      string
	Target      string // below /api/v3, with the query
	Request     []byte // nil when no body was sent
	Status      int
	StatusText  string // e.g. "HTTP/1.1 200 OK"
	ContentType string
	Allow       string
	Location    string
	Body        []byte
}

// New returns a client for baseURL (e.g. http://127.0.0.1:9000, with or
// without /api/v3) that presents token as its Bearer token.
func New(baseURL, token string) *Client {
	c := &Client{base: strings.TrimSuffix(strings.TrimSuffix(baseURL, "/"), "/api/v3"), token: token}
	c.hc = c.httpClient(nil)
	return c
}

// As returns a client for the same server with another token; it shares the
// recorder.
func (c *Client) As(token string) *Client {
	d := *c
	d.token = token
	d.hc = d.httpClient(nil)
	return &d
}

const apiPath = "/api/v3"

type noteKey struct{}

// WithNote labels the requests made with ctx in recorded exchanges.
func WithNote(ctx context.Context, note string) context.Context {
	return context.WithValue(ctx, noteKey{}, note)
}

// httpClient builds an http.Client whose transport hands every exchange to
// c.Record; a session passes its cookie jar.
func (c *Client) httpClient(jar *cookiejar.Jar) *http.Client {
	hc := &http.Client{Transport: recorder{c: c}, Timeout: 60 * time.Second}
	if jar != nil {
		hc.Jar = jar
	}
	return hc
}

type recorder struct{ c *Client }

func (rt recorder) RoundTrip(r *http.Request) (*http.Response, error) {
	var reqBody []byte
	if r.Body != nil {
		reqBody, _ = io.ReadAll(r.Body)
		_ = r.Body.Close()
		r.Body = io.NopCloser(bytes.NewReader(reqBody))
	}
	resp, err := http.DefaultTransport.RoundTrip(r)
	if err != nil || rt.c.Record == nil {
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	note, _ := r.Context().Value(noteKey{}).(string)
	target := strings.TrimPrefix(r.URL.RequestURI(), apiPath)
	rt.c.Record(Exchange{
		Note: note, Method: r.Method, Target: target, Request: reqBody,
		Status: resp.StatusCode, StatusText: resp.Proto + " " + resp.Status,
		ContentType: resp.Header.Get("Content-Type"), Allow: resp.Header.Get("Allow"),
		Location: resp.Header.Get("Location"), Body: body,
	})
	return resp, nil
}

// StatusError is an answer with an unexpected status.
type StatusError struct {
	Method, Target string
	Status         int
	Body           string
}

func (e *StatusError) Error() string {
	body := e.Body
	if len(body) > 300 {
		body = body[:300] + "…"
	}
	return fmt.Sprintf("%s /api/v3%s: status %d: %s", e.Method, e.Target, e.Status, body)
}

// IsStatus reports whether err is a StatusError with this status.
func IsStatus(err error, status int) bool {
	se, ok := err.(*StatusError) //nolint:errorlint // never wrapped by this package
	return ok && se.Status == status
}

// Do sends one JSON request to target (below /api/v3, e.g. "/core/users/")
// and, when out is not nil, decodes the answer into it. An answer whose
// status is not want is a *StatusError.
func (c *Client) Do(ctx context.Context, method, target string, in any, want int, out any) error {
	return c.do(ctx, c.hc, method, target, in, want, out, nil)
}

func (c *Client) do(ctx context.Context, hc *http.Client, method, target string, in any, want int, out any, header http.Header) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+apiPath+target, body)
	if err != nil {
		return err
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != want {
		return &StatusError{Method: method, Target: target, Status: resp.StatusCode, Body: string(raw)}
	}
	if out == nil || len(raw) == 0 {
		return nil
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return fmt.Errorf("%s /api/v3%s: decode %q: %w", method, target, raw, err)
	}
	return nil
}

// Version is the server's authentik release, e.g. "2024.10.5".
func (c *Client) Version(ctx context.Context) (string, error) {
	var v struct {
		Current string `json:"version_current"`
	}
	err := c.Do(ctx, http.MethodGet, "/admin/version/", nil, http.StatusOK, &v)
	return v.Current, err
}

// page is one page of a DRF list.
type page[T any] struct {
	Pagination struct {
		Next int `json:"next"`
	} `json:"pagination"`
	Results []T `json:"results"`
}

// list reads every page of a list (query is "" or starts with "?").
func list[T any](ctx context.Context, c *Client, path, query string) ([]T, error) {
	var all []T
	sep := "?"
	if query != "" {
		sep = "&"
	}
	for n := 1; ; {
		var p page[T]
		if err := c.Do(ctx, http.MethodGet, fmt.Sprintf("%s%s%spage=%d", path, query, sep, n), nil, http.StatusOK, &p); err != nil {
			return nil, err
		}
		all = append(all, p.Results...)
		if p.Pagination.Next == 0 {
			return all, nil
		}
		n = p.Pagination.Next
	}
}

// Send sends one request whose body (if not nil) is JSON-encoded and
// returns the status and body of the answer, whatever they are. The
// transcript recorder uses it for the calls that are meant to fail.
func (c *Client) Send(ctx context.Context, method, target string, in any) (int, []byte, error) {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return 0, nil, err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+apiPath+target, body)
	if err != nil {
		return 0, nil, err
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	return resp.StatusCode, raw, err
}
