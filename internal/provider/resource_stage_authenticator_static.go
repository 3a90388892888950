package provider

import (
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// NewStaticStageResource returns the authentik_stage_authenticator_static resource.
func NewStaticStageResource() resource.Resource { return newStageResource(staticStage)() }

var staticStage = &stageKind{
	typeName: "stage_authenticator_static",
	path:     "/stages/authenticator/static/",
	title:    "static token stage",
	desc:     "A static authenticator setup stage: gives users a set of single-use recovery tokens during a flow.",
	fields: append(authenticatorSetupFields("recovery tokens"),
		field{name: "token_count", typ: int64Field, def: int64(6),
			int64Validators: []validator.Int64{int64validator.Between(0, maxPositiveInt)},
			desc:            "Number of tokens generated for a user."},
		// The OpenAPI schema of 2025.12 and later says at most 100
		// (authentik 2024.10 documents no maximum but stores tokens in a
		// 16-character column).
		field{name: "token_length", typ: int64Field, def: int64(12),
			int64Validators: []validator.Int64{int64validator.Between(0, 100)},
			desc:            "Length of each token, at most 100 (at most 16 on authentik 2024.10, which stores no longer token)."},
	),
}

// maxPositiveInt is the largest value of Django's PositiveIntegerField, the
// maximum authentik's OpenAPI schema documents for it.
const maxPositiveInt = 2147483647
