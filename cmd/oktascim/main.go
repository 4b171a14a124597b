package main

import (
	"context"
	"os"
	"os/signal"

	"golang.org/x/term"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	streams := &IOStreams{In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr,
		InTTY: isTerminal(os.Stdin), OutTTY: isTerminal(os.Stdout), ErrTTY: isTerminal(os.Stderr)}
	for _, f := range []*os.File{os.Stdout, os.Stderr} {
		if w, _, err := term.GetSize(int(f.Fd())); err == nil && w > 0 {
			streams.Width = w
			break
		}
	}
	code := run(ctx, os.Args[1:], streams, os.LookupEnv)
	stop()
	os.Exit(code)
}

// isTerminal asks the terminal driver, not the file mode: /dev/null is a character
// device too, and must not count as a person at a terminal.
func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }
