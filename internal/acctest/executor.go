package acctest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Session is a browser-like session with authentik's flow executor
// (/api/v3/flows/executor/<slug>/): a cookie jar and no token. What a real
// authentik 2024.10.5 and 2025.12.4 answered, recorded in
// internal/fakeauthentik/testdata/real/fixtures-*.txt:
//
//   - GET answers the pending stage's challenge: JSON whose "component"
//     names the stage (ak-stage-identification, ak-stage-password,
//     ak-stage-authenticator-totp, ak-stage-authenticator-static, …), or
//     xak-flow-redirect when the flow is done.
//   - POST solves it. A valid answer gets a 302 back to the executor's GET
//     (http.Client follows it) while stages remain, or xak-flow-redirect
//     when that was the last; an invalid one gets the same challenge again
//     with "response_errors". Stages that need no input (the multi-factor
//     check of a user without devices, the login) answer their GET with a
//     302 too.
//   - Once logged in, the session is authenticated, and DRF's session
//     authentication wants the CSRF token of the authentik_csrf cookie in an
//     X-authentik-CSRF header on every POST; without it the flow fails with
//     ak-stage-flow-error.
type Session struct {
	c    *Client
	hc   *http.Client
	jar  *cookiejar.Jar
	note string
	// codeAsNumber: authentik before 2025 declares the TOTP answer's code
	// an integer (2025.x a string); nil until asked.
	codeAsNumber *bool
	// OmitCSRF leaves the X-authentik-CSRF header out of POSTs, to record
	// what authentik answers then.
	OmitCSRF bool
}

// NewSession starts a session with no cookies. note labels its exchanges
// for the recorder.
func (c *Client) NewSession(note string) *Session {
	jar, _ := cookiejar.New(nil)
	return &Session{c: c, hc: c.httpClient(jar), jar: jar, note: note}
}

// Challenge is one answer of the flow executor.
type Challenge struct {
	Component      string                     `json:"component"`
	To             string                     `json:"to"`
	ConfigURL      string                     `json:"config_url"`
	Codes          []string                   `json:"codes"`
	ErrorMessage   string                     `json:"error_message"`
	ResponseErrors map[string]json.RawMessage `json:"response_errors"`
	Raw            json.RawMessage            `json:"-"`
}

func (s *Session) executor(slug string) string {
	return "/flows/executor/" + url.PathEscape(slug) + "/?query="
}

// Get asks for the pending challenge of a flow.
func (s *Session) Get(ctx context.Context, slug string) (Challenge, error) {
	return s.exchange(ctx, http.MethodGet, slug, nil)
}

// Solve answers the pending challenge; the executor's redirect is followed.
func (s *Session) Solve(ctx context.Context, slug string, answer map[string]any) (Challenge, error) {
	return s.exchange(ctx, http.MethodPost, slug, answer)
}

func (s *Session) exchange(ctx context.Context, method, slug string, answer map[string]any) (Challenge, error) {
	var h http.Header
	note := s.note
	switch {
	case method == http.MethodPost && s.OmitCSRF:
		note += ", without X-authentik-CSRF"
	case method == http.MethodPost:
		h = http.Header{"X-Authentik-Csrf": {s.csrf()}}
	}
	anon := *s.c
	anon.token = "" // the executor is used as a browser would: cookies only
	var raw json.RawMessage
	var in any
	if answer != nil {
		in = answer
	}
	if err := anon.do(WithNote(ctx, note), s.hc, method, s.executor(slug), in, http.StatusOK, &raw, h); err != nil {
		return Challenge{}, err
	}
	var ch Challenge
	if err := json.Unmarshal(raw, &ch); err != nil {
		return Challenge{}, err
	}
	ch.Raw = raw
	return ch, nil
}

// csrf is the authentik_csrf cookie's value ("" before login).
func (s *Session) csrf() string {
	u, _ := url.Parse(s.c.base + "/")
	for _, ck := range s.jar.Cookies(u) {
		if ck.Name == "authentik_csrf" {
			return ck.Value
		}
	}
	return ""
}

