package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/authentik-iac/terraform-provider-authentik/internal/authentik"
)

// NewTOTPDeviceResource returns the authentik_totp_device resource.
func NewTOTPDeviceResource() resource.Resource { return &deviceResource{kind: totpDevice} }

var totpDevice = &deviceKind{api: authentik.DeviceTOTP, title: "TOTP device", about: "A TOTP authenticator device (an authenticator app) a user enrolled.",
	enroll: "for example default-authenticator-totp-setup, from the user's settings"}
