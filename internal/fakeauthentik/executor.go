package fakeauthentik

import (
	"bytes"
	"crypto/rand"
	"encoding/base32"
	"math/big"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// The flow executor (/api/v3/flows/executor/<slug>/), as far as a user
// needs it to log in with a password and enroll a TOTP device or static
// tokens: default-authentication-flow (identification, password, the
// multi-factor check, login), default-authenticator-totp-setup and
// default-authenticator-static-setup. Its answers follow what authentik
// 2024.10.5 and 2025.12.4 answered (testdata/real/fixtures-*.txt, replayed
// by the fidelity test). What was not recorded is marked "(not recorded)".
//
// A session is a cookie (authentik_session) and holds one flow plan at a
// time, as authentik's does. Once a user is logged in, every POST must carry
// the authentik_csrf cookie's value in X-authentik-CSRF, or the flow fails
// with ak-stage-flow-error (DRF's session authentication).

type flowSession struct {
	id     string
	userPK int // the logged-in user; 0 = anonymous
	csrf   string
	plan   *flowPlan
}

type flowPlan struct {
	slug        string
	stages      []string
	next        int    // index of the pending stage
	pendingUser string // username identified so far ("" = none)
	totpSecret  string // the TOTP device being enrolled (base32)
	static      []string
}

// stage components of the modelled flows.
const (
	stIdentification = "ak-stage-identification"
	stPassword       = "ak-stage-password"
	stValidate       = "ak-stage-authenticator-validate"
	stLogin          = "ak-stage-user-login"
	stTOTP           = "ak-stage-authenticator-totp"
	stStatic         = "ak-stage-authenticator-static"
)

var modelledFlows = map[string][]string{
	"default-authentication-flow":        {stIdentification, stPassword, stValidate, stLogin},
	"default-authenticator-totp-setup":   {stTOTP},
	"default-authenticator-static-setup": {stStatic},
}

// executor answers /api/v3/flows/executor/<slug>/.
func (s *Server) executor(w http.ResponseWriter, r *http.Request, slug string, body []byte) {
	h := w.Header()
	h.Set("Vary", "Cookie")
	h.Set("X-Frame-Options", "SAMEORIGIN")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	s.mu.Lock()
	defer s.mu.Unlock()
	sess := s.sessionLocked(w, r)
	flow := s.flowBySlugLocked(slug)
	if flow == nil {
		h.Set("Allow", allowList)
		writeDetail(w, http.StatusNotFound, s.notFound("Flow"))
		return
	}
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodPost:
	case http.MethodOptions:
		h.Set("Allow", allowList)
		writeJSON(w, http.StatusOK, obj{{"name", "Flow Executor"}, {"description", ""}, {"renders", []string{"application/json"}}, {"parses", []string{"application/json"}}})
		return
	default:
		h.Set("Allow", allowList)
		writeMethodNotAllowed(w, r.Method)
		return
	}
	if sess.plan == nil || sess.plan.slug != slug {
		if flow.authentication == "require_authenticated" && sess.userPK == 0 {
			// Planning fails before the view's answer gets its Allow header (recorded).
			s.writeChallenge(w, flow, obj{{"component", "ak-stage-access-denied"}, {"pending_user", ""},
				{"pending_user_avatar", avatarDefault}, {"error_message", "Flow does not apply to current user."}})
			return
		}
		stages, ok := modelledFlows[slug]
		if !ok {
			h.Set("Allow", allowList)
			s.flowError(w) // other flows are not modelled
			return
		}
		sess.plan = &flowPlan{slug: slug, stages: stages}
		if sess.userPK != 0 {
			sess.plan.pendingUser = s.users[sess.userPK].username
		}
	}
	h.Set("Allow", allowList)
	if r.Method == http.MethodPost {
		if sess.userPK != 0 && r.Header.Get("X-Authentik-Csrf") != sess.csrf {
			sess.plan = nil // "CSRF Failed: CSRF token missing." ends the flow
			s.flowError(w)
			return
		}
		s.solveLocked(w, r, sess, flow, body)
		return
	}
	s.challengeLocked(w, r, sess, flow)
}

// sessionLocked finds the request's session or starts one; the cookie is
// (re)sent with every answer, as authentik does.
func (s *Server) sessionLocked(w http.ResponseWriter, r *http.Request) *flowSession {
	var sess *flowSession
	if ck, err := r.Cookie("authentik_session"); err == nil {
		sess = s.sessions[ck.Value]
	}
	if sess == nil {
		sess = &flowSession{id: randomToken()}
		s.sessions[sess.id] = sess
	}
	http.SetCookie(w, &http.Cookie{Name: "authentik_session", Value: sess.id, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode})
	return sess
}

