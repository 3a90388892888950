package fakeauthentik

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"time"

	"github.com/google/uuid"
)

// user is an authentik user. Answers follow the recorded transcripts
// (testdata/real/fixtures-*.txt); avatars are the default image, as on the
// recorded servers, which run with avatars "none".
type user struct {
	pk                int
	uuid              string
	username, name    string
	email             string
	superuser         bool
	password          string // "" = no usable password
	lastLogin         *time.Time
	joined, pwChanged time.Time
	updated           time.Time
	adminGroupUUID    string // akadmin's group "authentik Admins"
}

// tokenRec is an authentik Token.
type tokenRec struct {
	pk, identifier, key, intent, description string
	userPK                                   int
	expiring                                 bool
	expires                                  time.Time
}

const avatarDefault = "/static/dist/assets/images/user_default.png"

// akTime formats a time as authentik's API does (microseconds, "Z").
func akTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000Z") }

func akTimePtr(t *time.Time) any {
	if t == nil {
		return nil
	}
	return akTime(*t)
}

// AddUser creates a user with an API token and returns its pk and the token.
// A user that is not a superuser holds no permission.
func (s *Server) AddUser(username string, superuser bool) (pk int, token string) {
	return s.addUser(username, superuser, randomToken())
}

func (s *Server) addUser(username string, superuser bool, key string) (int, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.newUserLocked(username, username)
	u.superuser = superuser
	s.addTokenLocked(&tokenRec{identifier: "fake-api-token-" + username, key: key, intent: "api", userPK: u.pk})
	return u.pk, key
}

func (s *Server) newUserLocked(username, name string) *user {
	now := time.Now()
	u := &user{pk: s.nextUserPK, uuid: uuid.NewString(), username: username, name: name, joined: now, updated: now}
	s.nextUserPK++
	s.users[u.pk] = u
	return u
}

func (s *Server) addTokenLocked(t *tokenRec) {
	if t.pk == "" {
		t.pk = uuid.NewString()
	}
	if t.expires.IsZero() {
		t.expires = time.Now().Add(30 * time.Minute) // the model's default, even when not expiring
	}
	s.tokens[t.identifier] = t
}

// tokenUserLocked is the user of an API token (intent "api"), or nil.
func (s *Server) tokenUserLocked(key string) *user {
	for _, t := range s.tokens {
		if t.key == key && t.intent == "api" && (!t.expiring || time.Now().Before(t.expires)) {
			return s.users[t.userPK]
		}
	}
	return nil
}

func (u *user) uid() string {
	sum := sha256.Sum256([]byte(fmt.Sprintf("fake-install-%d", u.pk)))
	return hex.EncodeToString(sum[:])
}

// userJSON is UserSerializer.
func (s *Server) userJSON(u *user) obj {
	groups, groupsObj := []any{}, []any{}
	if u.superuser && u.adminGroupUUID != "" {
		groups = append(groups, u.adminGroupUUID)
		groupsObj = append(groupsObj, obj{{"pk", u.adminGroupUUID}, {"num_pk", 1}, {"name", "authentik Admins"},
			{"is_superuser", true}, {"parent", nil}, {"parent_name", nil}, {"attributes", obj{}}})
	}
	o := obj{{"pk", u.pk}, {"username", u.username}, {"name", u.name}, {"is_active", true}, {"last_login", akTimePtr(u.lastLogin)}}
	if s.version != V2024_10 {
		o = append(o, kv{"date_joined", akTime(u.joined)})
	}
	o = append(o, kv{"is_superuser", u.superuser}, kv{"groups", groups}, kv{"groups_obj", groupsObj})
	if s.version != V2024_10 {
		o = append(o, kv{"roles", []any{}}, kv{"roles_obj", []any{}})
	}
	o = append(o, kv{"email", u.email}, kv{"avatar", avatarDefault}, kv{"attributes", obj{}}, kv{"uid", u.uid()},
		kv{"path", "users"}, kv{"type", "internal"}, kv{"uuid", u.uuid})
	if s.version != V2024_10 {
		o = append(o, kv{"password_change_date", akTime(u.pwChanged)}, kv{"last_updated", akTime(u.updated)})
	}
	return o
}

