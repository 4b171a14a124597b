package oktaorg

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"math/big"
	"net"
	"net/http"
	"sync"
	"time"
)

// Options shape the org.
type Options struct {
	Token               string   // the SSWS token with full access; required
	ReadOnlyTokens      []string // may read; writes get 403 E0000006
	AcceptConnectionAPI bool     // template apps accept the Provisioning Connection API (real Okta: no)
	RateLimitPerMinute  int      // per endpoint bucket and window; 0 → 600
	// RateLimitWindow is the rate-limit window; 0 → a minute, as Okta's. Benchmarks
	// scale time down with a shorter one (the limit then counts per that window).
	RateLimitWindow  time.Duration
	ConcurrencyLimit int           // 0 → 75
	Latency          time.Duration // added to every API answer
	Now              func() time.Time
	SCIMClient       *http.Client // for the admin stand-in's credential test
	Domain           string       // informational; default "sim"
	// ServiceApps are OAuth 2.0 service apps that may get access tokens from
	// /oauth2/v1/token (see oauth.go); AccessTokenLifetime is their tokens' (0 → an hour).
	ServiceApps         []ServiceApp
	AccessTokenLifetime time.Duration
	// ProvisioningDelay is how long after an assignment, a profile change or an
	// unassignment the org pushes it to the app's SCIM server (provisioner.go); 0 → 200ms.
	ProvisioningDelay time.Duration
	// GroupPushAPI says whether the org has the Group Push Mappings API; nil → yes.
	// Set it to new(false) to model an org without it (see grouppush.go).
	GroupPushAPI *bool
	// Variants choose among the plausible answers where the reference material does not
	// confirm Okta's (variants.go): variant name → value; unset → its default. New
	// panics on an unknown name or value (CheckVariants says which).
	Variants map[string]string
	// GroupPushDelay is how long a push takes under group-push=async; 0 → 300ms.
	GroupPushDelay time.Duration
}

// Org is the simulated org; it is an http.Handler.
type Org struct {
	opts Options

	// oauth holds the service apps and the access tokens issued to them (oauth.go).
	oauth oauthState

	mu        sync.Mutex
	apps      []map[string]any // in creation order
	appGroups map[string][]assignment
	groups    []map[string]any
	prov      map[string]*provisioning
	people    peopleState // Okta users and app assignments (users_api.go, provisioner.go)
	logs      []map[string]any
	requests  []Request
	buckets   map[string]*bucket
	inFlight  int
	custom    customState // custom apps, app user schemas, profile mappings, group push

	background sync.WaitGroup // work Okta does after it answered (asynchronous group push)
}

type assignment struct {
	GroupID     string
	LastUpdated string
	Priority    int
}

// Request is one API request as received.
type Request struct {
	Method, Path, RawQuery string
	Header                 http.Header
	Body                   []byte
	Status                 int
}

// ProvisioningState is what an app's Provisioning tab holds.
type ProvisioningState struct {
	Enabled                                                   bool
	BaseURL, AuthMode, UserIDField                            string
	PushNewUsers, PushProfileUpdates, PushGroups, ImportUsers bool
}

type provisioning struct {
	ProvisioningState
	viaAPI     bool // set through the connection API
	connStatus string
	features   map[string]map[string]any // USER_PROVISIONING capabilities etc.
	token      string
}

// New makes an empty org.
func New(opts Options) *Org {
	if opts.RateLimitPerMinute == 0 {
		opts.RateLimitPerMinute = 600
	}
	if opts.ConcurrencyLimit == 0 {
		opts.ConcurrencyLimit = 75
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.SCIMClient == nil {
		opts.SCIMClient = &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	if opts.Domain == "" {
		opts.Domain = "sim"
	}
	if err := CheckVariants(opts.Variants); err != nil {
		panic("oktaorg: " + err.Error())
	}
	variants := map[string]string{}
	for k, v := range opts.Variants {
		variants[k] = v
	}
	// AcceptConnectionAPI is the connection-api variant's "accepted", either way round.
	if opts.AcceptConnectionAPI && variants[VariantConnectionAPI] == "" {
		variants[VariantConnectionAPI] = "accepted"
	}
	opts.AcceptConnectionAPI = variants[VariantConnectionAPI] == "accepted"
	opts.Variants = variants
	if opts.GroupPushDelay <= 0 {
		opts.GroupPushDelay = 300 * time.Millisecond
	}
	o := &Org{opts: opts, appGroups: map[string][]assignment{}, prov: map[string]*provisioning{}, buckets: map[string]*bucket{}}
	// Every org has the built-in Everyone group (spec: Group type BUILT_IN).
	o.addGroupOfType("Everyone", "All users in your organization", "BUILT_IN")
	return o
}

// Server is an Org listening on 127.0.0.1.
type Server struct {
	*Org
	URL string
	srv *http.Server
}

// Start serves a new org on 127.0.0.1 on a free port.
func Start(opts Options) (*Server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	o := New(opts)
	s := &Server{Org: o, URL: "http://" + ln.Addr().String(), srv: &http.Server{Handler: o, ReadHeaderTimeout: 10 * time.Second}}
	go func() { _ = s.srv.Serve(ln) }()
	return s, nil
}

// Close stops the server.
func (s *Server) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	err := s.srv.Shutdown(ctx)
	s.Org.Wait()
	return err
}

// Wait waits for the work the org does after answering (asynchronous group pushes).
func (o *Org) Wait() { o.background.Wait() }

func (o *Org) now() time.Time { return o.opts.Now().UTC() }

func (o *Org) stamp() string { return o.now().Format("2006-01-02T15:04:05.000Z") }

const idChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

func newID(prefix string) string {
	b := make([]byte, 17)
	for i := range b {
		n, _ := rand.Int(rand.Reader, big.NewInt(int64(len(idChars))))
		b[i] = idChars[n.Int64()]
	}
	return prefix + string(b)
}

// deepCopy copies JSON-shaped data.
func deepCopy(v map[string]any) map[string]any {
	b, _ := json.Marshal(v)
	var out map[string]any
	_ = json.Unmarshal(b, &out)
	return out
}
