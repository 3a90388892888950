package fakeauthentik

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// The fidelity test replays every call of the two real-server transcripts
// (testdata/real/, see its README) against the fake in the matching mode and
// compares status, media type, Allow and the body (normalised by canon).

// notModelled lists the calls the fake answers differently on purpose, with
// the reason. The keys are call numbers, the same in both transcripts. An
// entry that starts to match is an error too, so the list stays exact.
var notModelled = map[int]string{
	27: "the text after \"JSON parse error - \" came from the transcript server's orjson stand-in (observations §0), not from authentik",
}

// fidelityCases pairs each transcript with the fake's mode. 2026.2 has no
// real transcript; for these objects its notes and schema differ from
// 2025.12 in nothing the calls touch, so the 2026.2 mode must replay the
// 2025.12.4 transcript just as well. floor is the lowest acceptable score:
// the number of calls answered like the real server when it was last raised.
var fidelityCases = []struct {
	name, file string
	v          Version
	floor      int
}{
	{"2024.10.5", "transcript-2024.10.5.txt", V2024_10, 165},
	{"2025.12.4", "transcript-2025.12.4.txt", V2025_12, 165},
	{"2026.2 on the 2025.12.4 transcript", "transcript-2025.12.4.txt", V2026_2, 165},
}

func TestFidelity(t *testing.T) {
	for _, c := range fidelityCases {
		t.Run(c.name, func(t *testing.T) {
			tr := parseTranscript(t, "testdata/real/"+c.file)
			if len(tr.calls) != 166 {
				t.Fatalf("%s: %d calls, want 166", c.file, len(tr.calls))
			}
			rp := newReplay(t, c.v, tr)
			score := rp.score(notModelled, "notModelled")
			t.Logf("fidelity %s: %d/%d", c.name, score, len(tr.calls))
			if score < c.floor {
				t.Errorf("fidelity %s: %d/%d is below the floor %d", c.name, score, len(tr.calls), c.floor)
			}
			rp.checkOwnAnswers()
		})
	}
}

// score replays every call of the transcript and counts those the fake
// answers as the real server did. A call in notModelled (named list in
// messages) may differ, for the reason given; one that starts to match is
// an error, so the list stays exact.
func (rp *replay) score(notModelled map[int]string, list string) int {
	t := rp.t
	score := 0
	for _, call := range rp.tr.calls {
		diff := rp.run(call)
		reason, allowed := notModelled[call.n]
		switch {
		case diff == "":
			score++
			if allowed {
				t.Errorf("[%d] %s %s now matches; remove it from %s", call.n, call.method, call.target, list)
			}
		case allowed:
			t.Logf("[%d] differs on purpose: %s", call.n, reason)
		default:
			t.Errorf("[%d] %s %s [%s]: %s", call.n, call.method, call.target, call.auth, diff)
		}
	}
	return score
}

// checkOwnAnswers fails the test for any answer of the fake that broke its
// own schema during the replay.
func (rp *replay) checkOwnAnswers() {
	for _, v := range rp.s.Violations() {
		if strings.Contains(v, ": response: ") {
			rp.t.Errorf("the fake's answer breaks its schema: %s", v)
		}
	}
}

// replay holds the fake, the fixtures of the transcript's setup and the map
// from the real server's ids to the fake's.
type replay struct {
	t         *testing.T
	s         *Server
	tr        transcript
	ids       map[string]string // real uuid or TOTP pk -> the fake's
	userToken string            // smoke-user's API token
	otherPK   int               // smoke-other's pk
	bulkDone  bool
}

const replayAdminToken = "admin-token"

