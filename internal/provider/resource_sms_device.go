package provider

import (
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/authentik-iac/terraform-provider-authentik/internal/authentik"
)

// NewSMSDeviceResource returns the authentik_sms_device resource.
func NewSMSDeviceResource() resource.Resource { return &deviceResource{kind: smsDevice} }

var smsDevice = &deviceKind{api: authentik.DeviceSMS, title: "SMS device", about: "A phone a user registered to receive one-time codes by SMS.",
	enroll: "a flow with an SMS authenticator setup stage, from the user's settings",
	facts: []deviceFact{{"phone_number_last_digits",
		"The last four digits of the phone number, to tell devices apart without keeping the number in state; " +
			"null when authentik stores only a hash of it (verify-only stages).", phoneLastDigits}},
}

// phoneLastDigits keeps only the end of the number: enough to recognise a
// phone, not enough to call it. A verify-only stage stores "hash:<sha256>".
func phoneLastDigits(d authentik.Device) *string {
	if d.PhoneNumber == nil || strings.HasPrefix(*d.PhoneNumber, "hash:") {
		return nil
	}
	n := *d.PhoneNumber
	n = n[max(len(n)-4, 0):]
	return &n
}
