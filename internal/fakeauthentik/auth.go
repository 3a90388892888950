package fakeauthentik

import (
	"net/http"
	"strings"
)

// splitAuth splits the Authorization header like authentik's validate_auth.
func splitAuth(r *http.Request) (scheme, cred string, present bool) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return "", "", false
	}
	scheme, cred, _ = strings.Cut(h, " ")
	return scheme, cred, true
}

// bearerToken is the token presented with the Bearer scheme, or "".
func bearerToken(r *http.Request) string {
	scheme, cred, ok := splitAuth(r)
	if !ok || !strings.EqualFold(scheme, "bearer") {
		return ""
	}
	return cred
}

// authenticate answers 403 (never 401) the way DRF + authentik's
// TokenAuthentication do, and returns the user otherwise.
func (s *Server) authenticate(w http.ResponseWriter, r *http.Request) (*user, bool) {
	scheme, cred, present := splitAuth(r)
	switch {
	case !present:
		writeDetail(w, http.StatusForbidden, msgNoCredentials)
		return nil, false
	case !strings.EqualFold(scheme, "bearer"):
		writeDetail(w, http.StatusForbidden, s.prof.otherSchemeMsg)
		return nil, false
	case cred == "":
		writeDetail(w, http.StatusForbidden, msgNoCredentials)
		return nil, false
	}
	s.mu.Lock()
	u := s.tokenUserLocked(cred)
	s.mu.Unlock()
	if u == nil {
		writeDetail(w, http.StatusForbidden, msgTokenInvalid)
		return nil, false
	}
	return u, true
}
