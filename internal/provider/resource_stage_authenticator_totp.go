package provider

import (
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// NewTOTPStageResource returns the authentik_stage_authenticator_totp resource.
func NewTOTPStageResource() resource.Resource { return newStageResource(totpStage)() }

var totpStage = &stageKind{
	typeName: "stage_authenticator_totp",
	path:     "/stages/authenticator/totp/",
	title:    "TOTP stage",
	desc:     "A TOTP authenticator setup stage: lets users enroll an authenticator app (time-based one-time passwords) during a flow.",
	fields: append(authenticatorSetupFields("an authenticator app"),
		// authentik requires digits; the default is the official provider's,
		// so that its state reads here without a change.
		field{name: "digits", def: "6", stringValidators: []validator.String{stringvalidator.OneOf("6", "8")},
			desc: "Number of digits of the one-time codes: `6` or `8`."},
	),
}
