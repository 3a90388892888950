package fakeauthentik

import "net/http"

// ImportedDuoDeviceName is the name authentik gives an imported Duo device.
const ImportedDuoDeviceName = "Imported Duo Authenticator"

// duoImportManual is POST /stages/authenticator/duo/{stage_uuid}/import_device_manual/.
// authentik's view reads the body without a serializer: an unknown username
// and a second device for the same stage, Duo user id and user are its two
// hand-made 400s; a missing duo_user_id reaches the NOT NULL column and
// fails inside (the empty HTML 405 of a failing write). Success is a 204
// with no body; the device is confirmed and named ImportedDuoDeviceName.
// It needs add_duodevice and view_user, which only superusers hold here.
func (s *Server) duoImportManual(w http.ResponseWriter, c *call) {
	st, ok := s.duoStageForAction(w, c)
	if !ok {
		return
	}
	data, ok := parseBody(w, c)
	if !ok {
		return
	}
	username, _ := data["username"].(string)
	duoUserID, hasID := data["duo_user_id"].(string)
	s.mu.Lock()
	defer s.mu.Unlock()
	owner := s.userByNameLocked(username)
	if owner == nil {
		writeJSON(w, http.StatusBadRequest, obj{{"non_field_errors", []string{"User does not exist."}}})
		return
	}
	for _, d := range s.devices.byKind[DeviceDuo] {
		if hasID && d.Stage == st.PK && d.DuoUserID == duoUserID && d.UserPK == owner.pk {
			writeJSON(w, http.StatusBadRequest, obj{{"non_field_errors", []string{"Device exists already."}}})
			return
		}
	}
	if !hasID {
		writeFault(w, WriteServerError)
		return
	}
	s.addDeviceLocked(Device{Kind: DeviceDuo, Name: ImportedDuoDeviceName, UserPK: owner.pk, Confirmed: true, Stage: st.PK, DuoUserID: duoUserID})
	writeNoContent(w)
}
