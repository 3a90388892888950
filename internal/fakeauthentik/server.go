// Package fakeauthentik is an in-memory HTTP fake of the authentik REST API
// (authenticator stages, WebAuthn device types, TOTP devices, flows and their
// bindings, and what test fixtures need: users, API tokens, the device lists
// and a flow executor for password login and TOTP/static enrollment),
// faithful to the answers of real authentik 2024.10.5 and 2025.12.4 servers
// (testdata/real/ holds their transcripts; the fidelity tests replay them). Every request, and every
// answer of the fake itself, is validated against the real OpenAPI schema of
// the chosen version and logged (see Violations).
//
// It is used by unit tests, acceptance tests and the demo command; it does not
// import "testing".
package fakeauthentik

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
)

const apiPrefix = "/api/v3"

// Options configures a Server.
type Options struct {
	Version    Version       // default V2025_12
	AdminToken string        // default: a random token; its user is the superuser "akadmin"
	Latency    time.Duration // added before answering every request; default 0
	// Logf, when set, receives one line per request (method, path, status).
	Logf func(format string, args ...any)
}

// Request is one request the server received.
type Request struct {
	Method   string
	Path     string // relative to /api/v3, e.g. "/stages/authenticator/duo/<uuid>/"
	RawQuery string
	Body     []byte
	Token    string // the bearer token presented ("" if none)
	Status   int    // what the fake answered
	// Violations are the request's OpenAPI violations, then those of the
	// fake's answer, each of the latter prefixed "response: ".
	Violations []string
}

// Server is a running fake authentik.
type Server struct {
	ts      *httptest.Server
	version Version
	prof    profile
	schema  *apiSchema
	latency time.Duration
	logf    func(string, ...any)
	admin   string

	mu         sync.Mutex
	users      map[int]*user        // by pk (users.go)
	tokens     map[string]*tokenRec // by identifier (tokens.go)
	nextUserPK int
	flows      []*flowRec
	stages     stageStore              // authenticator stages, WebAuthn device types (stages.go)
	otherStage map[string]string       // name -> pk of seeded stages the fake models by name only
	devices    deviceStore             // authenticator devices of every kind (devices_store.go)
	bindings   []*bindingRec           // flow-stage bindings (bindings.go)
	sessions   map[string]*flowSession // flow executor sessions (executor.go)
	// logMu guards the log alone: handlers answer while holding mu, and
	// the log is written as the answer starts.
	logMu      sync.Mutex
	requests   []Request
	violations []string
	faults     []*faultRule
	// conns counts TCP connections accepted, open those not yet closed and
	// peakOpen the most open at once; for benchmarks (stats.go).
	conns, open, peakOpen atomic.Int64
}

type faultRule struct {
	method, prefix string
	left           int
	f              Fault
}

// New starts a fake on a random local port.
func New(opts Options) *Server {
	s := newServer(opts)
	s.ts = httptest.NewUnstartedServer(s)
	s.countConnections()
	s.ts.Start()
	return s
}

// NewWithListener starts a fake that serves on l (used by the command).
func NewWithListener(l net.Listener, opts Options) *Server {
	s := newServer(opts)
	s.ts = httptest.NewUnstartedServer(s)
	_ = s.ts.Listener.Close()
	s.ts.Listener = l
	s.countConnections()
	s.ts.Start()
	return s
}

func newServer(opts Options) *Server {
	v := opts.Version
	if v == "" {
		v = V2025_12
	}
	prof, ok := profiles[v]
	if !ok {
		panic("fakeauthentik: unknown version " + string(v))
	}
	s := &Server{
		version:    v,
		prof:       prof,
		schema:     loadSchema(v),
		latency:    opts.Latency,
		logf:       opts.Logf,
		users:      map[int]*user{},
		tokens:     map[string]*tokenRec{},
		sessions:   map[string]*flowSession{},
		nextUserPK: 1,
		otherStage: map[string]string{},
	}
	if s.schema.err != nil {
		panic("fakeauthentik: " + s.schema.err.Error())
	}
	s.admin = opts.AdminToken
	if s.admin == "" {
		s.admin = randomToken()
	}
	s.addUser("akadmin", true, s.admin)
	admin := s.users[1] // as authentik's default blueprints make it
	admin.name, admin.email, admin.adminGroupUUID = "authentik Default Admin", "root@example.com", uuid.NewString()
	s.seed()
	s.seedStages()
	return s
}

func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// URL is the server's base URL without /api/v3, e.g. http://127.0.0.1:41234.
func (s *Server) URL() string { return s.ts.URL }

// Close stops the server.
func (s *Server) Close() { s.ts.Close() }

// Version is the imitated authentik version.
func (s *Server) Version() Version { return s.version }

// AdminToken is the API token of the superuser akadmin.
func (s *Server) AdminToken() string { return s.admin }

// Requests returns a copy of the request log, oldest first.
func (s *Server) Requests() []Request {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	out := make([]Request, len(s.requests))
	copy(out, s.requests)
	return out
}

// ResetRequests empties the request log and the list of violations.
func (s *Server) ResetRequests() {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	s.requests = nil
	s.violations = nil
}

// Violations returns every OpenAPI violation seen so far, each prefixed
// with "METHOD path: ". A request that breaks the schema gives its problems
// as they are; an answer of the fake that breaks the schema of its version
// gives "METHOD path: response: …". Answers are checked only for status
// codes the schema declares (the real server's 404, 405 and HTML error
// pages are undeclared), never for HEAD or OPTIONS, never for injected
// faults, and never for the two recorded answers that break the release's
// own schema (answerOffSchema: 2024.10's "captcha_stage": null, and the Duo
// stage's enrollment_status 400 without a content type).
func (s *Server) Violations() []string {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	return append([]string(nil), s.violations...)
}

