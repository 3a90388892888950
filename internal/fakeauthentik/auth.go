package fakeauthentik

import (
	"net/http"
	"strings"
)

type user struct {
	pk        int
	username  string
	superuser bool
	token     string
}

// AddUser creates a user with an API token and returns its pk and token.
// A user that is not a superuser gets 403 on every endpoint of the fake.
func (s *Server) AddUser(username string, superuser bool) (pk int, token string) {
	return s.addUser(username, superuser, randomToken())
}

func (s *Server) addUser(username string, superuser bool, token string) (int, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := &user{pk: s.nextUserPK, username: username, superuser: superuser, token: token}
	s.nextUserPK++
	s.users[token] = u
	return u.pk, token
}

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
	u := s.users[cred]
	s.mu.Unlock()
	if u == nil {
		writeDetail(w, http.StatusForbidden, msgTokenInvalid)
		return nil, false
	}
	return u, true
}