// newReplay starts a fake with the transcript's fixtures: the users
// smoke-other and smoke-user (no permissions, with an API token), and the
// TOTP devices smoke-totp-admin (akadmin, confirmed), smoke-totp-unconfirmed
// (akadmin, unconfirmed), smoke-totp-other and smoke-totp-plain.
func newReplay(t *testing.T, v Version, tr transcript) *replay {
	s := startFake(t, v)
	rp := &replay{t: t, s: s, tr: tr, ids: map[string]string{}}
	const adminPK = 1 // akadmin is the fake's first user
	rp.otherPK, _ = s.AddUser("smoke-other", false)
	userPK, tok := s.AddUser("smoke-user", false)
	rp.userToken = tok
	for _, d := range []struct {
		name      string
		owner     int
		confirmed bool
	}{
		{"smoke-totp-admin", adminPK, true}, {"smoke-totp-unconfirmed", adminPK, false},
		{"smoke-totp-other", rp.otherPK, true}, {"smoke-totp-plain", userPK, true},
	} {
		real, ok := tr.totpIDs[d.name]
		if !ok {
			t.Fatalf("%s: no id for fixture %s", tr.file, d.name)
		}
		rp.ids[real] = fmt.Sprint(s.EnrollTOTPDevice(d.owner, d.name, d.confirmed).PK)
	}
	for name, pk := range map[string]int{"akadmin": adminPK, "smoke-other": rp.otherPK, "smoke-user": userPK} {
		rp.ids["user:"+tr.userPKs[name]] = fmt.Sprint(pk)
	}
	return rp
}

var (
	intSegRE = regexp.MustCompile(`/(\d+)/`)
	userQRE  = regexp.MustCompile(`([?&]user=)(\d+)`)
)

// mapIDs replaces the real server's ids in a path or body by the fake's.
func (rp *replay) mapIDs(s string, path bool) string {
	s = uuidRE.ReplaceAllStringFunc(s, func(u string) string {
		if m, ok := rp.ids[u]; ok {
			return m
		}
		return u
	})
	if !path {
		return s
	}
	s = intSegRE.ReplaceAllStringFunc(s, func(seg string) string {
		if m, ok := rp.ids[strings.Trim(seg, "/")]; ok {
			return "/" + m + "/"
		}
		return seg
	})
	return userQRE.ReplaceAllStringFunc(s, func(q string) string {
		m := userQRE.FindStringSubmatch(q)
		if pk, ok := rp.ids["user:"+m[2]]; ok {
			return m[1] + pk
		}
		return q
	})
}

// authHeader turns the transcript's note into the Authorization header to
// send ("" = none).
func (rp *replay) authHeader(note string) string {
	switch {
	case note == "":
		return "Bearer " + replayAdminToken
	case note == "no Authorization header":
		return ""
	case note == "token: API token of smoke-user":
		return "Bearer " + rp.userToken
	case strings.HasPrefix(note, "token: app-password"):
		// The fake has no app passwords; like any token that is not an
		// API token, real authentik refuses them with "Token invalid/expired".
		return "Bearer app-password-of-akadmin"
	case strings.HasPrefix(note, "token: "):
		return "Bearer " + strings.TrimPrefix(note, "token: ")
	case strings.HasPrefix(note, "curl: -H Authorization: "):
		return strings.ReplaceAll(strings.TrimPrefix(note, "curl: -H Authorization: "), "<api-token>", replayAdminToken)
	}
	rp.t.Fatalf("unknown token note %q", note)
	return ""
}

// run replays one call and returns "" when the fake answered like the real
// server, else the first difference.
func (rp *replay) run(c realCall) string {
	t := rp.t
	if strings.Contains(c.target, "search=smoke-bulk") && !rp.bulkDone {
		// The transcript made 105 devices of smoke-other through the ORM here.
		for i := range 105 {
			rp.s.EnrollTOTPDevice(rp.otherPK, fmt.Sprintf("smoke-bulk-%03d", i), true)
		}
		rp.bulkDone = true
	}
	var body io.Reader
	if c.hasRequest {
		body = strings.NewReader(rp.mapIDs(c.request, false))
	}
	req, err := http.NewRequest(c.method, rp.s.URL()+apiPrefix+rp.mapIDs(c.target, true), body)
	if err != nil {
		t.Fatal(err)
	}
	if c.hasRequest {
		req.Header.Set("Content-Type", "application/json")
	}
	if h := rp.authHeader(c.auth); h != "" {
		req.Header.Set("Authorization", h)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("[%d]: %v", c.n, err)
	}
	got, _ := io.ReadAll(res.Body)
	_ = res.Body.Close()

	if res.StatusCode != c.status {
		return fmt.Sprintf("status %d, real %d (body %s)", res.StatusCode, c.status, trim(string(got)))
	}
	if gm, wm := mediaType(res.Header.Get("Content-Type")), mediaType(c.contentType); gm != wm {
		return fmt.Sprintf("content type %q, real %q", gm, wm)
	}
	if c.allow != "" && res.Header.Get("Allow") != c.allow {
		return fmt.Sprintf("Allow %q, real %q", res.Header.Get("Allow"), c.allow)
	}
	return rp.compareBody(c, got)
}

