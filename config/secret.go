package config

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	"github.com/oktascim/oktascim/internal/redact"
)

// Sensitive is how every secret prints.
const Sensitive = redact.Mask

// maxSecretSize bounds a secret file or stdin: a token is never this big, so a
// bigger file is a mistake (the wrong path).
const maxSecretSize = 64 << 10

// Secret is a resolved secret value (see redact.Secret): every way of printing it
// prints (sensitive).
type Secret = redact.Secret

// NewSecret wraps a value.
func NewSecret(v string) Secret { return redact.NewSecret(v) }

// SecretRef says where a secret comes from: exactly one of Env, File or Stdin.
type SecretRef struct {
	Env   string
	File  string // absolute after load
	Stdin bool
	Field string // the field it was written in, for messages
	Pos   Position

	lookup func(string) (string, bool)
	stdin  *stdinSource
}

// Describe names the source without the value: "env NAME", "file PATH", "stdin".
func (r *SecretRef) Describe() string {
	switch {
	case r == nil:
		return "(none)"
	case r.Env != "":
		return "env " + r.Env
	case r.File != "":
		return "file " + r.File
	case r.Stdin:
		return "stdin"
	}
	return "(none)"
}

// Resolve reads the secret. Errors name the field and the source, never the value.
func (r *SecretRef) Resolve() (Secret, error) {
	if r == nil {
		return Secret{}, errors.New("no secret reference")
	}
	v, err := r.read()
	if err != nil {
		return Secret{}, fmt.Errorf("%s: %s: %w", r.Field, r.Describe(), err)
	}
	v = strings.TrimRight(v, "\r\n")
	if strings.TrimSpace(v) == "" {
		return Secret{}, fmt.Errorf("%s: %s: is empty", r.Field, r.Describe())
	}
	return NewSecret(v), nil
}

func (r *SecretRef) read() (string, error) {
	switch {
	case r.Env != "":
		lookup := r.lookup
		if lookup == nil {
			lookup = os.LookupEnv
		}
		v, ok := lookup(r.Env)
		if !ok {
			return "", errors.New("is not set")
		}
		return v, nil
	case r.File != "":
		return readSecretFile(r.File)
	case r.Stdin:
		if r.stdin == nil {
			return "", errors.New("no standard input available")
		}
		return r.stdin.read()
	}
	return "", errors.New("no source (env, file or stdin)")
}

func readSecretFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", cleanPathError(err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxSecretSize+1))
	if err != nil {
		return "", cleanPathError(err)
	}
	if len(b) > maxSecretSize {
		return "", errors.New("is larger than 64 KiB; is this the right file?")
	}
	return string(b), nil
}

// cleanPathError drops the path os errors repeat, since the caller names it.
func cleanPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// stdinSource reads standard input once, for the one { stdin: true } a run may have.
type stdinSource struct {
	r    io.Reader
	once sync.Once
	v    string
	err  error
}

func (s *stdinSource) read() (string, error) {
	s.once.Do(func() {
		b, err := io.ReadAll(io.LimitReader(s.r, maxSecretSize+1))
		switch {
		case err != nil:
			s.err = err
		case len(b) > maxSecretSize:
			s.err = errors.New("is larger than 64 KiB")
		default:
			s.v = string(b)
		}
	})
	return s.v, s.err
}
