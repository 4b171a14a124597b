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

	lookup      func(string) (string, bool)
	stdin       *stdinSource
	allowShared bool // a file group or others can read was allowed explicitly
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
		v, _, err := readSecretFile(r.File, r.allowShared) // the load warned about a shared file
		return v, err
	case r.Stdin:
		if r.stdin == nil {
			return "", errors.New("no standard input available")
		}
		return r.stdin.read()
	}
	return "", errors.New("no source (env, file or stdin)")
}

// AllowSharedSecretsEnv, set to 1 or true, is the same as --allow-shared-secret-files.
const AllowSharedSecretsEnv = "OKTASCIM_ALLOW_SHARED_SECRET_FILES"

// allowSharedHint is how a refused secret file can be allowed, named in the refusal.
const allowSharedHint = "--allow-shared-secret-files (or " + AllowSharedSecretsEnv + "=1)"

// openRegular opens path for reading and refuses what is not a regular file: a FIFO
// or a device would block or never end. The open itself does not block on a FIFO.
func openRegular(path string) (*os.File, os.FileInfo, error) {
	f, err := openNonBlocking(path)
	if err != nil {
		return nil, nil, cleanPathError(err)
	}
	st, err := f.Stat()
	switch {
	case err != nil:
		f.Close()
		return nil, nil, cleanPathError(err)
	case st.IsDir():
		f.Close()
		return nil, st, errors.New("is a directory")
	case !st.Mode().IsRegular():
		f.Close()
		return nil, st, fmt.Errorf("is not a regular file (%s)", fileKind(st.Mode()))
	}
	return f, st, nil
}

func fileKind(m os.FileMode) string {
	switch {
	case m&os.ModeNamedPipe != 0:
		return "a FIFO"
	case m&os.ModeSocket != 0:
		return "a socket"
	case m&os.ModeDevice != 0:
		return "a device"
	}
	return "not a plain file"
}

// sharedProblem says why a secret file may be read by someone other than the user,
// or "". Like ssh with a private key, the tool refuses such a file: a config that
// names ../../etc/passwd as a password would otherwise send it to the config's URL.
func sharedProblem(st os.FileInfo) string {
	if perm := st.Mode().Perm(); perm&0o077 != 0 {
		return fmt.Sprintf("is accessible by group or others (mode %#o)", perm)
	}
	return ownerProblem(st)
}

// refuseShared is the rule for every file a secret is read from: refused, with the
// fix, when sharedProblem finds one, unless allowShared (the user's explicit choice).
func refuseShared(st os.FileInfo, allowShared bool) error {
	if p := sharedProblem(st); p != "" && !allowShared {
		return fmt.Errorf("%s; a secret file must be the user's alone, like an ssh private key: chmod 600 (and chown) it, or pass %s", p, allowSharedHint)
	}
	return nil
}

// readSecretFile reads a secret file: a regular file, at most 64 KiB, that only the
// user can read (unless allowShared, the user's explicit choice; shared then says what
// sharedProblem found, for the caller's warning).
func readSecretFile(path string, allowShared bool) (v, shared string, err error) {
	f, st, err := openRegular(path)
	if err != nil {
		return "", "", err
	}
	defer f.Close()
	if err := refuseShared(st, allowShared); err != nil {
		return "", "", err
	}
	b, err := io.ReadAll(io.LimitReader(f, maxSecretSize+1))
	if err != nil {
		return "", "", cleanPathError(err)
	}
	if len(b) > maxSecretSize {
		return "", "", errors.New("is larger than 64 KiB; is this the right file?")
	}
	return string(b), sharedProblem(st), nil
}

// sharedWarning is the warning for a shared secret file read as the override asks.
func sharedWarning(place, field, path, shared string) Problem {
	return Problem{File: place, Field: field, Message: path + " " + shared + "; " + sharedReadAnyway}
}

// sharedReadAnyway ends every warning about a shared secret file that was read.
const sharedReadAnyway = "read anyway, as --allow-shared-secret-files asks"

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

// SecretRefs are the integration's secret references (token, password, OAuth 2 client
// secret), each knowing the field it is written in and its source.
func (in Integration) SecretRefs() []*SecretRef {
	var out []*SecretRef
	a := in.SCIM.Auth
	for _, r := range []*SecretRef{a.Token, a.Password} {
		if r != nil {
			out = append(out, r)
		}
	}
	if a.OAuth2 != nil && a.OAuth2.ClientSecret != nil {
		out = append(out, a.OAuth2.ClientSecret)
	}
	return out
}

// SecretRefs are the org block's secret references (token, service app key).
func (o *Org) SecretRefs() []*SecretRef {
	if o == nil {
		return nil
	}
	var out []*SecretRef
	if o.Token != nil {
		out = append(out, o.Token)
	}
	if o.Auth != nil && o.Auth.PrivateKey != nil {
		out = append(out, o.Auth.PrivateKey)
	}
	return out
}
