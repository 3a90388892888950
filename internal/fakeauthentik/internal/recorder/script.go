package main

import (
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/authentik-iac/terraform-provider-authentik/internal/acctest"
)

const (
	alicePassword = "rec-Alice-password-1"
	bobPassword   = "rec-Bob-password-1"
	aliceToken    = "rec-alice-api"
)

// script is the list of recorded calls. Every call is written down,
// whatever it answered; only the calls whose result later calls need stop
// the script when they fail.
func (r *rec) script() {
	a := r.admin

	r.section("users, passwords and API tokens")
	alice := r.call(a, http.MethodPost, "/core/users/", map[string]any{"username": "rec-alice", "name": "rec-alice"})
	alicePK := pk(alice)
	if alicePK == "" {
		r.fail("could not create rec-alice")
		return
	}
	r.call(a, http.MethodPost, "/core/users/", map[string]any{"username": "rec-alice", "name": "a second rec-alice"})
	r.call(a, http.MethodPost, "/core/users/", map[string]any{})
	r.call(a, http.MethodGet, "/core/users/?username=rec-alice", nil)
	r.call(a, http.MethodGet, "/core/users/"+alicePK+"/", nil)
	r.call(a, http.MethodGet, "/core/users/999999/", nil)
	r.call(a, http.MethodPost, "/core/users/"+alicePK+"/set_password/", map[string]any{"password": alicePassword})
	r.call(a, http.MethodPost, "/core/users/999999/set_password/", map[string]any{"password": alicePassword})
	tok := map[string]any{"identifier": aliceToken, "user": jsonInt(alicePK), "intent": "api", "expiring": false}
	r.call(a, http.MethodPost, "/core/tokens/", tok)
	r.call(a, http.MethodPost, "/core/tokens/", tok)
	key := r.call(a, http.MethodGet, "/core/tokens/"+aliceToken+"/view_key/", nil)
	r.call(a, http.MethodGet, "/core/tokens/no-such-token/view_key/", nil)
	k, _ := key["key"].(string)
	asAlice := a.As(k)
	aliceNote := "token: key of " + aliceToken
	r.callNote(aliceNote, asAlice, http.MethodGet, "/core/users/me/", nil)
	r.callNote(aliceNote, asAlice, http.MethodGet, "/stages/authenticator/duo/", nil)
	r.callNote(aliceNote, asAlice, http.MethodGet, "/core/tokens/"+aliceToken+"/view_key/", nil)
	r.call(a, http.MethodGet, "/core/users/me/", nil)

	r.section("flows and flow-stage bindings")
	duo := r.call(a, http.MethodPost, "/stages/authenticator/duo/", map[string]any{"name": "rec-duo", "client_id": "DIREC",
		"client_secret": "rec-secret", "api_hostname": "api-rec.example.com"})
	flowBody := map[string]any{"name": "rec-flow", "slug": "rec-flow", "title": "Recorder flow", "designation": "stage_configuration"}
	flow := r.call(a, http.MethodPost, "/flows/instances/", flowBody)
	r.call(a, http.MethodPost, "/flows/instances/", flowBody)
	duoPK, flowPK := pk(duo), pk(flow)
	binding := r.call(a, http.MethodPost, "/flows/bindings/", map[string]any{"target": flowPK, "stage": duoPK, "order": 10})
	bindingPK := pk(binding)
	r.call(a, http.MethodGet, "/flows/bindings/?target="+flowPK, nil)
	r.call(a, http.MethodGet, "/flows/instances/rec-flow/", nil)
	r.call(a, http.MethodGet, "/stages/authenticator/duo/"+duoPK+"/", nil)
	r.call(a, http.MethodGet, "/stages/authenticator/duo/"+duoPK+"/used_by/", nil)
	r.call(a, http.MethodDelete, "/flows/bindings/"+bindingPK+"/", nil)
	r.call(a, http.MethodDelete, "/flows/bindings/"+bindingPK+"/", nil)
	r.call(a, http.MethodDelete, "/flows/instances/rec-flow/", nil)

	r.section("routes the first transcripts saw and the fake did not model")
	r.call(a, http.MethodGet, "/root/config/", nil)
	r.call(a, http.MethodGet, "/schema/", nil)
	r.call(a, http.MethodPost, "/stages/authenticator/duo/"+duoPK+"/import_devices_automatic/", nil)
	r.call(a, http.MethodPost, "/stages/authenticator/duo/"+duoPK+"/import_device_manual/", map[string]any{"duo_user_id": "DUXXXX", "username": "no-such-user"})
	r.call(a, http.MethodPost, "/stages/authenticator/duo/"+duoPK+"/enrollment_status/", nil)
	r.call(a, http.MethodOptions, "/stages/authenticator/duo/", nil)
	r.call(a, http.MethodOptions, "/authenticators/admin/totp/", nil)
	r.call(a, http.MethodDelete, "/stages/authenticator/duo/"+duoPK+"/", nil)
	r.call(a, http.MethodGet, "/authenticators/all/", nil)

	r.section("flow executor: log in (identification, password)")
	s := a.NewSession("session: rec-alice")
	r.solve(s, "GET", "default-authenticator-totp-setup", nil)
	r.solve(s, "GET", "default-authentication-flow", nil)
	r.solve(s, "POST", "default-authentication-flow", map[string]any{"component": "ak-stage-identification", "uid_field": "rec-alice"})
	r.solve(s, "POST", "default-authentication-flow", map[string]any{"component": "ak-stage-password", "password": "wrong password"})
	r.solve(s, "POST", "default-authentication-flow", map[string]any{"component": "ak-stage-password", "password": alicePassword})

	r.section("flow executor: TOTP enrollment")
	ch := r.solve(s, "GET", "default-authenticator-totp-setup", nil)
	secret, err := acctest.SecretFromURL(ch.ConfigURL)
	if err != nil {
		r.fail(err.Error())
		return
	}
	code, err := s.TOTPAnswer(acctest.WithNote(r.ctx, "quiet"), secret, time.Now())
	if err != nil {
		r.fail(err.Error())
		return
	}
	r.solve(s, "POST", "default-authenticator-totp-setup", map[string]any{"component": "ak-stage-authenticator-totp", "code": code})
	enrolledStep := time.Now().Unix() / 30
	r.call(a, http.MethodGet, "/authenticators/admin/all/?user="+alicePK, nil)
	r.callNote(aliceNote, asAlice, http.MethodGet, "/authenticators/all/", nil)
	devices := r.callNote(aliceNote, asAlice, http.MethodGet, "/authenticators/totp/", nil)
	if res, _ := devices["results"].([]any); len(res) == 1 {
		id := pk(res[0].(map[string]any))
		r.callNote(aliceNote, asAlice, http.MethodGet, "/authenticators/totp/"+id+"/used_by/", nil)
		r.call(a, http.MethodGet, "/authenticators/admin/totp/"+id+"/", nil)
	}

	r.section("flow executor: log in with a TOTP device (the multi-factor stage)")
	m := a.NewSession("session: rec-alice-again")
	r.solve(m, "GET", "default-authentication-flow", nil)
	r.solve(m, "POST", "default-authentication-flow", map[string]any{"component": "ak-stage-identification", "uid_field": "rec-alice"})
	r.solve(m, "POST", "default-authentication-flow", map[string]any{"component": "ak-stage-password", "password": alicePassword})
	r.solve(m, "POST", "default-authentication-flow", map[string]any{"component": "ak-stage-authenticator-validate", "code": "000000"})
	// A wrong code throttles the device for a second, and a code of a time
	// step the device already accepted is refused (django-otp's last_t).
	time.Sleep(max(3*time.Second, time.Until(time.Unix((enrolledStep+1)*30+1, 0))))
	code, _ = acctest.TOTPCode(secret, time.Now())
	r.totpFrom = "rec-alice"
	r.solve(m, "POST", "default-authentication-flow", map[string]any{"component": "ak-stage-authenticator-validate", "code": code})
	r.totpFrom = ""
	r.call(a, http.MethodGet, "/authenticators/admin/all/?user="+alicePK, nil)

	r.section("flow executor: static tokens")
	r.solve(s, "GET", "default-authenticator-static-setup", nil)
	r.solve(s, "POST", "default-authenticator-static-setup", map[string]any{"component": "ak-stage-authenticator-static"})
	r.call(a, http.MethodGet, "/authenticators/admin/all/?user="+alicePK, nil)

	r.section("flow executor: a POST without the CSRF header")
	r.solve(s, "GET", "default-authenticator-totp-setup", nil)
	s.OmitCSRF = true
	r.solve(s, "POST", "default-authenticator-totp-setup", map[string]any{"component": "ak-stage-authenticator-totp", "code": "000000"})

	r.section("flow executor: a wrong TOTP code")
	bob := r.call(a, http.MethodPost, "/core/users/", map[string]any{"username": "rec-bob", "name": "rec-bob"})
	bobPK := pk(bob)
	r.call(a, http.MethodPost, "/core/users/"+bobPK+"/set_password/", map[string]any{"password": bobPassword})
	sb := a.NewSession("session: rec-bob")
	r.solve(sb, "GET", "default-authentication-flow", nil)
	r.solve(sb, "POST", "default-authentication-flow", map[string]any{"component": "ak-stage-identification", "uid_field": "rec-bob"})
	r.solve(sb, "POST", "default-authentication-flow", map[string]any{"component": "ak-stage-password", "password": bobPassword})
	r.solve(sb, "GET", "default-authenticator-totp-setup", nil)
	r.solve(sb, "POST", "default-authenticator-totp-setup", map[string]any{"component": "ak-stage-authenticator-totp", "code": "000000"})

	r.section("deletes")
	r.call(a, http.MethodDelete, "/core/tokens/"+aliceToken+"/", nil)
	r.call(a, http.MethodDelete, "/core/tokens/"+aliceToken+"/", nil)
	r.call(a, http.MethodDelete, "/core/users/"+alicePK+"/", nil)
	r.call(a, http.MethodGet, "/core/users/"+alicePK+"/", nil)
	r.call(a, http.MethodDelete, "/core/users/"+bobPK+"/", nil)
}

// solve sends one flow executor request of a session.
func (r *rec) solve(s *acctest.Session, method, flow string, answer map[string]any) acctest.Challenge {
	var ch acctest.Challenge
	var err error
	if method == http.MethodGet {
		ch, err = s.Get(r.ctx, flow)
	} else {
		ch, err = s.Solve(r.ctx, flow, answer)
	}
	if err != nil {
		r.fail(fmt.Sprintf("%s %s: %v", method, flow, err))
	}
	return ch
}

func (r *rec) callNote(note string, c *acctest.Client, method, target string, body any) map[string]any {
	saved := r.ctx
	r.ctx = acctest.WithNote(r.ctx, note)
	defer func() { r.ctx = saved }()
	return r.call(c, method, target, body)
}

// pk is an object's pk as a path segment.
func pk(m map[string]any) string {
	switch v := m["pk"].(type) {
	case string:
		return url.PathEscape(v)
	case float64:
		return fmt.Sprint(int64(v))
	}
	return ""
}

// jsonInt turns a decimal pk back into a JSON number.
func jsonInt(s string) any {
	var n int64
	if _, err := fmt.Sscan(s, &n); err != nil {
		return s
	}
	return n
}
