package redact

import (
	"bytes"
	"fmt"
	"testing"
)

func TestWriterMasksSecretsSplitAcrossWrites(t *testing.T) {
	var s Set
	s.Add("s3cret-token-value", "abc") // "abc" is too short to be masked
	var out bytes.Buffer
	w := s.Writer(&out)
	fmt.Fprint(w, "token=s3cret-")
	fmt.Fprint(w, "token-value abc\nnext s3cret-token-value")
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	want := "token=(sensitive) abc\nnext (sensitive)"
	if out.String() != want {
		t.Fatalf("got %q, want %q", out.String(), want)
	}
}

func TestLongestSecretMaskedWhole(t *testing.T) {
	var s Set
	s.Add("pass", "password123")
	if got := s.String("x password123 pass"); got != "x (sensitive) (sensitive)" {
		t.Fatalf("got %q", got)
	}
}
