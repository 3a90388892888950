package fakeauthentik

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

//go:embed testdata/*.yml
var schemaFS embed.FS

// apiSchema is a parsed OpenAPI document with its router. It is shared by
// every server of the same version and only read after loading.
type apiSchema struct {
	doc    *openapi3.T
	router routers.Router
	err    error
}

var (
	schemaOnce = map[Version]*sync.Once{V2024_10: {}, V2025_10: {}, V2025_12: {}, V2026_2: {}}
	schemas    = map[Version]*apiSchema{}
	schemaMu   sync.Mutex
)

// loadSchema parses the embedded schema of v once per process.
func loadSchema(v Version) *apiSchema {
	schemaOnce[v].Do(func() {
		s := &apiSchema{}
		s.doc, s.router, s.err = parseSchema(profiles[v].schemaFile)
		schemaMu.Lock()
		schemas[v] = s
		schemaMu.Unlock()
	})
	schemaMu.Lock()
	defer schemaMu.Unlock()
	return schemas[v]
}

func parseSchema(file string) (*openapi3.T, routers.Router, error) {
	data, err := schemaFS.ReadFile(file)
	if err != nil {
		return nil, nil, err
	}
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(data)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", file, err)
	}
	// 2024.10 declares "/api/v3/", later versions "/api/v3"; a relative
	// server without the trailing slash makes the router match our paths on
	// any host.
	doc.Servers = openapi3.Servers{{URL: "/api/v3"}}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, nil, fmt.Errorf("%s: invalid OpenAPI document: %w", file, err)
	}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", file, err)
	}
	return doc, router, nil
}

var validationOptions = &openapi3filter.Options{
	MultiError: true,
	// The fake checks the token itself; the schema's bearer scheme is only
	// documentation here.
	AuthenticationFunc: func(context.Context, *openapi3filter.AuthenticationInput) error { return nil },
}

// validateRequest checks r (whose body has already been read into body)
// against the schema. Requests to paths the schema does not know give no
// violations; a method the schema does not list for a known path gives one.
func (s *apiSchema) validateRequest(r *http.Request, body []byte) []string {
	if s == nil || s.err != nil {
		return nil
	}
	req := r.Clone(context.Background())
	req.Body = io.NopCloser(bytes.NewReader(body))
	req.ContentLength = int64(len(body))
	route, params, err := s.router.FindRoute(req)
	if errors.Is(err, routers.ErrMethodNotAllowed) {
		return []string{fmt.Sprintf("method %s is not defined for this path in the OpenAPI schema", r.Method)}
	}
	if err != nil {
		return nil
	}
	if r.Method == http.MethodHead {
		return nil
	}
	in := &openapi3filter.RequestValidationInput{
		Request:    req,
		PathParams: params,
		Route:      route,
		Options:    validationOptions,
	}
	err = openapi3filter.ValidateRequest(context.Background(), in)
	if err == nil {
		return nil
	}
	return flattenErrors(err)
}

// validateResponse checks one answer of the fake against the schema of the
// route r matched. As in openapi3filter's default, a status code the
// operation does not declare is not checked: the real server answers
// undeclared 404s, 405s and HTML error pages too, so they are no finding.
// HEAD answers have no body to check. Every problem is prefixed "response: ".
func (s *apiSchema) validateResponse(r *http.Request, reqBody []byte, status int, header http.Header, body []byte) []string {
	if s == nil || s.err != nil || r.Method == http.MethodHead {
		return nil
	}
	req := r.Clone(context.Background())
	req.Body = io.NopCloser(bytes.NewReader(reqBody))
	route, params, err := s.router.FindRoute(req)
	if err != nil {
		return nil
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{
			Request: req, PathParams: params, Route: route, Options: validationOptions,
		},
		Status:  status,
		Header:  header,
		Body:    io.NopCloser(bytes.NewReader(body)),
		Options: validationOptions,
	}
	err = openapi3filter.ValidateResponse(context.Background(), in)
	if err == nil {
		return nil
	}
	var out []string
	for _, m := range flattenErrors(err) {
		out = append(out, "response: "+m)
	}
	return out
}

func flattenErrors(err error) []string {
	var me openapi3.MultiError
	if errors.As(err, &me) {
		var out []string
		for _, e := range me {
			out = append(out, flattenErrors(e)...)
		}
		return out
	}
	var re *openapi3filter.RequestError
	if errors.As(err, &re) && re.Err != nil {
		prefix := ""
		if re.Parameter != nil {
			prefix = fmt.Sprintf("parameter %q in %s: ", re.Parameter.Name, re.Parameter.In)
		} else if re.RequestBody != nil {
			prefix = "request body: "
		}
		var out []string
		for _, m := range flattenErrors(re.Err) {
			out = append(out, prefix+m)
		}
		return out
	}
	var se *openapi3.SchemaError
	if errors.As(err, &se) {
		return []string{fmt.Sprintf("at %q: %s", "/"+strings.Join(se.JSONPointer(), "/"), se.Reason)}
	}
	return []string{strings.ReplaceAll(err.Error(), "\n", " | ")}
}

// ValidateRequest checks one request (whose body is passed separately)
// against the trimmed OpenAPI schema of v, as the server does for every
// request it receives, and returns the violations. Unlike the server it also
// reports a path the schema does not know, so a typo cannot pass. It is an
// aid for tests (the client's contract test); the paths are matched below
// /api/v3 on any host.
func ValidateRequest(v Version, r *http.Request, body []byte) []string {
	if _, ok := profiles[v]; !ok {
		return []string{"unknown version " + string(v)}
	}
	s := loadSchema(v)
	if s.err != nil {
		return []string{s.err.Error()}
	}
	req := r.Clone(context.Background())
	req.Body = io.NopCloser(bytes.NewReader(body))
	if _, _, err := s.router.FindRoute(req); err != nil && !errors.Is(err, routers.ErrMethodNotAllowed) {
		return []string{fmt.Sprintf("no operation in the %s schema for %s %s", v, r.Method, r.URL.Path)}
	}
	return s.validateRequest(r, body)
}
