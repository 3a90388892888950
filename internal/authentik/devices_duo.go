package authentik

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
)

// ImportedDuoDeviceName is the name authentik gives a Duo device it imports.
const ImportedDuoDeviceName = "Imported Duo Authenticator"

// DuoDeviceImport is the body of a Duo stage's import_device_manual: the
// Duo user id, and the authentik username to give the device to.
type DuoDeviceImport struct {
	DuoUserID string `json:"duo_user_id"`
	Username  string `json:"username"`
}

// ErrDuoDeviceExists means authentik already has a Duo device for this
// stage, Duo user id and user; import_device_manual refuses a second one.
var ErrDuoDeviceExists = errors.New("authentik already has a Duo device for this stage, Duo user id and user")

// ErrImportedDuoDeviceNotFound means authentik accepted the import but the
// device did not show among its Duo devices named ImportedDuoDeviceName.
var ErrImportedDuoDeviceNotFound = errors.New("authentik imported the Duo device, but it is not among the devices named " +
	`"` + ImportedDuoDeviceName + `"`)

// duoImportResends bounds how often a create whose answer was lost is sent
// again.
const duoImportResends = 2

// ImportDuoDevice creates a Duo device through the stage's
// import_device_manual action and returns it. authentik answers 204 with no
// body, so the new device is then found in one listing of the Duo devices
// named ImportedDuoDeviceName, newest first (on 2025.2 and later, the first
// one owned by r.Username). recovered is true when an earlier attempt's
// answer was lost and the device it made was adopted.
//
// Why it is safe to send again: authentik refuses a second device for the
// same stage, Duo user id and user ("Device exists already."), and the
// serializer hides stage and Duo user id, so no listing could tell the
// device apart; the resend is the exact test. Imports are serialised per
// Client, so that the provider's own parallel creates never take each
// other's new device.
func (c *Client) ImportDuoDevice(ctx context.Context, stagePK string, r DuoDeviceImport) (d Device, recovered bool, err error) {
	c.duoImport.Lock()
	defer c.duoImport.Unlock()
	path := "/stages/authenticator/duo/" + url.PathEscape(stagePK) + "/import_device_manual/"
	for attempt := 0; ; attempt++ {
		err = c.do(ctx, http.MethodPost, path, nil, r, nil)
		switch {
		case IsOutcomeUnknown(err) && attempt < duoImportResends:
			recovered = true
			continue
		case isDuoDeviceExists(err) && recovered:
			// The lost attempt made it.
		case isDuoDeviceExists(err):
			return Device{}, false, fmt.Errorf("%w (%w)", ErrDuoDeviceExists, err)
		case err != nil:
			return Device{}, false, err
		default:
			recovered = false // this attempt made it
		}
		d, err = c.findImportedDuoDevice(ctx, r.Username)
		return d, recovered, err
	}
}

func isDuoDeviceExists(err error) bool {
	var e *APIError
	return errors.As(err, &e) && e.Status == http.StatusBadRequest && slices.Contains(e.NonFieldErrors, "Device exists already.")
}

// findImportedDuoDevice is one listing: the newest page of Duo devices named
// ImportedDuoDeviceName. authentik before 2025.2 does not say whose a
// device is; the newest is then taken.
func (c *Client) findImportedDuoDevice(ctx context.Context, username string) (Device, error) {
	q := DeviceFilter{Name: ImportedDuoDeviceName, Ordering: "-pk"}.query()
	q.Set("page_size", fmt.Sprint(listPageSize))
	var p page[Device]
	if err := c.do(ctx, http.MethodGet, DeviceDuo.Path(AdminEndpoints), q, nil, &p); err != nil {
		return Device{}, err
	}
	for _, d := range p.Results {
		if d.User == nil || d.User.Username == username {
			return d, nil
		}
	}
	return Device{}, ErrImportedDuoDeviceNotFound
}
