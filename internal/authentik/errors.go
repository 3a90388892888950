package authentik

import (
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"sort"
	"strings"
)

// APIError is an answer from authentik with a status outside 2xx.
//
// authentik renders errors through Django REST framework: a 400 is an object
// of field name to messages (plus "non_field_errors"), and 403, 404 and 405
// carry {"detail": "..."}. An unhandled server error is not JSON at all: a
// GET gets a 500 HTML page, and a write (POST, PUT, PATCH, DELETE) gets an
// empty text/html 405 with "Allow: GET, HEAD, OPTIONS", because authentik's
// error view is a template view that only answers GET. The body is decoded by
// its content type, never by its status.
type APIError struct {
	Method string // HTTP method of the request.
	Path   string // Path of the request below /api/v3, e.g. "/stages/authenticator/duo/".
	Status int    // HTTP status code.
	// ContentType is the media type of the answer without parameters.
	ContentType string
	// Detail is DRF's "detail" message, if the answer had one.
	Detail string
	// FieldErrors maps an API field name to authentik's messages for it.
	FieldErrors map[string][]string
	// NonFieldErrors are DRF's "non_field_errors" messages.
	NonFieldErrors []string
	// HTML is true when authentik answered with an HTML page (or an empty
	// text/html body) instead of JSON. Its text is never kept.
	HTML bool
}

// Error gives a one-line summary with authentik's own words, never a page.
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "authentik answered %d to %s /api/v3%s", e.Status, e.Method, e.Path)
	switch {
	case e.IsServerError():
		b.WriteString(": internal server error")
	case e.Detail != "":
		fmt.Fprintf(&b, ": %s", e.Detail)
	}
	for _, f := range e.sortedFields() {
		fmt.Fprintf(&b, "; %s: %s", f, strings.Join(e.FieldErrors[f], " "))
	}
	if len(e.NonFieldErrors) > 0 {
		fmt.Fprintf(&b, "; %s", strings.Join(e.NonFieldErrors, " "))
	}
	return b.String()
}

func (e *APIError) sortedFields() []string {
	fields := make([]string, 0, len(e.FieldErrors))
	for f := range e.FieldErrors {
		fields = append(fields, f)
	}
	sort.Strings(fields)
	return fields
}

// IsServerError reports whether authentik failed internally: any 5xx, or the
// empty HTML 405 that a failing write produces.
func (e *APIError) IsServerError() bool {
	if e.Status >= 500 {
		return true
	}
	return e.Status == http.StatusMethodNotAllowed && e.HTML
}

// IsNotFound reports whether err is authentik's JSON 404 for an object that
// does not exist. An HTML 404 means the route itself is wrong (for example a
// URL that is not an authentik API), which is not "the object is gone".
func IsNotFound(err error) bool {
	var e *APIError
	return errors.As(err, &e) && e.Status == http.StatusNotFound && !e.HTML
}

// IsForbidden reports whether authentik refused the token or its permissions.
// authentik answers 403 for both: it never sends 401.
func IsForbidden(err error) bool {
	var e *APIError
	return errors.As(err, &e) && e.Status == http.StatusForbidden
}

// IsServerError reports whether err is an internal failure on authentik's side.
func IsServerError(err error) bool {
	var e *APIError
	return errors.As(err, &e) && e.IsServerError()
}

// parseAPIError builds an APIError from an answer's status, headers and
// (already size-capped) body.
func parseAPIError(method, path string, status int, header http.Header, body []byte) *APIError {
	e := &APIError{Method: method, Path: path, Status: status}
	mediaType, _, _ := mime.ParseMediaType(header.Get("Content-Type"))
	e.ContentType = mediaType
	switch {
	case mediaType == "application/json" || strings.HasSuffix(mediaType, "+json"):
		decodeDRFError(e, body)
	case mediaType == "text/html":
		e.HTML = true
	}
	return e
}

// decodeDRFError reads a DRF error body. Anything that is not the expected
// shape is ignored rather than failing: the status still tells the story.
func decodeDRFError(e *APIError, body []byte) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(body, &raw); err != nil {
		return
	}
	for key, value := range raw {
		switch key {
		case "detail":
			_ = json.Unmarshal(value, &e.Detail)
		case "non_field_errors":
			e.NonFieldErrors = messages(value)
		case "code":
			// Not sent by authentik; tolerated if a proxy adds it.
		default:
			if e.FieldErrors == nil {
				e.FieldErrors = map[string][]string{}
			}
			e.FieldErrors[key] = messages(value)
		}
	}
}

// messages flattens a DRF message value: a string, a list of strings, or
// nested objects and lists for nested serializers ("slug: Flow with this slug
// already exists.").
func messages(value json.RawMessage) []string {
	var s string
	if json.Unmarshal(value, &s) == nil {
		return []string{s}
	}
	var list []json.RawMessage
	if json.Unmarshal(value, &list) == nil {
		var out []string
		for _, item := range list {
			out = append(out, messages(item)...)
		}
		return out
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(value, &obj) == nil {
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var out []string
		for _, k := range keys {
			for _, m := range messages(obj[k]) {
				out = append(out, k+": "+m)
			}
		}
		return out
	}
	return []string{strings.TrimSpace(string(value))}
}
