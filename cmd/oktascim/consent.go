package main

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/oktascim/oktascim/internal/exitcode"
)

// consent decides whether a command that changes the org may go ahead, as terraform
// does: it asks if and only if stdin is a terminal (a person can answer there);
// without one, only --yes (or the built-in simulator, which is no one's org) lets it
// go on. show prints what the command will do; when stdout is not where the person
// reads (a pipe, a file, or a JSON document), it goes to stderr before the question, so
// every change and deletion is seen before it is agreed to.
type consent struct {
	command  string // apply, destroy
	question string
	nothing  string // what did not happen when refused: "nothing was changed"
	show     func(io.Writer)
}

// errNeedsYes is the answer without a terminal and without --yes.
func (c consent) errNeedsYes() error {
	return exitcode.With(exitcode.Invalid, fmt.Errorf("%s changes the org and stdin is not a terminal, so no one can be asked: pass --yes to go ahead; %s", c.command, c.nothing))
}

// ask returns nil when the person agreed; else the error that ends the command.
func (f *factory) ask(c consent) error {
	if !f.io.InTTY {
		return c.errNeedsYes()
	}
	if f.structured() || !f.io.OutTTY {
		c.show(f.io.ErrOut)
		fmt.Fprintln(f.io.ErrOut)
	}
	ok, err := f.confirm(c.question)
	if err != nil || !ok {
		fmt.Fprintf(f.io.ErrOut, "%s cancelled; %s\n", c.command, c.nothing)
		return silent(exitcode.Failure)
	}
	return nil
}

// confirm asks a yes/no question on the terminal; anything but y or yes is no.
func (f *factory) confirm(question string) (bool, error) {
	fmt.Fprintf(f.io.ErrOut, "%s Only 'yes' goes ahead: ", question)
	flush(f.io.ErrOut)
	line, err := bufio.NewReader(f.io.In).ReadString('\n')
	if err != nil && line == "" {
		return false, err
	}
	answer := strings.ToLower(strings.TrimSpace(line))
	return answer == "yes" || answer == "y", nil
}
