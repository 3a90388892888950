package authentik

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// Error parsing never panics, never keeps an HTML page, and always reports
// the status it was given.
func FuzzParseAPIError(f *testing.F) {
	f.Add(400, "application/json", `{"name":["stage with this name already exists."]}`)
	f.Add(400, "application/json", `{"flow_set":[{"slug":["Flow with this slug already exists."]}],"non_field_errors":["x"]}`)
	f.Add(403, "application/json", `{"detail":"Token invalid/expired"}`)
	f.Add(405, "text/html; charset=utf-8", ``)
	f.Add(500, "text/html", `<html><title>authentik</title><h1>Server Error</h1></html>`)
	f.Add(404, "application/json; charset=utf-8", `{"detail":null}`)
	f.Add(400, "application/problem+json", `[[[[[[[[[[[["deep"]]]]]]]]]]]]`)
	f.Fuzz(func(t *testing.T, status int, contentType, body string) {
		h := http.Header{"Content-Type": {contentType}}
		e := parseAPIError("POST", "/stages/authenticator/duo/", status, h, []byte(body))
		msg := e.Error()
		if e.Status != status {
			t.Fatalf("status %d, want %d", e.Status, status)
		}
		if e.HTML && len(body) > 0 && strings.Contains(msg, body) {
			t.Fatalf("an HTML page leaked into the error: %q", msg)
		}
	})
}

// Decoding any answer into the client's types never panics, whatever
// shape a proxy or a future authentik sends.
func FuzzDecodeAnswers(f *testing.F) {
	f.Add(`{"pk":"p","name":"n","flow_set":[],"configure_flow":null,"friendly_name":null,"client_id":"c","api_hostname":"h","admin_integration_key":""}`)
	f.Add(`{"pagination":{"next":2,"count":3},"results":[{"pk":"p"}],"autocomplete":{}}`)
	f.Add(`{"pagination":{"next":1e308},"results":null}`)
	f.Add(`{"friendly_name":12}`)
	f.Fuzz(func(t *testing.T, body string) {
		var s Stage
		_ = json.Unmarshal([]byte(body), &s)
		var p page[Stage]
		_ = json.Unmarshal([]byte(body), &p)
		_ = int(p.Pagination.Next)
		var fl Flow
		_ = json.Unmarshal([]byte(body), &fl)
	})
}
