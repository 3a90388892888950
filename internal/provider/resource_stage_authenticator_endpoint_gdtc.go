package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// NewEndpointGDTCStageResource returns the
// authentik_stage_authenticator_endpoint_gdtc resource.
func NewEndpointGDTCStageResource() resource.Resource { return newStageResource(endpointGDTCStage)() }

var endpointGDTCStage = &stageKind{
	typeName: "stage_authenticator_endpoint_gdtc",
	path:     "/stages/authenticator/endpoint_gdtc/",
	title:    "Google Device Trust Connector stage",
	desc: "A Google Device Trust Connector (Chrome Enterprise endpoint verification) stage: " +
		"checks the user's Chrome device through Google's Verified Access API.",
	fields: append(authenticatorSetupFields("a Chrome device"),
		field{name: "credentials", typ: jsonField, required: true, secret: true,
			stringValidators: []validator.String{isJSONObject("a Google Cloud service-account key")},
			desc: "Google Cloud service-account key, as JSON (for example `file(\"sa-key.json\")` or `jsonencode({...})`), " +
				"of an account allowed to use the Verified Access API."},
	),
}
