package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/authentik-iac/terraform-provider-authentik/internal/authentik"
)

// NewStaticDeviceResource returns the authentik_static_device resource.
func NewStaticDeviceResource() resource.Resource { return &deviceResource{kind: staticDevice} }

// staticDevice exposes no facts: its one (the recovery codes) is secret.
var staticDevice = &deviceKind{api: authentik.DeviceStatic, title: "static device", enroll: "for example default-authenticator-static-setup, from the user's settings",
	about: "A set of static recovery codes a user generated. The codes are secrets and are never read into Terraform."}
