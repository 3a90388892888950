package fakeauthentik

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"mime"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// realCall is one call of a real-server transcript (testdata/real/).
type realCall struct {
	n              int
	section        string
	method, target string // target is below /api/v3, with the query
	auth           string // the [...] note after the target; "" = akadmin's API token
	request        string // the raw request body ("" = none)
	hasRequest     bool
	status         int
	contentType    string
	allow          string
	location       string
	bodyKind       string // "json" (body may be "" for 204), "html", "summary" or "text"
	body           string
	htmlSize       int
	htmlHeads      []string // <title> then <h1>
}

// transcript is one parsed transcript file.
type transcript struct {
	file    string
	totpIDs map[string]string // fixture device name -> id on the real server
	userPKs map[string]string // username -> pk on the real server
	calls   []realCall
}

var (
	callRE    = regexp.MustCompile(`^### \[(\d+)\] ([A-Z]+) (\S+)(?: \[(.*)\])?$`)
	statusRE  = regexp.MustCompile(`^status: HTTP/[\d.]+ (\d{3})\b`)
	htmlRE    = regexp.MustCompile(`^body \(html, (\d+) bytes; [^)]*\): ?(.*)$`)
	fixtureRE = regexp.MustCompile(`([\w-]+)=(\d+)`)
	userRE    = regexp.MustCompile(`([\w-]+) pk=(\d+)`)
)

// parseTranscript reads the format of testdata/real/transcript-*.txt:
// "======== section" headers, then per call "### [n] METHOD target [note]"
// followed by request:, status:, content-type:, allow: and one body line
// ("body: …", "body (html, N bytes; <title>/<h1>): a| b |" or
// "body (summary): {…}"). Unknown lines are an error, so a change of format
// cannot silently drop calls.
func parseTranscript(t *testing.T, file string) transcript {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	tr := transcript{file: file, totpIDs: map[string]string{}, userPKs: map[string]string{}}
	var cur *realCall
	section := ""
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for line := 1; sc.Scan(); line++ {
		l := sc.Text()
		field := func(prefix string) (string, bool) {
			if cur == nil || !strings.HasPrefix(l, prefix) {
				return "", false
			}
			return strings.TrimPrefix(l, prefix), true
		}
		if v, ok := field("body: "); ok || l == "body:" && cur != nil {
			cur.bodyKind, cur.body = "json", v
			if mt := mediaType(cur.contentType); mt != "application/json" && mt != "" {
				cur.bodyKind = "text"
			}
			continue
		}
		if v, ok := field("request: "); ok {
			cur.request, cur.hasRequest = v, true
			continue
		}
		if v, ok := field("content-type:"); ok {
			cur.contentType = strings.TrimSpace(v)
			continue
		}
		if v, ok := field("allow:"); ok {
			cur.allow = strings.TrimSpace(v)
			continue
		}
		if v, ok := field("location:"); ok {
			cur.location = strings.TrimSpace(v)
			continue
		}
		if v, ok := field("body (summary): "); ok {
			cur.bodyKind, cur.body = "summary", v
			continue
		}
		switch m := callRE.FindStringSubmatch(l); {
		case m != nil:
			n, _ := strconv.Atoi(m[1])
			tr.calls = append(tr.calls, realCall{n: n, section: section, method: m[2], target: m[3], auth: m[4]})
			cur = &tr.calls[len(tr.calls)-1]
		case strings.HasPrefix(l, "======== "):
			section, cur = strings.TrimPrefix(l, "======== "), nil
		case strings.HasPrefix(l, "TOTP device ids: "):
			for _, kv := range fixtureRE.FindAllStringSubmatch(l, -1) {
				tr.totpIDs[kv[1]] = kv[2]
			}
		case strings.HasPrefix(l, "users: "):
			for _, kv := range userRE.FindAllStringSubmatch(l, -1) {
				tr.userPKs[kv[1]] = kv[2]
			}
		case cur != nil && statusRE.MatchString(l):
			cur.status, _ = strconv.Atoi(statusRE.FindStringSubmatch(l)[1])
		case cur != nil && htmlRE.MatchString(l):
			m := htmlRE.FindStringSubmatch(l)
			cur.bodyKind = "html"
			cur.htmlSize, _ = strconv.Atoi(m[1])
			for _, h := range strings.Split(m[2], "|") {
				if h = strings.TrimSpace(h); h != "" {
					cur.htmlHeads = append(cur.htmlHeads, h)
				}
			}
		case strings.TrimSpace(l) == "":
		default:
			t.Fatalf("%s:%d: unexpected line %q", file, line, l)
		}
	}
	for i, c := range tr.calls {
		if c.n != i+1 || c.status == 0 || c.bodyKind == "" {
			t.Fatalf("%s: call [%d] is incomplete or out of order: %+v", file, c.n, c)
		}
	}
	return tr
}