// partialUserJSON is PartialUserSerializer (TOTP devices from 2025.2).
func (s *Server) partialUserJSON(pk int) obj {
	u := s.users[pk]
	if u == nil {
		u = &user{pk: pk, username: fmt.Sprintf("user-%d", pk)}
	}
	return obj{{"pk", u.pk}, {"username", u.username}, {"name", u.name}, {"is_active", true},
		{"last_login", akTimePtr(u.lastLogin)}, {"email", u.email}, {"attributes", obj{}}, {"uid", u.uid()}}
}

var userOrdering = map[string]func(*user) string{
	"pk":       func(u *user) string { return fmt.Sprintf("%012d", u.pk) },
	"username": func(u *user) string { return u.username },
	"name":     func(u *user) string { return u.name },
}

// userAutocomplete is the autocomplete block of 2025.12's user list (its
// DjangoQL fields), as recorded.
const userAutocomplete = `{"current_model":"authentik_core.user","models":{"authentik_core.user":{"username":{"type":"str","nullable":false,"options":null},"name":{"type":"str","nullable":false,"options":null},"email":{"type":"str","nullable":false,"options":null},"path":{"type":"str","nullable":false,"options":null},"is_active":{"type":"bool","nullable":true,"options":null},"type":{"type":"str","nullable":false,"options":["internal","external","service_account","internal_service_account"]},"attributes":{"type":"relation","nullable":false,"options":null,"relation":"authentik_core.user_attributes"}}}}`

// userList is /core/users/ (GET with username/name/search filters, POST).
func (s *Server) userList(w http.ResponseWriter, c *call) {
	if c.method == http.MethodPost {
		s.userCreate(w, c)
		return
	}
	q := c.r.URL.Query()
	s.mu.Lock()
	var recs []*user
	for _, u := range s.users {
		if q.Has("username") && u.username != q.Get("username") || q.Has("name") && u.name != q.Get("name") ||
			!searchMatch(q.Get("search"), u.username, u.name, u.email) {
			continue
		}
		recs = append(recs, u)
	}
	sort.Slice(recs, func(i, j int) bool { return recs[i].pk < recs[j].pk })
	sortBy(recs, q.Get("ordering"), []string{"username"}, userOrdering)
	lo, hi, pag, ok := s.paginate(w, q, len(recs))
	if !ok {
		s.mu.Unlock()
		return
	}
	var results []any
	for _, u := range recs[lo:hi] {
		results = append(results, s.userJSON(u))
	}
	s.mu.Unlock()
	if s.prof.autocomplete {
		s.writePageWith(w, pag, results, json.RawMessage(userAutocomplete))
		return
	}
	s.writePage(w, pag, results)
}

var usernameRE = regexp.MustCompile(`^[\w.@+-]+$`)

// userCreate is POST /core/users/: username (unique) and name are required.
func (s *Server) userCreate(w http.ResponseWriter, c *call) {
	data, ok := parseBody(w, c)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var errs obj
	username, _, msg := (strField{name: "username", required: true}).check(data, false)
	switch {
	case msg != "":
		errs = append(errs, kv{"username", []string{msg}})
	case len([]rune(*username)) > 150:
		errs = append(errs, kv{"username", []string{"Ensure this field has no more than 150 characters."}})
	case !usernameRE.MatchString(*username):
		errs = append(errs, kv{"username", []string{"Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters."}})
	case s.userByNameLocked(*username) != nil:
		errs = append(errs, kv{"username", []string{"This field must be unique."}})
	}
	name, _, msg := (strField{name: "name", required: true}).check(data, false)
	if msg != "" {
		errs = append(errs, kv{"name", []string{msg}})
	}
	if errs != nil {
		writeJSON(w, http.StatusBadRequest, errs)
		return
	}
	u := s.newUserLocked(*username, *name)
	if e, ok := data["email"].(string); ok {
		u.email = e
	}
	writeJSON(w, http.StatusCreated, s.userJSON(u))
}

