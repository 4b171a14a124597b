package openapicheck

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/getkin/kin-openapi/openapi3filter"
)

// authenticate accepts the spec's two schemes by the form of the Authorization
// header alone: the token itself is never read, compared or reported.
func authenticate(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	auth := in.RequestValidationInput.Request.Header.Get("Authorization")
	switch in.SecuritySchemeName {
	case "apiToken":
		if hasCredential(auth, "SSWS ") {
			return nil
		}
		return errors.New(`apiToken needs "Authorization: SSWS <token>"`)
	case "oauth2":
		if hasCredential(auth, "Bearer ") {
			return nil
		}
		return errors.New(`oauth2 needs "Authorization: Bearer <access token>"`)
	}
	return fmt.Errorf("security scheme %q is not one oktascim uses", in.SecuritySchemeName)
}

func hasCredential(header, prefix string) bool {
	return strings.HasPrefix(header, prefix) && strings.TrimSpace(header[len(prefix):]) != ""
}
