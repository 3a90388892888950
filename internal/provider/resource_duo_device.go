package provider

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework-validators/resourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/authentik-iac/terraform-provider-authentik/internal/authentik"
)

// NewDuoDeviceResource returns the authentik_duo_device resource.
func NewDuoDeviceResource() resource.Resource { return &deviceResource{kind: duoDevice} }

// duoDevice is the one kind authentik can create: a Duo stage imports a
// user's existing Duo enrollment (import_device_manual).
var duoDevice = &deviceKind{api: authentik.DeviceDuo, title: "Duo device", enroll: "a flow with a Duo authenticator setup stage",
	about: "A Duo device of a user: created by importing the user's existing Duo enrollment through a Duo setup stage " +
		"(`stage`, `duo_user_id`, `username`), or enrolled through a flow and imported.",
	create: &deviceCreate{
		defaultName: authentik.ImportedDuoDeviceName,
		inputs: map[string]schema.Attribute{
			"stage": duoInput("uuid of the Duo authenticator setup stage (`authentik_stage_authenticator_duo`) that imports the device.",
				isUUID()),
			"duo_user_id": duoInput("The user's id in Duo (`DU…`), from the Duo Admin Panel.", nonEmpty()...),
			"username":    duoInput("Username of the authentik user who gets the device.", nonEmpty()...),
		},
		validators: func() []resource.ConfigValidator {
			return []resource.ConfigValidator{resourcevalidator.RequiredTogether(
				path.MatchRoot("stage"), path.MatchRoot("duo_user_id"), path.MatchRoot("username"))}
		},
		run: createDuoDevice,
	},
}

// duoInput is a create input. authentik never shows it again, so it is kept
// from the configuration; changing it imports a new device, except that
// setting it on a device that was imported into Terraform (state null)
// records it without a replacement.
func duoInput(description string, validators ...validator.String) schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: description + " Sent once, when the device is created; changing it replaces the device.",
		Optional:            true,
		Validators:          validators,
		PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplaceIf(
			func(_ context.Context, req planmodifier.StringRequest, resp *stringplanmodifier.RequiresReplaceIfFuncResponse) {
				resp.RequiresReplace = !req.StateValue.IsNull()
			}, "Replaces the device when it changes, unless the device was imported without it.",
			"Replaces the device when it changes, unless the device was imported without it.")},
	}
}

func createDuoDevice(ctx context.Context, r *deviceResource, plan deviceValues, diags *diag.Diagnostics) (authentik.Device, bool) {
	stage, ok := plan.str("stage")
	duoUserID, _ := plan.str("duo_user_id")
	username, _ := plan.str("username")
	if !ok {
		diags.AddError("Nothing to create the Duo device from",
			"authentik creates a Duo device only by importing a user's existing Duo enrollment: set `stage`, `duo_user_id` and `username`. "+
				"To manage a device that already exists in authentik, import it: `terraform import authentik_duo_device.<name> <pk>`.")
		return authentik.Device{}, false
	}
	dev, recovered, err := r.client.ImportDuoDevice(ctx, stage, authentik.DuoDeviceImport{DuoUserID: duoUserID, Username: username})
	var apiErr *authentik.APIError
	switch {
	case errors.Is(err, authentik.ErrDuoDeviceExists):
		diags.AddAttributeError(path.Root("duo_user_id"), "The Duo device exists already",
			fmt.Sprintf("authentik already has a Duo device of user %q with Duo user id %q on this stage, and creates no second one. "+
				"Import it instead: the data source authentik_user_devices lists the user's devices with their pks, then "+
				"`terraform import authentik_duo_device.<name> <pk>`.", username, duoUserID))
		return authentik.Device{}, false
	case errors.As(err, &apiErr) && slices.Contains(apiErr.NonFieldErrors, "User does not exist."):
		diags.AddAttributeError(path.Root("username"), "authentik has no such user",
			fmt.Sprintf("authentik said: \"User does not exist.\" for username %q. Fix `username` (it is the login name, not the display name); "+
				"the token's user also needs permission to view users.", username))
		return authentik.Device{}, false
	case errors.Is(err, authentik.ErrImportedDuoDeviceNotFound):
		diags.AddError("Could not find the imported Duo device",
			fmt.Sprintf("authentik accepted the import (it answers with no body), but no Duo device named %q of user %q was found "+
				"afterwards; it was probably renamed at once. Find it with the data source authentik_user_devices and import it.",
				authentik.ImportedDuoDeviceName, username))
		return authentik.Device{}, false
	case err != nil:
		r.addError(ctx, diags, "import the Duo device", err)
		return authentik.Device{}, false
	case recovered:
		diags.AddWarning("Adopted the Duo device after a lost answer",
			fmt.Sprintf("authentik's answer to the import was lost; sent again, authentik said the device exists already, so the "+
				"device it made (pk %d) is now in Terraform state.", dev.PK))
	}
	if name, ok := plan.str("name"); ok && name != dev.Name {
		renamed, err := renameDevice(ctx, r, dev.PK, name)
		if err != nil {
			// The device exists: keep it in state (Terraform marks it
			// tainted), so that it is neither lost nor imported twice.
			r.addError(ctx, diags, "rename the imported Duo device", err)
			return dev, true
		}
		dev = renamed
	}
	return dev, true
}
