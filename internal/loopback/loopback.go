// Package loopback is the one test of whether a host is this machine: the only
// hosts the tool talks plain http to (with a warning), and where the simulators live.
package loopback

import (
	"net"
	"net/url"
	"strings"
)

// Host reports whether host (a name or an IP literal, brackets allowed) is
// localhost or a loopback address (127.0.0.0/8, ::1). A name that merely starts with
// "127." (127.evil.example.com) is a DNS name like any other, not loopback.
func Host(host string) bool {
	h := strings.TrimSuffix(strings.Trim(host, "[]"), ".")
	if strings.EqualFold(h, "localhost") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// URL reports whether u parses and its host is loopback.
func URL(u string) bool {
	p, err := url.Parse(u)
	return err == nil && Host(p.Hostname())
}
