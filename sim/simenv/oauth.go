package simenv

import (
	"encoding/json"
	"net/http"
	"net/url"
	"sync"
)

// OAuthServer is the SCIM servers' authorization server for a custom app's OAuth 2
// mode: the authorization endpoint sends Okta straight back with a code (no one signs
// in), and the token endpoint redeems it, with the client's id and secret, for the
// token every SCIM server accepts.
type OAuthServer struct {
	TokenURL, AuthorizeURL string
	ClientID, ClientSecret string

	token string
	mu    sync.Mutex
	codes map[string]bool
}

func (o *OAuthServer) register(mux *http.ServeMux) {
	mux.HandleFunc("/oauth/authorize", o.authorize)
	mux.HandleFunc("/oauth/token", o.tokenEndpoint)
}

func (o *OAuthServer) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	back, err := url.Parse(q.Get("redirect_uri"))
	if err != nil || q.Get("client_id") != o.ClientID || q.Get("response_type") != "code" || back.Host == "" {
		http.Error(w, "invalid_request", http.StatusBadRequest)
		return
	}
	code := randomHex(12)
	o.mu.Lock()
	o.codes[code] = true
	o.mu.Unlock()
	bq := back.Query()
	bq.Set("code", code)
	bq.Set("state", q.Get("state"))
	back.RawQuery = bq.Encode()
	http.Redirect(w, r, back.String(), http.StatusFound)
}

func (o *OAuthServer) tokenEndpoint(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	id, secret, ok := r.BasicAuth()
	if id, _ = url.QueryUnescape(id); true {
		secret, _ = url.QueryUnescape(secret)
	}
	if !ok || id != o.ClientID || secret != o.ClientSecret {
		w.WriteHeader(http.StatusUnauthorized)
		_ = json.NewEncoder(w).Encode(map[string]string{"error": "invalid_client"})
		return
	}
	_ = r.ParseForm()
	code := r.PostForm.Get("code")
	o.mu.Lock()
	valid := o.codes[code]
	delete(o.codes, code)
	o.mu.Unlock()
	if r.PostForm.Get("grant_type") != "authorization_code" || !valid {
		w.WriteHeader(http.StatusBadRequest)
		_ = json.NewEncoder(w).Encode(map[string]string{"error": "invalid_grant"})
		return
	}
	_ = json.NewEncoder(w).Encode(map[string]any{"access_token": o.token, "token_type": "Bearer", "expires_in": 3600})
}
