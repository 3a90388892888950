package fakeauthentik

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"
)

const (
	msgNoCredentials = "Authentication credentials were not provided."
	msgTokenInvalid  = "Token invalid/expired"
	msgNoPermission  = "You do not have permission to perform this action."
	msgNotFound      = "Not found."
	msgInvalidPage   = "Invalid page."
	msgRequired      = "This field is required."
	msgBlank         = "This field may not be blank."
	msgNull          = "This field may not be null."
	msgNotString     = "Not a valid string."
)

// Fault is a canned answer given instead of handling a request.
type Fault struct {
	Status      int
	ContentType string
	Header      http.Header
	Body        string

	// Delay waits before doing anything else (or until the client gives up).
	Delay time.Duration
	// Handle answers the request normally after Delay: a slow server.
	Handle bool
	// Drop closes the connection without answering; the request is not
	// acted on.
	Drop bool
	// DropAfterHandling acts on the request, then closes the connection
	// without sending the answer: the client cannot know what happened.
	DropAfterHandling bool
}

// WriteServerError is what the real server answers when a POST/PUT/PATCH/DELETE
// raises an unhandled exception: Django's handler500 is a TemplateView, which
// refuses the write method (observations §1.1).
var WriteServerError = Fault{
	Status:      http.StatusMethodNotAllowed,
	ContentType: "text/html; charset=utf-8",
	Header:      http.Header{"Allow": {"GET, HEAD, OPTIONS"}},
}

// GetServerError is the real server's answer to an unhandled exception on a GET.
var GetServerError = Fault{
	Status:      http.StatusInternalServerError,
	ContentType: "text/html; charset=utf-8",
	Body:        htmlPage("Server Error", 0),
}

// obj is a JSON object that keeps its key order (the real server's bodies are
// key-ordered, and tests compare exact bytes).
type obj []kv

type kv struct {
	k string
	v any
}

func (o obj) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, e := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, err := marshal(e.k)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		v, err := marshal(e.v)
		if err != nil {
			return nil, err
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// marshal encodes like orjson: compact, UTF-8, no HTML escaping.
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

// commonHeaders are set on every DRF answer by the real server.
func commonHeaders(w http.ResponseWriter, allow string) {
	h := w.Header()
	if allow != "" {
		h.Set("Allow", allow)
	}
	h.Set("Vary", "Cookie")
	h.Set("X-Frame-Options", "DENY")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := marshal(v)
	if err != nil {
		writeFault(w, GetServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", fmt.Sprint(len(b)))
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// writeRawJSON writes a JSON body given as text (recorded answers).
func writeRawJSON(w http.ResponseWriter, status int, body string) {
	writeJSON(w, status, json.RawMessage(body))
}

func writeDetail(w http.ResponseWriter, status int, detail string) {
	writeJSON(w, status, obj{{"detail", detail}})
}

func writeNoContent(w http.ResponseWriter) {
	w.WriteHeader(http.StatusNoContent)
}

func writeMethodNotAllowed(w http.ResponseWriter, method string) {
	writeDetail(w, http.StatusMethodNotAllowed, fmt.Sprintf("Method %q not allowed.", method))
}

func writeFault(w http.ResponseWriter, f Fault) {
	for k, vs := range f.Header {
		w.Header().Del(k)
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	if f.ContentType != "" {
		w.Header().Set("Content-Type", f.ContentType)
	}
	w.Header().Set("Content-Length", fmt.Sprint(len(f.Body)))
	status := f.Status
	if status == 0 {
		status = http.StatusInternalServerError
	}
	w.WriteHeader(status)
	_, _ = w.Write([]byte(f.Body))
}

// writeHTMLNotFound is Django's 404 page for an unrouted path.
func writeHTMLNotFound(w http.ResponseWriter, size int) {
	writeFault(w, Fault{Status: http.StatusNotFound, ContentType: "text/html; charset=utf-8", Body: htmlPage("Not Found", size)})
}

// htmlPage imitates authentik's error template: the same <title> and <h1>,
// padded to roughly the size of the real page.
func htmlPage(heading string, size int) string {
	p := "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"UTF-8\">\n<title>authentik</title>\n</head>\n<body>\n<div class=\"pf-c-empty-state\">\n<h1>" +
		heading + "</h1>\n</div>\n</body>\n</html>\n"
	if pad := size - len(p); pad > 0 {
		p = strings.Replace(p, "</head>", "<!--"+strings.Repeat(" ", max(pad-7, 0))+"-->\n</head>", 1)
	}
	return p
}
