package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/resource"
)

// NewDuoStageResource returns the authentik_stage_authenticator_duo resource.
func NewDuoStageResource() resource.Resource { return newStageResource(duoStage)() }

var duoStage = &stageKind{
	typeName: "stage_authenticator_duo",
	path:     "/stages/authenticator/duo/",
	title:    "Duo stage",
	desc:     "A Duo authenticator setup stage: lets users enroll a Duo device during a flow.",
	fields: append(authenticatorSetupFields("a Duo device"),
		field{name: "client_id", required: true, stringValidators: nonEmpty(),
			desc: "Integration key of the Duo Auth API application."},
		field{name: "client_secret", required: true, secret: true, stringValidators: nonEmpty(),
			desc: "Secret key of the Duo Auth API application."},
		field{name: "api_hostname", required: true, stringValidators: append(nonEmpty(), isHostname()),
			desc: "Duo API host name, such as `api-1234abcd.duosecurity.com` (no `https://`, no path)."},
		field{name: "admin_integration_key", stringValidators: nonEmpty(),
			desc: "Integration key of the Duo Admin API application, needed to import existing Duo devices."},
		field{name: "admin_secret_key", secret: true, stringValidators: nonEmpty(),
			desc: "Secret key of the Duo Admin API application."},
	),
}