func mediaType(ct string) string {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return strings.TrimSpace(ct)
	}
	return mt
}

func decodeJSON(s string) (any, error) {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

// shapeOnlyKeys hold fixture data that the transcript's setup chose and the
// fake cannot (a user's display name, e-mail, hash), or random values (a
// token's key, static tokens, a user's uid, an error's request id): only
// their shape counts.
var shapeOnlyKeys = map[string]bool{"user": true, "uid": true, "key": true, "codes": true, "request_id": true}

// otpSecretRE is the random secret inside a TOTP config_url.
var otpSecretRE = regexp.MustCompile(`([?&]secret=)[A-Z2-7]+`)

var (
	datetimeRE = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$`)
	digitsRE   = regexp.MustCompile(`^\d+$`)
)

// canon normalises a decoded JSON body for comparison: UUIDs (also inside
// strings) become <uuid>, "pk"s that are integers (or strings of digits)
// <number>, timestamps <datetime>, list order is ignored
// (items are sorted by their own normal form), and below shapeOnlyKeys only
// the JSON types remain. Everything else, error texts and pagination numbers
// included, is compared by value.
func canon(v any, key string, shapeOnly bool) any {
	switch x := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, e := range x {
			out[k] = canon(e, k, shapeOnly || shapeOnlyKeys[k])
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = canon(e, key, shapeOnly)
		}
		sort.Slice(out, func(i, j int) bool { return mustJSON(out[i]) < mustJSON(out[j]) })
		return out
	case string:
		switch {
		case shapeOnly:
			return "<string>"
		case datetimeRE.MatchString(x):
			return "<datetime>" // when a fixture was made or last used
		case (key == "pk" || key == "device_uid") && digitsRE.MatchString(x):
			return "<number>" // a device pk, as a string
		case key == "config_url":
			x = otpSecretRE.ReplaceAllString(x, "${1}<secret>")
		}
		return uuidRE.ReplaceAllString(x, "<uuid>")
	case json.Number:
		if shapeOnly || key == "pk" {
			return "<number>"
		}
		return x.String()
	case bool:
		if shapeOnly {
			return "<bool>"
		}
	}
	return v
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// firstDiff names the first place where two normal forms differ.
func firstDiff(want, got any, path string) string {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return fmt.Sprintf("%s: want an object, got %s", path, trim(mustJSON(got)))
		}
		keys := map[string]bool{}
		for k := range w {
			keys[k] = true
		}
		for k := range g {
			keys[k] = true
		}
		sorted := make([]string, 0, len(keys))
		for k := range keys {
			sorted = append(sorted, k)
		}
		sort.Strings(sorted)
		for _, k := range sorted {
			wv, inW := w[k]
			gv, inG := g[k]
			switch {
			case !inG:
				return fmt.Sprintf("%s.%s: missing (want %s)", path, k, trim(mustJSON(wv)))
			case !inW:
				return fmt.Sprintf("%s.%s: unexpected (got %s)", path, k, trim(mustJSON(gv)))
			}
			if d := firstDiff(wv, gv, path+"."+k); d != "" {
				return d
			}
		}
		return ""
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return fmt.Sprintf("%s: want %d items, got %s", path, len(w), trim(mustJSON(got)))
		}
		for i := range w {
			if d := firstDiff(w[i], g[i], fmt.Sprintf("%s[%d]", path, i)); d != "" {
				return d
			}
		}
		return ""
	}
	if mustJSON(want) != mustJSON(got) {
		return fmt.Sprintf("%s: want %s, got %s", path, trim(mustJSON(want)), trim(mustJSON(got)))
	}
	return ""
}

func trim(s string) string {
	if len(s) > 160 {
		return s[:160] + "…"
	}
	return s
}
