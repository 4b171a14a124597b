package redact

import (
	"fmt"
	"io"
)

// Secret is a resolved secret value. Every way of printing it prints (sensitive);
// only Value gives the value, for the one place that sends it. It travels typed from
// the config to the Okta and SCIM boundaries.
type Secret struct{ v string }

// NewSecret wraps a value.
func NewSecret(v string) Secret { return Secret{v} }

// Value is the secret itself.
func (s Secret) Value() string { return s.v }

// IsZero reports an empty secret.
func (s Secret) IsZero() bool { return s.v == "" }

func (s Secret) String() string               { return Mask }
func (s Secret) GoString() string             { return Mask }
func (s Secret) Format(f fmt.State, _ rune)   { _, _ = io.WriteString(f, Mask) }
func (s Secret) MarshalJSON() ([]byte, error) { return []byte(`"` + Mask + `"`), nil }
func (s Secret) MarshalText() ([]byte, error) { return []byte(Mask), nil }
func (s Secret) MarshalYAML() (any, error)    { return Mask, nil }