// InjectFault makes the next n requests whose method matches (""= any) and
// whose path relative to /api/v3 starts with pathPrefix get f instead of being
// handled. Faults are matched in the order they were injected.
func (s *Server) InjectFault(method, pathPrefix string, n int, f Fault) {
	if n <= 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &faultRule{method: strings.ToUpper(method), prefix: pathPrefix, left: n, f: f})
}

func (s *Server) takeFault(method, path string) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, r := range s.faults {
		if (r.method == "" || r.method == method) && strings.HasPrefix(path, r.prefix) {
			r.left--
			if r.left <= 0 {
				s.faults = append(s.faults[:i], s.faults[i+1:]...)
			}
			return r.f, true
		}
	}
	return Fault{}, false
}

// statusWriter holds a handler's answer until the handler is done, so that
// the answer can be checked against the schema and the request logged (with
// every violation, request and response) before any byte leaves: a client
// that has its answer must find its request, and its violations, in the log
// already.
type statusWriter struct {
	http.ResponseWriter
	status int
	buf    bytes.Buffer
	// offSchema marks an answer the real server gives although it breaks
	// the OpenAPI schema (recorded); it is not checked against the schema.
	offSchema bool
}

// answerOffSchema marks w's answer as one the real server gives in spite of
// its schema (see statusWriter.offSchema).
func answerOffSchema(w http.ResponseWriter) {
	if h, ok := w.(headWriter); ok {
		w = h.ResponseWriter
	}
	if sw, ok := w.(*statusWriter); ok {
		sw.offSchema = true
	}
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.WriteHeader(http.StatusOK)
	}
	return w.buf.Write(b)
}

// ServeHTTP handles one request: latency, logging, validation, faults, then
// routing.
func (s *Server) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	if s.latency > 0 {
		time.Sleep(s.latency)
	}
	body, _ := io.ReadAll(r.Body)
	_ = r.Body.Close()
	r.Body = io.NopCloser(bytes.NewReader(body))

	rel := r.URL.EscapedPath()
	if strings.HasPrefix(rel, apiPrefix+"/") {
		rel = strings.TrimPrefix(rel, apiPrefix)
	}
	viol := s.schema.validateRequest(r, body)
	rec := Request{
		Method:   r.Method,
		Path:     rel,
		RawQuery: r.URL.RawQuery,
		Body:     body,
		Token:    bearerToken(r),
	}
	// record logs the request with its status; respViol are the problems of
	// the fake's own answer (validateResponse), prefixed "response: ".
	record := func(status int, respViol []string) {
		rec.Status = status
		rec.Violations = append(append([]string(nil), viol...), respViol...)
		s.logMu.Lock()
		s.requests = append(s.requests, rec)
		for _, v := range rec.Violations {
			s.violations = append(s.violations, r.Method+" "+rel+": "+v)
		}
		s.logMu.Unlock()
		if s.logf != nil {
			s.logf("%s %s %d", r.Method, r.URL.Path, status)
		}
	}
	w := &statusWriter{ResponseWriter: rw}
	// send validates and logs the held answer, then writes it. Injected
	// faults are canned answers, not the fake's; they are not validated.
	send := func(validate bool) {
		if w.status == 0 { // a handler that wrote nothing answers 200
			w.status = http.StatusOK
		}
		var respViol []string
		if validate && !w.offSchema {
			respViol = s.schema.validateResponse(r, body, w.status, w.Header(), w.buf.Bytes())
		}
		record(w.status, respViol)
		rw.WriteHeader(w.status)
		_, _ = rw.Write(w.buf.Bytes())
	}

	if f, ok := s.takeFault(r.Method, rel); ok {
		if f.Delay > 0 {
			select {
			case <-time.After(f.Delay):
			case <-r.Context().Done():
			}
		}
		switch {
		case f.Drop:
			record(0, nil) // no answer at all
			dropConnection(rw)
			return
		case f.DropAfterHandling:
			lost := &statusWriter{ResponseWriter: httptest.NewRecorder()}
			s.route(lost, r, body)
			if lost.status == 0 {
				lost.status = http.StatusOK
			}
			record(lost.status, s.schema.validateResponse(r, body, lost.status, lost.Header(), lost.buf.Bytes()))
			dropConnection(rw)
			return
		case !f.Handle:
			writeFault(w, f)
			send(false)
			return
		}
	}
	s.route(w, r, body)
	send(true)
}

// dropConnection closes the client's connection without an answer.
func dropConnection(rw http.ResponseWriter) {
	if hj, ok := rw.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			_ = conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler) // HTTP/2 or a recorder: abort the stream instead
}

// noRoute answers a path no URL pattern matches. Django's handler404 is a
// TemplateView: GET and HEAD get the HTML 404 page, OPTIONS the view's empty
// 200, and every other method the view's own 405 with an empty text/html
// body, the same as a server error on a write (checked on both real servers).
func (s *Server) noRoute(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		writeHTMLNotFound(w, s.prof.htmlPadding)
	case http.MethodOptions:
		writeFault(w, Fault{Status: http.StatusOK, ContentType: WriteServerError.ContentType, Header: WriteServerError.Header})
	default:
		writeFault(w, WriteServerError)
	}
}

// versionInfo is GET /admin/version/.
func (s *Server) versionInfo(w http.ResponseWriter, c *call) {
	writeJSON(w, http.StatusOK, obj{
		{"version_current", s.prof.full},
		// The recorded servers run with update checks off.
		{"version_latest", "0.0.0"},
		{"version_latest_valid", false},
		{"build_hash", ""},
		{"outdated", false},
		{"outpost_outdated", false},
	})
}
