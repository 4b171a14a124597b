package openapicheck

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// SpecFile is the spec this package is written against, relative to the folder that
// holds the shared reference material (the repository's parent).
const SpecFile = "shared/reference/okta-openapi/management-oneOfInheritance.2026.06.3.yaml"

// SpecPathEnv, when set, names the spec file DefaultSpecPath returns.
const SpecPathEnv = "OKTASCIM_OKTA_OPENAPI_SPEC"

// Validator checks requests against one loaded spec. It is safe for concurrent use.
type Validator struct {
	specPath string
	doc      *openapi3.T
	router   routers.Router
	oinApp   *openapi3.Schema
}

type loaded struct {
	once sync.Once
	v    *Validator
	err  error
}

var (
	cacheMu sync.Mutex
	cache   = map[string]*loaded{}
)

// Load reads the spec at specPath (3.4 MB, about half a second) once per process and
// path; later calls return the same Validator.
func Load(specPath string) (*Validator, error) {
	abs, err := filepath.Abs(specPath)
	if err != nil {
		return nil, fmt.Errorf("locate OpenAPI spec %q: %w", specPath, err)
	}
	cacheMu.Lock()
	l, ok := cache[abs]
	if !ok {
		l = &loaded{}
		cache[abs] = l
	}
	cacheMu.Unlock()
	l.once.Do(func() { l.v, l.err = load(abs) })
	return l.v, l.err
}

func load(specPath string) (*Validator, error) {
	loader := openapi3.NewLoader()
	// The spec is one self-contained file; refs to other files would be a surprise.
	loader.IsExternalRefsAllowed = false
	doc, err := loader.LoadFromFile(specPath)
	if err != nil {
		return nil, fmt.Errorf("load OpenAPI spec %s: %w", specPath, err)
	}
	// The spec's only server is https://{yourOktaDomain}; recorded requests come from
	// http://127.0.0.1:PORT. Without servers the router matches paths on any host.
	doc.Servers = nil
	for _, item := range doc.Paths.Map() {
		item.Servers = nil
	}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("route OpenAPI spec %s: %w", specPath, err)
	}
	oin, err := oinAppSchema()
	if err != nil {
		return nil, err
	}
	return &Validator{specPath: specPath, doc: doc, router: router, oinApp: oin}, nil
}

// DefaultSpecPath finds the Okta spec: $OKTASCIM_OKTA_OPENAPI_SPEC if set, else
// shared/reference/okta-openapi/… in the working directory or the nearest parent
// that has it (the repository's sibling "shared" folder). "" if not found.
func DefaultSpecPath() string {
	if p := os.Getenv(SpecPathEnv); p != "" {
		if isFile(p) {
			return p
		}
		return ""
	}
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		if p := filepath.Join(dir, filepath.FromSlash(SpecFile)); isFile(p) {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

func isFile(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular()
}