// expect fails unless ch is the challenge of component.
func expect(ch Challenge, component string) error {
	if ch.Component == component && len(ch.ResponseErrors) == 0 {
		return nil
	}
	detail := string(ch.Raw)
	if len(detail) > 400 {
		detail = detail[:400] + "…"
	}
	return fmt.Errorf("flow executor: want %s, got %s", component, detail)
}

// Login runs default-authentication-flow (identification, then password)
// for a user without any authenticator device, whose multi-factor stage
// therefore passes silently. A user with a device is asked for a code after
// the password; log in once and enroll every device in that session.
func (s *Session) Login(ctx context.Context, username, password string) error {
	const flow = "default-authentication-flow"
	steps := []struct {
		component string
		answer    map[string]any
	}{
		{"ak-stage-identification", map[string]any{"component": "ak-stage-identification", "uid_field": username}},
		{"ak-stage-password", map[string]any{"component": "ak-stage-password", "password": password}},
	}
	ch, err := s.Get(ctx, flow)
	for _, st := range steps {
		if err != nil {
			return err
		}
		if err := expect(ch, st.component); err != nil {
			return err
		}
		ch, err = s.Solve(ctx, flow, st.answer)
	}
	if err != nil {
		return err
	}
	return expect(ch, "xak-flow-redirect")
}

// EnrollTOTP runs default-authenticator-totp-setup in a logged-in session:
// it reads the secret from the challenge's otpauth:// config_url and answers
// with the current RFC 6238 code. It returns the base32 secret.
func (s *Session) EnrollTOTP(ctx context.Context) (string, error) {
	const flow = "default-authenticator-totp-setup"
	ch, err := s.Get(ctx, flow)
	if err != nil {
		return "", err
	}
	if err := expect(ch, "ak-stage-authenticator-totp"); err != nil {
		return "", err
	}
	secret, err := SecretFromURL(ch.ConfigURL)
	if err != nil {
		return "", err
	}
	code, err := s.TOTPAnswer(ctx, secret, time.Now())
	if err != nil {
		return "", err
	}
	ch, err = s.Solve(ctx, flow, map[string]any{"component": "ak-stage-authenticator-totp", "code": code})
	if err != nil {
		return "", err
	}
	return secret, expect(ch, "xak-flow-redirect")
}

// TOTPAnswer is the code for the TOTP setup stage's answer, typed as the
// server's schema declares it: a JSON number before authentik 2025 (an
// IntegerField), a string from 2025.
func (s *Session) TOTPAnswer(ctx context.Context, secret string, t time.Time) (any, error) {
	code, err := TOTPCode(secret, t)
	if err != nil {
		return nil, err
	}
	if s.codeAsNumber == nil {
		v, err := s.c.Version(ctx)
		if err != nil {
			return nil, err
		}
		asNumber := strings.HasPrefix(v, "2024.")
		s.codeAsNumber = &asNumber
	}
	if *s.codeAsNumber {
		n, _ := strconv.Atoi(code)
		return n, nil
	}
	return code, nil
}

// EnrollStatic runs default-authenticator-static-setup in a logged-in
// session and returns the static tokens it showed.
func (s *Session) EnrollStatic(ctx context.Context) ([]string, error) {
	const flow = "default-authenticator-static-setup"
	ch, err := s.Get(ctx, flow)
	if err != nil {
		return nil, err
	}
	if err := expect(ch, "ak-stage-authenticator-static"); err != nil {
		return nil, err
	}
	codes := ch.Codes
	if len(codes) == 0 {
		return nil, errors.New("flow executor: the static setup challenge shows no codes")
	}
	ch, err = s.Solve(ctx, flow, map[string]any{"component": "ak-stage-authenticator-static"})
	if err != nil {
		return nil, err
	}
	return codes, expect(ch, "xak-flow-redirect")
}

// SecretFromURL returns the secret parameter of an otpauth:// URL.
func SecretFromURL(configURL string) (string, error) {
	u, err := url.Parse(configURL)
	if err != nil || u.Scheme != "otpauth" {
		return "", fmt.Errorf("config_url %q is not an otpauth:// URL", configURL)
	}
	secret := u.Query().Get("secret")
	if secret == "" {
		return "", fmt.Errorf("config_url %q has no secret", configURL)
	}
	return strings.ToUpper(secret), nil
}
