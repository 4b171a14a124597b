package okta

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"strings"
)

// signingKey is a service app's private key and the JWS algorithm it signs with.
type signingKey struct {
	rsa *rsa.PrivateKey
	ec  *ecdsa.PrivateKey
	alg string // RS256, ES256, ES384 or ES512
	kid string // the key id a JWK names, if any
}

// minRSABits is the smallest RSA key Okta accepts for a service app.
const minRSABits = 2048

// parsePrivateKey reads a service app's private key: PEM (PKCS#1 "RSA PRIVATE KEY",
// PKCS#8 "PRIVATE KEY" or SEC 1 "EC PRIVATE KEY"; literal \n sequences, as env
// variables often hold them, count as line ends) or a private JWK as the Admin
// Console shows it. Errors describe the key's form, never its content.
func parsePrivateKey(text string) (*signingKey, error) {
	text = strings.TrimSpace(text)
	if strings.HasPrefix(text, "{") {
		return parseJWK(text)
	}
	text = strings.ReplaceAll(text, `\n`, "\n")
	block, _ := pem.Decode([]byte(text))
	if block == nil {
		return nil, errors.New("the private key is neither PEM (-----BEGIN … PRIVATE KEY-----) nor a JWK ({\"kty\": …})")
	}
	var key any
	var err error
	switch block.Type {
	case "RSA PRIVATE KEY":
		key, err = x509.ParsePKCS1PrivateKey(block.Bytes)
	case "PRIVATE KEY":
		key, err = x509.ParsePKCS8PrivateKey(block.Bytes)
	case "EC PRIVATE KEY":
		key, err = x509.ParseECPrivateKey(block.Bytes)
	case "ENCRYPTED PRIVATE KEY":
		return nil, errors.New("the private key is encrypted; give oktascim the decrypted key (openssl pkcs8 -in KEY -out DECRYPTED)")
	default:
		return nil, fmt.Errorf("the PEM block is a %q, not a private key", block.Type)
	}
	if err != nil {
		return nil, fmt.Errorf("the %s PEM block does not parse: %s", block.Type, keyParseReason(err))
	}
	return signingKeyOf(key)
}

// keyParseReason is x509's reason without anything it may quote from the input.
func keyParseReason(err error) string {
	msg := err.Error()
	if i := strings.Index(msg, ":"); i > 0 && len(msg) > 120 {
		msg = msg[:i]
	}
	return msg
}

func signingKeyOf(key any) (*signingKey, error) {
	switch k := key.(type) {
	case *rsa.PrivateKey:
		if k.N.BitLen() < minRSABits {
			return nil, fmt.Errorf("the RSA key has %d bits; Okta needs at least %d", k.N.BitLen(), minRSABits)
		}
		return &signingKey{rsa: k, alg: "RS256"}, nil
	case *ecdsa.PrivateKey:
		alg, ok := map[string]string{"P-256": "ES256", "P-384": "ES384", "P-521": "ES512"}[k.Curve.Params().Name]
		if !ok {
			return nil, fmt.Errorf("the EC key's curve %s is not one Okta signs with (P-256, P-384, P-521)", k.Curve.Params().Name)
		}
		return &signingKey{ec: k, alg: alg}, nil
	}
	return nil, fmt.Errorf("a %T key cannot sign a client assertion for Okta (RSA or EC only)", key)
}