func (s *Server) userByNameLocked(username string) *user {
	for _, u := range s.users {
		if u.username == username {
			return u
		}
	}
	return nil
}

// userFromPath finds the user of /core/users/{id}/…, or answers 404.
func (s *Server) userFromPathLocked(w http.ResponseWriter, id string) *user {
	pk, err := strconv.Atoi(id)
	if err != nil || pk <= 0 || id != strconv.Itoa(pk) {
		writeDetail(w, http.StatusNotFound, msgNotFound)
		return nil
	}
	if u := s.users[pk]; u != nil {
		return u
	}
	writeDetail(w, http.StatusNotFound, s.notFound("User"))
	return nil
}

// userDetail is /core/users/{id}/ (GET, DELETE). A delete takes the user's
// tokens, devices and sessions with it (on_delete=CASCADE).
func (s *Server) userDetail(w http.ResponseWriter, c *call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.userFromPathLocked(w, c.id)
	if u == nil {
		return
	}
	readOrDelete(w, c, s.userJSON(u), func() {
		delete(s.users, u.pk)
		for id, t := range s.tokens {
			if t.userPK == u.pk {
				delete(s.tokens, id)
			}
		}
		s.deleteDevicesOfLocked(u.pk)
		s.endSessionsOfLocked(u.pk)
	})
}

// userSetPassword is POST /core/users/{id}/set_password/.
func (s *Server) userSetPassword(w http.ResponseWriter, c *call) {
	data, ok := parseBody(w, c)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.userFromPathLocked(w, c.id)
	if u == nil {
		return
	}
	pw, _, msg := (strField{name: "password", required: true}).check(data, false)
	if msg != "" {
		writeJSON(w, http.StatusBadRequest, obj{{"password", []string{msg}}})
		return
	}
	u.password, u.pwChanged, u.updated = *pw, time.Now(), time.Now()
	writeNoContent(w)
}

// systemPermissions are a superuser's system_permissions in /core/users/me/,
// as recorded (the order differs between runs; comparisons ignore it).
var systemPermissions = map[Version][]string{
	V2024_10: {"view_system_settings", "edit_system_settings", "view_role", "access_admin_interface", "change_role",
		"view_system_info", "assign_role_permissions", "add_role", "delete_role", "unassign_role_permissions"},
	V2025_12: {"view_system_settings", "edit_system_settings", "view_media_files", "assign_role_permissions",
		"unassign_role_permissions", "view_system_info", "change_initialpermissions", "delete_initialpermissions", "view_role",
		"view_initialpermissions", "access_admin_interface", "add_initialpermissions", "change_role", "manage_media_files",
		"add_role", "delete_role"},
}

// userMe is GET /core/users/me/: the token's user (UserSelfSerializer).
func (s *Server) userMe(w http.ResponseWriter, c *call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := c.user
	groups := []any{}
	if u.superuser && u.adminGroupUUID != "" {
		groups = append(groups, obj{{"name", "authentik Admins"}, {"pk", u.adminGroupUUID}})
	}
	o := obj{{"pk", u.pk}, {"username", u.username}, {"name", u.name}, {"is_active", true}, {"is_superuser", u.superuser}, {"groups", groups}}
	if s.version != V2024_10 {
		o = append(o, kv{"roles", []any{}})
	}
	perms := []string{}
	if u.superuser {
		perms = systemPermissions[V2025_12]
		if s.version == V2024_10 {
			perms = systemPermissions[V2024_10]
		}
	}
	o = append(o, kv{"email", u.email}, kv{"avatar", avatarDefault}, kv{"uid", u.uid()}, kv{"settings", obj{}},
		kv{"type", "internal"}, kv{"system_permissions", perms})
	writeJSON(w, http.StatusOK, obj{{"user", o}})
}
