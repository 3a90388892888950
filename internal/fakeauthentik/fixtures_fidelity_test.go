package fakeauthentik

import (
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestFidelityFixtures replays testdata/real/fixtures-*.txt, which
// internal/fakeauthentik/internal/recorder recorded from the real servers:
// the routes the acceptance tests' fixtures use (users, passwords, API
// tokens, flows, bindings, the flow executor with login, TOTP and static
// enrollment) and those the first transcripts saw but the fake did not
// model. Every object is made through the API, so the fake starts fresh;
// every call must be answered like the real server (no exceptions).
func TestFidelityFixtures(t *testing.T) {
	for _, c := range []struct {
		file string
		v    Version
	}{
		{"fixtures-2024.10.5.txt", V2024_10},
		{"fixtures-2025.12.4.txt", V2025_12},
		{"fixtures-2025.12.4.txt", V2026_2},
	} {
		t.Run(c.file+" as "+string(c.v), func(t *testing.T) {
			tr := parseTranscript(t, "testdata/real/"+c.file)
			if len(tr.calls) < 60 {
				t.Fatalf("%s: only %d calls", c.file, len(tr.calls))
			}
			fr := &fixtureReplay{t: t, s: startFake(t, c.v), users: map[string]string{}, devices: map[string]string{},
				uuids: map[string]string{}, keys: map[string]string{}, jars: map[string]*cookiejar.Jar{}, secrets: map[string]string{}}
			for _, call := range tr.calls {
				if d := fr.run(call); d != "" {
					t.Errorf("[%d] %s %s [%s]: %s", call.n, call.method, call.target, call.auth, d)
				}
			}
			for _, v := range fr.s.Violations() {
				if strings.Contains(v, ": response: ") {
					t.Errorf("the fake's answer breaks its schema: %s", v)
				}
			}
		})
	}
}

type fixtureReplay struct {
	t       *testing.T
	s       *Server
	users   map[string]string // real user pk -> the fake's
	devices map[string]string // real TOTP device pk -> the fake's
	uuids   map[string]string
	keys    map[string]string         // token identifier -> the fake's key
	jars    map[string]*cookiejar.Jar // flow executor session -> cookies
	secrets map[string]string         // session -> the TOTP secret the fake showed it last
}

var (
	userPathRE   = regexp.MustCompile(`^(/core/users/)(\d+)(/)`)
	devicePathRE = regexp.MustCompile(`^(/authenticators/(?:admin/)?totp/)(\d+)(/)`)
	userQueryRE  = regexp.MustCompile(`([?&]user=)(\d+)`)
	userBodyRE   = regexp.MustCompile(`("user":)(\d+)`)
	tokenNoteRE  = regexp.MustCompile(`^token: key of (\S+)$`)
	sessionRE    = regexp.MustCompile(`^session: ([^,]+)(, without X-authentik-CSRF)?$`)
	// totpPlaceholderRE is {totp} (a code for the secret the session saw
	// last) or {totp:<session>} (for the secret another session saw), quoted
	// when the code was sent as a string.
	totpPlaceholderRE = regexp.MustCompile(`("?)\{totp(?::([^}]+))?\}"?`)
)

func (fr *fixtureReplay) mapped(s string, ids map[string]string, re *regexp.Regexp) string {
	return re.ReplaceAllStringFunc(s, func(m string) string {
		g := re.FindStringSubmatch(m)
		if v, ok := ids[g[2]]; ok {
			return g[1] + v + strings.Join(g[3:], "")
		}
		return m
	})
}

func (fr *fixtureReplay) mapUUIDs(s string) string {
	return uuidRE.ReplaceAllStringFunc(s, func(u string) string {
		if v, ok := fr.uuids[u]; ok {
			return v
		}
		return u
	})
}

func (fr *fixtureReplay) run(c realCall) string {
	target := fr.mapped(fr.mapped(fr.mapped(fr.mapUUIDs(c.target), fr.users, userPathRE), fr.devices, devicePathRE), fr.users, userQueryRE)
	session, withoutCSRF := "", false
	if m := sessionRE.FindStringSubmatch(c.auth); m != nil {
		session, withoutCSRF = m[1], m[2] != ""
	}
	var body io.Reader
	if c.hasRequest {
		reqBody := fr.mapped(fr.mapUUIDs(c.request), fr.users, userBodyRE)
		reqBody = totpPlaceholderRE.ReplaceAllStringFunc(reqBody, func(m string) string {
			g := totpPlaceholderRE.FindStringSubmatch(m)
			secret, step := fr.secrets[session], time.Now().Unix()/30
			if g[2] != "" {
				// Another session's device, enrolled moments ago in this replay:
				// its code of this step is used up, so send the next step's
				// (within django-otp's tolerance of one step).
				secret, step = fr.secrets[g[2]], step+1
			}
			code := totpCode(secret, step)
			if g[1] == "" {
				n, _ := strconv.Atoi(code) // 2024.10 declares the setup's code an integer
				return strconv.Itoa(n)
			}
			return `"` + code + `"`
		})
		body = strings.NewReader(reqBody)
	}
	req, err := http.NewRequest(c.method, fr.s.URL()+apiPrefix+target, body)
	if err != nil {
		fr.t.Fatal(err)
	}
	if c.hasRequest {
		req.Header.Set("Content-Type", "application/json")
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	switch m := tokenNoteRE.FindStringSubmatch(c.auth); {
	case c.auth == "":
		req.Header.Set("Authorization", "Bearer "+fr.s.AdminToken())
	case m != nil:
		req.Header.Set("Authorization", "Bearer "+fr.keys[m[1]])
	case session != "":
		if fr.jars[session] == nil {
			fr.jars[session], _ = cookiejar.New(nil)
		}
		client.Jar = fr.jars[session]
		if !withoutCSRF {
			u, _ := url.Parse(fr.s.URL() + "/")
			for _, ck := range client.Jar.Cookies(u) {
				if ck.Name == "authentik_csrf" {
					req.Header.Set("X-authentik-CSRF", ck.Value)
				}
			}
		}
	default:
		fr.t.Fatalf("[%d]: unknown note %q", c.n, c.auth)
	}
	res, err := client.Do(req)
	if err != nil {
		fr.t.Fatalf("[%d]: %v", c.n, err)
	}
	got, _ := io.ReadAll(res.Body)
	_ = res.Body.Close()

	switch {
	case res.StatusCode != c.status:
		return fmt.Sprintf("status %d, real %d (body %s)", res.StatusCode, c.status, trim(string(got)))
	case mediaType(res.Header.Get("Content-Type")) != mediaType(c.contentType):
		return fmt.Sprintf("content type %q, real %q", res.Header.Get("Content-Type"), c.contentType)
	case res.Header.Get("Allow") != c.allow:
		return fmt.Sprintf("Allow %q, real %q", res.Header.Get("Allow"), c.allow)
	case res.Header.Get("Location") != fr.mapUUIDs(c.location):
		return fmt.Sprintf("Location %q, real %q", res.Header.Get("Location"), c.location)
	}
	return fr.compare(c, session, got)
}

func (fr *fixtureReplay) compare(c realCall, session string, got []byte) string {
	if c.bodyKind != "json" || c.body == "" {
		if c.bodyKind == "json" && len(got) != 0 {
			return fmt.Sprintf("body %s, real empty", trim(string(got)))
		}
		return "" // HTML and the schema download: status and media type only
	}
	gv, err := decodeJSON(string(got))
	if err != nil {
		return fmt.Sprintf("body is not JSON: %s", trim(string(got)))
	}
	wv, err := decodeJSON(c.body)
	if err != nil {
		fr.t.Fatalf("[%d]: transcript body is not JSON: %v", c.n, err)
	}
	fr.learn(wv, gv)
	if m, ok := gv.(map[string]any); ok {
		if k, ok := m["key"].(string); ok && strings.HasSuffix(c.target, "/view_key/") && c.auth == "" {
			fr.keys[strings.Split(c.target, "/")[3]] = k
		}
		if u, ok := m["config_url"].(string); ok && session != "" {
			fr.secrets[session] = regexp.MustCompile(`secret=([A-Z2-7]+)`).FindStringSubmatch(u)[1]
		}
	}
	return firstDiff(canon(wv, "", false), canon(gv, "", false), "body")
}

// learn walks a real body and the fake's side by side and maps the real
// server's ids to the fake's: UUIDs, user pks (objects with a username)
// and TOTP device pks (objects of a device).
func (fr *fixtureReplay) learn(real, fake any) {
	switch r := real.(type) {
	case map[string]any:
		f, _ := fake.(map[string]any)
		rpk, fpk := fmt.Sprint(r["pk"]), fmt.Sprint(f["pk"])
		_, isUser := r["username"]
		_, isAPIUser := r["uid"]
		switch {
		case r["pk"] == nil || f == nil || f["pk"] == nil:
		case isUser && isAPIUser:
			fr.users[rpk] = fpk
		case r["type"] == "authentik_stages_authenticator_totp.TOTPDevice" || len(r) <= 3 && r["name"] != nil && !isUser:
			fr.devices[rpk] = fpk
		}
		for k, rv := range r {
			fr.learn(rv, f[k])
		}
	case []any:
		pairItems(r, fake, fr.learn)
	case string:
		if f, ok := fake.(string); ok && len(r) == 36 && uuidRE.MatchString(r) && uuidRE.MatchString(f) {
			if _, known := fr.uuids[r]; !known {
				fr.uuids[r] = f
			}
		}
	}
}
