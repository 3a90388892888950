package provider

import (
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// NewEmailStageResource returns the authentik_stage_authenticator_email resource.
func NewEmailStageResource() resource.Resource { return newStageResource(emailStage)() }

// emailStage follows the official provider's attribute names and defaults,
// which differ from authentik's own (authentik: timeout 10, subject
// "authentik Sign-in code", template email/email_otp.html, no global
// settings), so that its state reads as ours with an empty plan.
var emailStage = &stageKind{
	typeName: "stage_authenticator_email",
	path:     "/stages/authenticator/email/",
	title:    "email authenticator stage",
	desc:     "An email authenticator setup stage: lets users enroll an email address that receives one-time codes.",
	since:    "2025.2",
	fields: append(authenticatorSetupFields("an email address"),
		field{name: "use_global_settings", typ: boolField, def: true,
			desc: "Use authentik's global email settings; the connection settings below are then ignored."},
		field{name: "host", def: "localhost", stringValidators: nonEmpty(), desc: "SMTP server host name."},
		field{name: "port", typ: int64Field, def: int64(25), int64Validators: []validator.Int64{int64validator.Between(1, 65535)},
			desc: "SMTP server port."},
		field{name: "username", stringValidators: []validator.String{noSurroundingSpace{}, noControlChars{}},
			desc: "SMTP user name."},
		field{name: "password", secret: true, stringValidators: nonEmpty(), desc: "SMTP password."},
		field{name: "use_tls", typ: boolField, def: false, desc: "Use STARTTLS."},
		field{name: "use_ssl", typ: boolField, def: false, desc: "Use implicit TLS (SMTPS)."},
		field{name: "timeout", typ: int64Field, def: int64(30), int64Validators: []validator.Int64{int64validator.Between(1, 2147483647)},
			desc: "SMTP connection timeout, in seconds."},
		field{name: "from_address", def: "system@authentik.local",
			stringValidators: append(nonEmpty(), stringvalidator.UTF8LengthAtMost(254), isEmailAddress()),
			desc:             "Address the codes are sent from."},
		field{name: "token_expiry", def: "minutes=30", stringValidators: append(nonEmpty(), isTimedelta()),
			desc: "How long a code stays valid, in authentik's duration syntax: `key=value` pairs separated by `;`, " +
				"such as `minutes=30` or `hours=1;minutes=30` (keys: weeks, days, hours, minutes, seconds, milliseconds, microseconds)."},
		field{name: "subject", def: "authentik", stringValidators: nonEmpty(), desc: "Subject of the email."},
		field{name: "template", def: "email/password_reset.html", stringValidators: nonEmpty(),
			desc: "Template of the email: a path such as `email/email_otp.html`, or a custom template's file name."},
	),
}
