package openapicheck

import (
	"encoding/json"
	"fmt"

	"github.com/getkin/kin-openapi/openapi3"
)

// oinAppJSON is the shape of a POST/PUT /api/v1/apps body for an Okta Integration
// Network app created by catalog name (scim2testapp, scim2headerauth, …). The spec's
// request schema models only custom apps; this follows its OINApplication base and
// the recorded traffic (terraform-provider-okta cassettes: settings.manualProvisioning
// and settings.oauthClient are sent and accepted). It is closed, so a misspelt or undocumented field fails.
// Read-only fields are left to the read-only check, which names them clearly.
const oinAppJSON = `{
  "type": "object",
  "required": ["name", "label"],
  "additionalProperties": false,
  "properties": {
    "name": {"type": "string", "minLength": 1},
    "label": {"type": "string", "minLength": 1},
    "signOnMode": {"type": "string", "enum": ["AUTO_LOGIN", "BASIC_AUTH", "BOOKMARK", "BROWSER_PLUGIN",
      "OPENID_CONNECT", "SAML_1_1", "SAML_2_0", "SECURE_PASSWORD_STORE", "WS_FEDERATION"]},
    "settings": {
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "app": {"type": "object"},
        "notes": {
          "type": "object",
          "additionalProperties": false,
          "properties": {
            "admin": {"type": "string", "nullable": true},
            "enduser": {"type": "string", "nullable": true}
          }
        },
        "signOn": {"type": "object"},
        "implicitAssignment": {"type": "boolean"},
        "manualProvisioning": {"type": "boolean"},
        "oauthClient": {"type": "object"},
        "inlineHookId": {"type": "string"},
        "notifications": {"type": "object"}
      }
    },
    "visibility": {
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "autoLaunch": {"type": "boolean"},
        "autoSubmitToolbar": {"type": "boolean"},
        "appLinks": {"type": "object", "additionalProperties": {"type": "boolean"}},
        "hide": {
          "type": "object",
          "additionalProperties": false,
          "properties": {"iOS": {"type": "boolean"}, "web": {"type": "boolean"}}
        }
      }
    },
    "accessibility": {
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "selfService": {"type": "boolean"},
        "errorRedirectUrl": {"type": "string"},
        "loginRedirectUrl": {"type": "string"}
      }
    },
    "credentials": {"type": "object"},
    "licensing": {"type": "object"},
    "profile": {"type": "object"},
    "features": {"type": "array"},
    "id": {}, "status": {}, "created": {}, "lastUpdated": {}, "_links": {}, "_embedded": {}
  }
}`

func oinAppSchema() (*openapi3.Schema, error) {
	var s openapi3.Schema
	if err := json.Unmarshal([]byte(oinAppJSON), &s); err != nil {
		return nil, fmt.Errorf("openapicheck: OIN app schema: %w", err)
	}
	return &s, nil
}

// customAppNames are the `name` values the spec's request schemas model (custom app
// templates). Any other name is an OIN catalog app.
var customAppNames = map[string]bool{
	"bookmark": true, "oidc_client": true, "template_basic_auth": true, "template_sps": true,
	"template_swa": true, "template_swa3field": true, "template_wsfed": true,
}
