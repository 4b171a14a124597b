package loopback

import "testing"

func TestHost(t *testing.T) {
	for host, want := range map[string]bool{
		"127.0.0.1": true, "127.1.2.3": true, "::1": true, "[::1]": true, "localhost": true, "LocalHost": true, "localhost.": true,
		"::ffff:127.0.0.1":     true,
		"127.evil.example.com": false, "127.0.0.1.nip.io": false, "localhost.evil.com": false, "evil-localhost": false,
		"10.0.0.1": false, "0.0.0.0": false, "acme.okta.com": false, "": false, "127.0.0": false,
	} {
		if got := Host(host); got != want {
			t.Errorf("Host(%q) = %v, want %v", host, got, want)
		}
	}
	if !URL("http://127.0.0.1:8080/x") || URL("http://127.evil.example.com/") || URL("://bad") {
		t.Error("URL disagrees with Host")
	}
}