// parseJWK reads a private RSA or EC JWK.
func parseJWK(text string) (*signingKey, error) {
	var j struct {
		Kty, Kid, Crv, N, E, D, P, Q, X, Y string
	}
	if err := json.Unmarshal([]byte(text), &j); err != nil {
		return nil, errors.New("the private key looks like a JWK but is not valid JSON")
	}
	num := func(field, v string) (*big.Int, error) {
		b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(v, "="))
		if err != nil || len(b) == 0 {
			return nil, fmt.Errorf("the JWK's %q is missing or not base64url", field)
		}
		return new(big.Int).SetBytes(b), nil
	}
	var key any
	switch j.Kty {
	case "RSA":
		vals := map[string]*big.Int{}
		for _, f := range []struct{ name, v string }{{"n", j.N}, {"e", j.E}, {"d", j.D}, {"p", j.P}, {"q", j.Q}} {
			n, err := num(f.name, f.v)
			if err != nil {
				if f.name == "d" || f.name == "p" || f.name == "q" {
					return nil, fmt.Errorf("%v: is this the public key? oktascim needs the private key", err)
				}
				return nil, err
			}
			vals[f.name] = n
		}
		if !vals["e"].IsInt64() || vals["e"].Int64() > 1<<31-1 {
			return nil, errors.New("the JWK's \"e\" is not a usable RSA exponent")
		}
		k := &rsa.PrivateKey{PublicKey: rsa.PublicKey{N: vals["n"], E: int(vals["e"].Int64())}, D: vals["d"], Primes: []*big.Int{vals["p"], vals["q"]}}
		if err := k.Validate(); err != nil {
			return nil, errors.New("the JWK's RSA numbers do not form a valid key")
		}
		k.Precompute()
		key = k
	case "EC":
		curve, ok := map[string]elliptic.Curve{"P-256": elliptic.P256(), "P-384": elliptic.P384(), "P-521": elliptic.P521()}[j.Crv]
		if !ok {
			return nil, fmt.Errorf("the JWK's curve %q is not P-256, P-384 or P-521", j.Crv)
		}
		d, err := num("d", j.D)
		if err != nil {
			return nil, fmt.Errorf("%v: is this the public key? oktascim needs the private key", err)
		}
		size := (curve.Params().BitSize + 7) / 8
		if d.BitLen() > 8*size {
			return nil, errors.New("the JWK's \"d\" is not a valid private key on its curve")
		}
		k, err := ecdsa.ParseRawPrivateKey(curve, d.FillBytes(make([]byte, size)))
		if err != nil {
			return nil, errors.New("the JWK's \"d\" is not a valid private key on its curve")
		}
		key = k
	default:
		return nil, fmt.Errorf("the JWK's kty %q is not RSA or EC", j.Kty)
	}
	sk, err := signingKeyOf(key)
	if err != nil {
		return nil, err
	}
	sk.kid = j.Kid
	return sk, nil
}

// sign makes a compact JWS of claims with the key.
func (k *signingKey) sign(header map[string]any, claims any) (string, error) {
	h, err := json.Marshal(header)
	if err != nil {
		return "", err
	}
	c, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	input := base64.RawURLEncoding.EncodeToString(h) + "." + base64.RawURLEncoding.EncodeToString(c)
	var sig []byte
	switch {
	case k.rsa != nil:
		sum := sha256.Sum256([]byte(input))
		sig, err = rsa.SignPKCS1v15(rand.Reader, k.rsa, crypto.SHA256, sum[:])
	case k.ec != nil:
		sig, err = k.signEC([]byte(input))
	default:
		err = errors.New("no key")
	}
	if err != nil {
		return "", fmt.Errorf("sign the client assertion: %w", err)
	}
	return input + "." + base64.RawURLEncoding.EncodeToString(sig), nil
}

// signEC signs with ECDSA in JWS form: r and s as fixed-size big-endian numbers.
func (k *signingKey) signEC(input []byte) ([]byte, error) {
	var digest []byte
	switch k.alg {
	case "ES256":
		s := sha256.Sum256(input)
		digest = s[:]
	case "ES384":
		s := sha512.Sum384(input)
		digest = s[:]
	default:
		s := sha512.Sum512(input)
		digest = s[:]
	}
	r, s, err := ecdsa.Sign(rand.Reader, k.ec, digest)
	if err != nil {
		return nil, err
	}
	size := (k.ec.Curve.Params().BitSize + 7) / 8
	out := make([]byte, 2*size)
	r.FillBytes(out[:size])
	s.FillBytes(out[size:])
	return out, nil
}
