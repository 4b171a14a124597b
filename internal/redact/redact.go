// Package redact is the one place every output path goes through so that no secret
// value reaches a terminal, a log, a JSON document or an error message.
package redact

import (
	"io"
	"sort"
	"strings"
	"sync"
)

// Mask is what a secret is replaced with.
const Mask = "(sensitive)"

// Set is a set of secret values to mask. It is safe for concurrent use.
type Set struct {
	mu      sync.RWMutex
	secrets []string
}

// Add registers secret values; values shorter than 4 bytes are not masked (they would
// mangle ordinary text and are not secrets anyone should use).
func (s *Set) Add(values ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, v := range values {
		if len(v) >= 4 {
			s.secrets = append(s.secrets, v)
		}
	}
	// Longest first, so a secret containing another is masked whole.
	sort.Slice(s.secrets, func(i, j int) bool { return len(s.secrets[i]) > len(s.secrets[j]) })
}

// String masks every registered secret in text.
func (s *Set) String(text string) string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, v := range s.secrets {
		if strings.Contains(text, v) {
			text = strings.ReplaceAll(text, v, Mask)
		}
	}
	return text
}

// Writer wraps w so that everything written through it is masked. Writes are buffered
// up to each newline so a secret split across two Write calls is still caught;
// Flush writes out a trailing partial line.
func (s *Set) Writer(w io.Writer) *Writer { return &Writer{set: s, w: w} }

// Writer masks secrets line by line.
type Writer struct {
	mu  sync.Mutex
	set *Set
	w   io.Writer
	buf []byte
}

func (rw *Writer) Write(p []byte) (int, error) {
	rw.mu.Lock()
	defer rw.mu.Unlock()
	rw.buf = append(rw.buf, p...)
	if i := strings.LastIndexByte(string(rw.buf), '\n'); i >= 0 {
		out := rw.set.String(string(rw.buf[:i+1]))
		rw.buf = append(rw.buf[:0], rw.buf[i+1:]...)
		if _, err := io.WriteString(rw.w, out); err != nil {
			return 0, err
		}
	}
	return len(p), nil
}

// Flush writes out any buffered partial line.
func (rw *Writer) Flush() error {
	rw.mu.Lock()
	defer rw.mu.Unlock()
	if len(rw.buf) == 0 {
		return nil
	}
	out := rw.set.String(string(rw.buf))
	rw.buf = rw.buf[:0]
	_, err := io.WriteString(rw.w, out)
	return err
}
