package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/authentik-iac/terraform-provider-authentik/internal/authentik"
)

// NewWebAuthnDeviceResource returns the authentik_webauthn_device resource.
func NewWebAuthnDeviceResource() resource.Resource { return &deviceResource{kind: webauthnDevice} }

var webauthnDevice = &deviceKind{api: authentik.DeviceWebAuthn, title: "WebAuthn device", nameMax: 200,
	about: "A WebAuthn authenticator (a security key or passkey) a user registered.", enroll: "for example default-authenticator-webauthn-setup, from the user's settings",
	facts: []deviceFact{
		{"aaguid", "The authenticator model's AAGUID, as the authenticator reported it.", func(d authentik.Device) *string { return d.AAGUID }},
		{"device_type", "The authenticator model authentik recognised from its AAGUID, e.g. `YubiKey 5 NFC`; null for an unknown model.",
			func(d authentik.Device) *string {
				if d.DeviceType == nil {
					return nil
				}
				return &d.DeviceType.Description
			}},
		{"created_on", "When the device was registered (RFC 3339).", func(d authentik.Device) *string { return d.CreatedOn }},
	},
}