// endSessionsOfLocked logs a deleted user out everywhere.
func (s *Server) endSessionsOfLocked(userPK int) {
	for id, sess := range s.sessions {
		if sess.userPK == userPK {
			delete(s.sessions, id)
		}
	}
}

// challengeLocked answers a GET: the pending stage's challenge. Stages
// that need no input (the multi-factor check of a user without devices,
// the login) complete at once.
func (s *Server) challengeLocked(w http.ResponseWriter, r *http.Request, sess *flowSession, flow *flowRec) {
	p := sess.plan
	u := s.userByNameLocked(p.pendingUser)
	switch p.stages[p.next] {
	case stValidate:
		if len(s.validationDevicesLocked(u)) == 0 {
			s.stageDoneLocked(w, r, sess, flow)
			return
		}
	case stLogin:
		if u != nil {
			now := time.Now()
			sess.userPK, sess.csrf, u.lastLogin = u.pk, randomString(32), &now
			http.SetCookie(w, &http.Cookie{Name: "authentik_csrf", Value: sess.csrf, Path: "/", MaxAge: 31449600, SameSite: http.SameSiteLaxMode})
		}
		s.stageDoneLocked(w, r, sess, flow)
		return
	case stIdentification:
		if s.version == V2024_10 {
			// 2024.10 sends "captcha_stage": null, which its released schema
			// does not allow (the served one does; observations §0).
			answerOffSchema(w)
		}
	}
	s.writeChallenge(w, flow, s.inputChallengeLocked(p, flow))
}

// inputChallengeLocked is the challenge of a stage that waits for the
// user's answer.
func (s *Server) inputChallengeLocked(p *flowPlan, flow *flowRec) obj {
	switch p.stages[p.next] {
	case stIdentification:
		c := obj{{"component", stIdentification}, {"user_fields", []string{"email", "username"}}, {"password_fields", false},
			{"allow_show_password", false}, {"flow_designation", flow.Designation}, {"captcha_stage", nil},
			{"primary_action", "Log in"}, {"sources", []any{}}, {"show_source_labels", false}}
		if s.version != V2024_10 {
			c = append(c, kv{"enable_remember_me", false}, kv{"passkey_challenge", nil})
		}
		return c
	case stPassword:
		return s.pendingObj(stPassword, p, kv{"allow_show_password", false})
	case stValidate:
		return s.pendingObj(stValidate, p, kv{"device_challenges", s.validationDevicesLocked(s.userByNameLocked(p.pendingUser))},
			kv{"configuration_stages", []any{}})
	case stTOTP:
		if p.totpSecret == "" {
			key := make([]byte, 20)
			_, _ = rand.Read(key)
			p.totpSecret = base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(key)
		}
		return s.pendingObj(stTOTP, p, kv{"config_url", totpConfigURL(p.pendingUser, p.totpSecret)})
	case stStatic:
		if p.static == nil {
			for range 6 {
				p.static = append(p.static, randomString(12))
			}
		}
		return s.pendingObj(stStatic, p, kv{"codes", p.static})
	}
	return obj{{"component", "ak-stage-flow-error"}}
}

