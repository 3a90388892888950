// Command recorder makes the same API calls against a running authentik and
// writes down what it answered, in the transcript format of
// internal/fakeauthentik/testdata/real/ (see the README there), so that the
// fake's fidelity test can replay the calls against the fake.
//
// It records what the acceptance tests' fixtures use (users, passwords, API
// tokens and view_key, flows, flow-stage bindings, the flow executor with
// login, TOTP and static-token enrollment) and the routes the first
// transcripts saw but the fake did not model. Every object it makes is named
// rec-* and deleted again; leftovers of an interrupted run are deleted first.
//
// Usage (from the repository root; the servers of ../shared/realauthentik):
//
//	go run ./internal/fakeauthentik/internal/recorder -url http://127.0.0.1:9000 \
//	  -token realauthentik-local-api-token -out internal/fakeauthentik/testdata/real/fixtures-2024.10.5.txt
//
// It is a maintenance tool: tests only read its output.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"regexp"
	"strings"

	"github.com/authentik-iac/terraform-provider-authentik/internal/acctest"
)

func main() {
	base := flag.String("url", "http://127.0.0.1:9000", "authentik base URL")
	token := flag.String("token", os.Getenv("AUTHENTIK_TOKEN"), "an admin API token")
	out := flag.String("out", "", "transcript file to write (default: stdout)")
	flag.Parse()
	r := &rec{ctx: context.Background()}
	r.admin = acctest.New(*base, *token)
	r.admin.Record = r.write
	r.quiet = true
	version, err := r.admin.Version(r.ctx)
	if err != nil {
		log.Fatalf("ask the server's version: %v", err)
	}
	r.cleanup()
	fmt.Fprintf(&r.buf, "======== recorded by internal/fakeauthentik/internal/recorder from authentik %s\n\n", version)
	r.script()
	r.cleanup()
	if r.failed != "" {
		log.Fatalf("the script stopped: %s", r.failed)
	}
	if *out == "" {
		_, _ = os.Stdout.Write(r.buf.Bytes())
		return
	}
	if err := os.WriteFile(*out, r.buf.Bytes(), 0o644); err != nil { //nolint:gosec // a data file of the repository
		log.Fatal(err)
	}
	log.Printf("%s: %d calls from authentik %s", *out, r.n, version)
}

// rec holds the transcript being written.
type rec struct {
	ctx    context.Context
	admin  *acctest.Client
	buf    bytes.Buffer
	n      int
	quiet  bool   // cleanup calls are not written
	failed string // the first step that did not go as the script expects
	// totpFrom names the session whose TOTP secret a code in the next
	// request comes from, when that is not the request's own session.
	totpFrom string
}

// totpCodeRE finds the code of a TOTP setup answer; the transcript shows
// {totp} instead (quoted when it was sent as a string), since a replay must
// compute its own code from its own secret. The deliberately wrong code
// 000000 stays.
var totpCodeRE = regexp.MustCompile(`"code":("?)(\d+)("?)`)

// A code for another session's secret is {totp:<session>}.
func placeholders(req []byte, from string) []byte {
	if !bytes.Contains(req, []byte(`"component":"ak-stage-authenticator-totp"`)) &&
		!bytes.Contains(req, []byte(`"component":"ak-stage-authenticator-validate"`)) {
		return req
	}
	ph := "{totp}"
	if from != "" {
		ph = "{totp:" + from + "}"
	}
	return totpCodeRE.ReplaceAllFunc(req, func(m []byte) []byte {
		if bytes.Contains(m, []byte("000000")) {
			return m
		}
		return totpCodeRE.ReplaceAll(m, []byte(`"code":${1}`+ph+`${3}`))
	})
}

func (r *rec) write(x acctest.Exchange) {
	if r.quiet || x.Note == "quiet" { // bookkeeping, not part of the transcript
		return
	}
	r.n++
	note := ""
	if x.Note != "" {
		note = " [" + x.Note + "]"
	}
	fmt.Fprintf(&r.buf, "### [%d] %s %s%s\n", r.n, x.Method, x.Target, note)
	if x.Request != nil {
		req := placeholders(x.Request, r.totpFrom)
		fmt.Fprintf(&r.buf, "request: %s\n", req)
	}
	fmt.Fprintf(&r.buf, "status: %s\n", x.StatusText)
	fmt.Fprintf(&r.buf, "content-type: %s\n", x.ContentType)
	if x.Allow != "" {
		fmt.Fprintf(&r.buf, "allow: %s\n", x.Allow)
	}
	if x.Location != "" {
		fmt.Fprintf(&r.buf, "location: %s\n", x.Location)
	}
	switch ct := x.ContentType; {
	case strings.HasPrefix(ct, "text/html"):
		fmt.Fprintf(&r.buf, "body (html, %d bytes; <title>/<h1>): %s| %s |\n", len(x.Body), between(x.Body, "<title>", "</title>"), between(x.Body, "<h1>", "</h1>"))
	case ct != "" && !strings.HasPrefix(ct, "application/json"):
		first, _, _ := strings.Cut(string(x.Body), "\n")
		fmt.Fprintf(&r.buf, "body: %d bytes, first line: %s\n", len(x.Body), first)
	default:
		fmt.Fprintf(&r.buf, "body: %s\n", x.Body)
	}
	r.buf.WriteString("\n")
}

func between(b []byte, open, closing string) string {
	_, rest, ok := strings.Cut(string(b), open)
	if !ok {
		return ""
	}
	v, _, _ := strings.Cut(rest, closing)
	return strings.TrimSpace(v)
}

func (r *rec) section(title string) { fmt.Fprintf(&r.buf, "======== %s\n\n", title) }

// call sends one request and returns the decoded JSON answer (nil if none).
func (r *rec) call(c *acctest.Client, method, target string, body any) map[string]any {
	_, raw, err := c.Send(r.ctx, method, target, body)
	if err != nil {
		r.fail(fmt.Sprintf("%s %s: %v", method, target, err))
		return nil
	}
	var m map[string]any
	_ = json.Unmarshal(raw, &m)
	return m
}

func (r *rec) fail(msg string) {
	if r.failed == "" {
		r.failed = msg
	}
}

// cleanup deletes the rec-* objects of this or an earlier run, unrecorded.
func (r *rec) cleanup() {
	r.quiet = true // cleanup depends on what earlier runs left: not part of the transcript
	defer func() { r.quiet = false }()
	for _, u := range []string{"rec-alice", "rec-bob"} {
		var page struct {
			Results []acctest.User `json:"results"`
		}
		if r.admin.Do(r.ctx, "GET", "/core/users/?username="+u, nil, 200, &page) == nil {
			for _, x := range page.Results {
				_ = r.admin.DeleteUser(r.ctx, x.PK)
			}
		}
	}
	_ = r.admin.DeleteFlow(r.ctx, "rec-flow")
	var duo struct {
		Results []struct {
			PK string `json:"pk"`
		} `json:"results"`
	}
	if r.admin.Do(r.ctx, "GET", "/stages/authenticator/duo/?name=rec-duo", nil, 200, &duo) == nil {
		for _, s := range duo.Results {
			_, _, _ = r.admin.Send(r.ctx, "DELETE", "/stages/authenticator/duo/"+s.PK+"/", nil)
		}
	}
}