// compareBody compares the fake's body with the transcript's, and learns
// the fake's ids for the real ones it sees side by side.
func (rp *replay) compareBody(c realCall, got []byte) string {
	switch c.bodyKind {
	case "text":
		return "" // status and media type only (the schema download)
	case "html":
		if c.htmlSize == 0 {
			if len(got) != 0 {
				return fmt.Sprintf("HTML body of %d bytes, real empty", len(got))
			}
			return ""
		}
		for i, tag := range []string{"title", "h1"} {
			if i < len(c.htmlHeads) && !strings.Contains(string(got), "<"+tag+">"+c.htmlHeads[i]+"</"+tag+">") {
				return fmt.Sprintf("HTML without <%s>%s</%s>", tag, c.htmlHeads[i], tag)
			}
		}
		return ""
	}
	if c.body == "" {
		if len(got) != 0 {
			return fmt.Sprintf("body %s, real empty", trim(string(got)))
		}
		return ""
	}
	gv, err := decodeJSON(string(got))
	if err != nil {
		return fmt.Sprintf("body is not JSON: %s", trim(string(got)))
	}
	wv, err := decodeJSON(c.body)
	if err != nil {
		rp.t.Fatalf("[%d]: transcript body is not JSON: %v", c.n, err)
	}
	if c.bodyKind == "summary" {
		gv = summarize(gv)
	} else {
		rp.learn(wv, gv)
	}
	return firstDiff(canon(wv, "", false), canon(gv, "", false), "body")
}

// summarize makes the transcript's summary of a long list page.
func summarize(v any) any {
	m, _ := v.(map[string]any)
	results, _ := m["results"].([]any)
	keys := []any{}
	for _, k := range []string{"autocomplete", "pagination", "results"} {
		if _, ok := m[k]; ok {
			keys = append(keys, k)
		}
	}
	return map[string]any{"pagination": m["pagination"], "len(results)": json.Number(fmt.Sprint(len(results))), "keys": keys}
}

// learn walks a real body and the fake's side by side and maps every real
// UUID to the fake's at the same place. List items are paired by slug or
// name when they have one.
func (rp *replay) learn(real, fake any) {
	switch r := real.(type) {
	case map[string]any:
		f, _ := fake.(map[string]any)
		for k, rv := range r {
			rp.learn(rv, f[k])
		}
	case []any:
		pairItems(r, fake, rp.learn)
	case string:
		if f, ok := fake.(string); ok && uuidRE.MatchString(r) && uuidRE.MatchString(f) && len(r) == 36 {
			if _, known := rp.ids[r]; !known {
				rp.ids[r] = f
			}
		}
	}
}

func itemKey(v any) string {
	m, ok := v.(map[string]any)
	if !ok {
		return ""
	}
	for _, k := range []string{"slug", "name"} {
		if s, ok := m[k].(string); ok {
			return k + "=" + s
		}
	}
	return ""
}

// pairItems walks a real list beside the fake's: items with a name (see
// itemKey) are paired by it, the others by position.
func pairItems(real []any, fake any, learn func(real, fake any)) {
	f, _ := fake.([]any)
	for i, rv := range real {
		if key := itemKey(rv); key != "" {
			for _, fv := range f {
				if itemKey(fv) == key {
					learn(rv, fv)
				}
			}
		} else if i < len(f) {
			learn(rv, f[i])
		}
	}
}
