package provider

import (
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// NewSMSStageResource returns the authentik_stage_authenticator_sms resource.
func NewSMSStageResource() resource.Resource { return newStageResource(smsStage)() }

// smsStage follows the official provider's attribute names (sms_provider
// for authentik's provider) and defaults, so that its state reads as ours.
var smsStage = &stageKind{
	typeName: "stage_authenticator_sms",
	path:     "/stages/authenticator/sms/",
	title:    "SMS stage",
	desc:     "An SMS authenticator setup stage: lets users enroll a phone number that receives one-time codes by SMS.",
	fields: append(authenticatorSetupFields("a phone number"),
		field{name: "sms_provider", api: "provider", def: "twilio",
			stringValidators: []validator.String{stringvalidator.OneOf("twilio", "generic")},
			desc:             "Who sends the messages: `twilio`, or `generic` (an HTTP POST to `account_sid` as the URL)."},
		field{name: "from_number", required: true, stringValidators: nonEmpty(),
			desc: "Number (or sender name) the messages come from."},
		field{name: "account_sid", required: true, stringValidators: nonEmpty(),
			desc: "Twilio account SID; for the `generic` provider, the URL messages are posted to."},
		field{name: "auth", required: true, secret: true, stringValidators: nonEmpty(),
			desc: "Twilio auth token; for the `generic` provider, the user name (`basic`) or the token (`bearer`)."},
		field{name: "auth_type", def: "basic",
			stringValidators: []validator.String{stringvalidator.OneOf("basic", "bearer")},
			desc:             "How the `generic` provider authenticates: `basic` or `bearer`."},
		field{name: "auth_password", secret: true, stringValidators: nonEmpty(),
			desc: "Password for the `generic` provider's `basic` authentication."},
		field{name: "mapping", clear: clearWithNull, stringValidators: []validator.String{
			isObjectUUID("a webhook property mapping (authentik_property_mapping_notification)")},
			desc: "uuid of a webhook mapping that rewrites the payload the `generic` provider sends."},
		field{name: "verify_only", typ: boolField, def: false,
			desc: "Only verify the number during enrollment and keep a hash of it, not the number itself."},
	),
}
