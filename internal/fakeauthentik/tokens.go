package fakeauthentik

import (
	"encoding/json"
	"fmt"
	"net/http"
)

var tokenIntents = map[string]bool{"verification": true, "api": true, "recovery": true, "app_password": true}

// tokenJSON is TokenSerializer.
func (s *Server) tokenJSON(t *tokenRec) obj {
	var userObj any
	if u := s.users[t.userPK]; u != nil {
		userObj = s.userJSON(u)
	}
	return obj{{"pk", t.pk}, {"managed", nil}, {"identifier", t.identifier}, {"intent", t.intent}, {"user", t.userPK},
		{"user_obj", userObj}, {"description", t.description}, {"expires", akTime(t.expires)}, {"expiring", t.expiring}}
}

// tokenList is /core/tokens/. Only creating is modelled; the list answers
// the tokens with identifier= (exact), unpaginated filters aside.
func (s *Server) tokenList(w http.ResponseWriter, c *call) {
	if c.method == http.MethodPost {
		s.tokenCreate(w, c)
		return
	}
	q := c.r.URL.Query()
	s.mu.Lock()
	var results []any
	for _, t := range s.tokens {
		if !q.Has("identifier") || t.identifier == q.Get("identifier") {
			results = append(results, s.tokenJSON(t))
		}
	}
	lo, hi, pag, ok := s.paginate(w, q, len(results))
	s.mu.Unlock()
	if ok {
		s.writePage(w, pag, results[lo:hi])
	}
}

// tokenCreate is POST /core/tokens/: identifier (a unique slug), intent,
// user (default: the caller), expiring, description. The key is random
// and shown only by view_key.
func (s *Server) tokenCreate(w http.ResponseWriter, c *call) {
	data, ok := parseBody(w, c)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var errs obj
	ident, _, msg := (strField{name: "identifier", required: true}).check(data, false)
	switch {
	case msg != "":
		errs = append(errs, kv{"identifier", []string{msg}})
	case !slugRE.MatchString(*ident):
		errs = append(errs, kv{"identifier", []string{"Enter a valid “slug” consisting of letters, numbers, underscores or hyphens."}})
	case s.tokens[*ident] != nil:
		errs = append(errs, kv{"identifier", []string{"Token with this identifier already exists."}})
	}
	t := &tokenRec{key: randomToken(), intent: "verification", userPK: c.user.pk, expiring: true}
	if v, ok := data["intent"].(string); ok {
		if !tokenIntents[v] {
			errs = append(errs, kv{"intent", []string{"\"" + v + "\" is not a valid choice."}})
		}
		t.intent = v
	}
	if raw, ok := data["user"]; ok {
		pk, valid := jsonPK(raw)
		if !valid || s.users[pk] == nil {
			errs = append(errs, kv{"user", []string{"Invalid pk \"" + pyString(raw) + "\" - object does not exist."}})
		}
		t.userPK = pk
	}
	if v, ok := data["expiring"].(bool); ok {
		t.expiring = v
	}
	if v, ok := data["description"].(string); ok {
		t.description = v
	}
	if errs != nil {
		writeJSON(w, http.StatusBadRequest, errs)
		return
	}
	t.identifier = *ident
	s.addTokenLocked(t)
	writeJSON(w, http.StatusCreated, s.tokenJSON(t))
}

func (s *Server) tokenFromPathLocked(w http.ResponseWriter, id string) *tokenRec {
	if t := s.tokens[id]; t != nil {
		return t
	}
	writeDetail(w, http.StatusNotFound, s.notFound("Token"))
	return nil
}

// tokenDetail is /core/tokens/{identifier}/ (GET, DELETE).
func (s *Server) tokenDetail(w http.ResponseWriter, c *call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if t := s.tokenFromPathLocked(w, c.id); t != nil {
		readOrDelete(w, c, s.tokenJSON(t), func() { delete(s.tokens, t.identifier) })
	}
}

// readOrDelete answers the detail route of an object the fake reads and
// deletes but does not update: GET shows it, DELETE removes it, and PUT or
// PATCH (not modelled) get the empty HTML 405 of an internal error.
func readOrDelete(w http.ResponseWriter, c *call, shown any, remove func()) {
	switch c.method {
	case http.MethodGet:
		writeJSON(w, http.StatusOK, shown)
	case http.MethodDelete:
		remove()
		writeNoContent(w)
	default:
		writeFault(w, WriteServerError)
	}
}

// tokenViewKey is GET /core/tokens/{identifier}/view_key/ (admins only: a
// user without view_token_key gets 403, even for their own token).
func (s *Server) tokenViewKey(w http.ResponseWriter, c *call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if t := s.tokenFromPathLocked(w, c.id); t != nil {
		writeJSON(w, http.StatusOK, obj{{"key", t.key}})
	}
}

// jsonPK reads an integer primary key the way DRF's PrimaryKeyRelatedField
// does: a JSON number or a decimal string.
func jsonPK(raw any) (int, bool) {
	var text string
	switch x := raw.(type) {
	case json.Number:
		text = x.String()
	case string:
		text = x
	default:
		return 0, false
	}
	var pk int
	if _, err := fmt.Sscan(text, &pk); err != nil || fmt.Sprint(pk) != text {
		return 0, false
	}
	return pk, true
}

// pyString is str() of a parsed JSON value, for error messages.
func pyString(raw any) string {
	switch x := raw.(type) {
	case json.Number:
		return pyNumber(x)
	case string:
		return x
	case nil:
		return "None"
	case bool:
		if x {
			return "True"
		}
		return "False"
	}
	return fmt.Sprint(raw)
}
