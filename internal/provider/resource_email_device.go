package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/authentik-iac/terraform-provider-authentik/internal/authentik"
)

// NewEmailDeviceResource returns the authentik_email_device resource.
func NewEmailDeviceResource() resource.Resource { return &deviceResource{kind: emailDevice} }

// emailDevice: authentik 2025.2 added email authenticators; older servers
// have no such route, which addError turns into a message naming the version.
var emailDevice = &deviceKind{api: authentik.DeviceEmail, title: "email device", since: "2025.2",
	about: "An email address a user registered to receive one-time codes.", enroll: "a flow with an email authenticator setup stage, from the user's settings",
	facts: []deviceFact{{"email", "The address the codes are sent to.", func(d authentik.Device) *string { return d.Email }}},
}