// solveLocked answers a POST: it checks the answer to the pending stage.
func (s *Server) solveLocked(w http.ResponseWriter, r *http.Request, sess *flowSession, flow *flowRec, body []byte) {
	p := sess.plan
	data, _ := parseJSONObject(body)
	str := func(k string) string { v, _ := data[k].(string); return v }
	invalid := func(field, msg string) {
		// The same challenge, with the error right after "component" (recorded).
		c := s.inputChallengeLocked(p, flow)
		errs := kv{"response_errors", obj{{field, []any{obj{{"string", msg}, {"code", "invalid"}}}}}}
		s.writeChallenge(w, flow, append(obj{c[0], errs}, c[1:]...))
	}
	switch p.stages[p.next] {
	case stIdentification:
		uid := str("uid_field")
		if u := s.userByNameLocked(uid); u != nil {
			p.pendingUser = u.username
		} else if u := s.userByEmailLocked(uid); u != nil {
			p.pendingUser = u.username
		} else {
			// pretend_user_exists: go on; the password stage fails (not recorded).
			p.pendingUser = uid
		}
	case stPassword:
		u := s.userByNameLocked(p.pendingUser)
		if u == nil || u.password == "" || str("password") != u.password {
			invalid("password", "Invalid password")
			return
		}
	case stValidate:
		if !s.checkDeviceCodeLocked(s.userByNameLocked(p.pendingUser), jsonText(data["code"])) {
			invalid("code", "Invalid Token. Please ensure the time on your device is accurate and try again.")
			return
		}
	case stTOTP:
		code := jsonText(data["code"])
		if _, err := strconv.Atoi(code); err != nil && s.version == V2024_10 { // an IntegerField until 2025
			invalid("code", "A valid integer is required.")
			return
		}
		step, ok := totpMatch(p.totpSecret, code, time.Now(), 0)
		if !ok {
			invalid("code", "Code does not match")
			return
		}
		s.addDeviceLocked(Device{Kind: DeviceTOTP, Name: "TOTP Authenticator", UserPK: s.userByNameLocked(p.pendingUser).pk, Confirmed: true,
			Secret: p.totpSecret, lastStep: step}) // the setup's code is used up too
	case stStatic:
		s.addDeviceLocked(Device{Kind: DeviceStatic, Name: "Static Token", UserPK: s.userByNameLocked(p.pendingUser).pk, Confirmed: true,
			Tokens: p.static})
	default:
		s.flowError(w)
		return
	}
	s.stageDoneLocked(w, r, sess, flow)
}

// stageDoneLocked moves to the next stage: a redirect to the executor's GET
// when there is one, else the flow's end (recorded: 302, then
// xak-flow-redirect).
func (s *Server) stageDoneLocked(w http.ResponseWriter, r *http.Request, sess *flowSession, flow *flowRec) {
	sess.plan.next++
	if sess.plan.next < len(sess.plan.stages) {
		w.Header().Set("Location", r.URL.RequestURI())
		writeFault(w, Fault{Status: http.StatusFound, ContentType: "text/html; charset=utf-8"})
		return
	}
	sess.plan = nil
	writePyJSON(w, obj{{"component", "xak-flow-redirect"}, {"to", "/"}})
}

func (s *Server) flowError(w http.ResponseWriter) {
	writePyJSON(w, obj{{"component", "ak-stage-flow-error"}, {"request_id", randomToken()[:32]}})
}

// writeChallenge writes a challenge with the flow's flow_info first.
func (s *Server) writeChallenge(w http.ResponseWriter, flow *flowRec, c obj) {
	info := obj{{"title", flow.Title}, {"background", flowBackground}}
	if s.prof.backgroundURL {
		info = append(info, kv{"background_themed_urls", nil})
	}
	info = append(info, kv{"cancel_url", "/flows/-/cancel/"}, kv{"layout", flow.Layout})
	writePyJSON(w, append(obj{{"flow_info", info}}, c...))
}

func (s *Server) pendingObj(component string, p *flowPlan, extra ...kv) obj {
	return append(obj{{"component", component}, {"pending_user", p.pendingUser}, {"pending_user_avatar", avatarDefault}}, extra...)
}

// writePyJSON writes JSON the way the executor's JsonResponse does
// (Python's json.dumps: ", " and ": " between items).
func writePyJSON(w http.ResponseWriter, v any) {
	compact, err := marshal(v)
	if err != nil {
		writeFault(w, GetServerError)
		return
	}
	var b bytes.Buffer
	inString, escaped := false, false
	for _, c := range compact {
		b.WriteByte(c)
		switch {
		case escaped:
			escaped = false
		case inString && c == '\\':
			escaped = true
		case c == '"':
			inString = !inString
		case !inString && (c == ',' || c == ':'):
			b.WriteByte(' ')
		}
	}
	writeFault(w, Fault{Status: http.StatusOK, ContentType: "application/json", Body: b.String()})
}

// totpConfigURL is django-otp's config_url with authentik's issuer.
func totpConfigURL(username, secret string) string {
	return "otpauth://totp/authentik%3A" + url.PathEscape(username) + "?secret=" + secret +
		"&algorithm=SHA1&digits=6&period=30&issuer=authentik"
}

const tokenAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

func randomString(n int) string {
	b := make([]byte, n)
	for i := range b {
		k, _ := rand.Int(rand.Reader, big.NewInt(int64(len(tokenAlphabet))))
		b[i] = tokenAlphabet[k.Int64()]
	}
	return string(b)
}
