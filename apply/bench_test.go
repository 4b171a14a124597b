package apply_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/oktascim/oktascim/apply"
	"github.com/oktascim/oktascim/config"
	"github.com/oktascim/oktascim/internal/simenv"
	"github.com/oktascim/oktascim/okta"
	"github.com/oktascim/oktascim/okta/oktatest"
)

// minimumRequests is the fewest Okta requests a first apply of one integration with
// groups groups can make on the automated path, verifying every write once:
// create + re-read, set connection + re-read, set actions + re-read, per group a
// lookup and an assignment, one assignment re-read, one System Log read. The app list
// (once per template per run) is shared by all integrations.
func minimumRequests(groups int) float64 { return 2 + 2 + 2 + float64(2*groups) + 1 + 1 }

// BenchmarkApply reports requests per integration against that minimum, for a first
// apply and for a second, no-change apply (whose minimum is reads only), each with the
// plan the apply command reads and shows first.
func BenchmarkApply(b *testing.B) {
	for _, n := range []int{1, 10} {
		b.Run(fmt.Sprintf("integrations=%d", n), func(b *testing.B) {
			var first, second, writes2 float64
			for i := 0; i < b.N; i++ {
				// A budget the governor never waits for: this counts requests, not time.
				env, err := simenv.Start(simenv.Options{AcceptConnectionAPI: true, Org: oktatest.Options{RateLimitPerMinute: 100000}})
				if err != nil {
					b.Fatal(err)
				}
				ins := loadIntegrations(b, env, n)
				for round := 0; round < 2; round++ {
					c, err := okta.NewClient(context.Background(), okta.Settings{OrgURL: env.OrgURL, Token: env.Token})
					if err != nil {
						b.Fatal(err)
					}
					// As the apply command does: plan first (shown to the user), then apply
					// in the same session, which reuses the plan's app and group reads.
					s := apply.NewSession(apply.Options{Client: c, Integrations: ins})
					if _, err := s.Plan(context.Background()); err != nil {
						b.Fatal(err)
					}
					res := s.Apply(context.Background())
					if res.Code != 0 {
						b.Fatalf("round %d: exit %d: %+v", round, res.Code, res.Events)
					}
					st := c.Stats()
					if round == 0 {
						first += float64(st.Requests) / float64(n)
					} else {
						second += float64(st.Requests) / float64(n)
						writes2 += float64(st.Writes)
					}
				}
				env.Close()
			}
			N := float64(b.N)
			b.ReportMetric(first/N, "requests/integration")
			b.ReportMetric(first/N/minimumRequests(1), "x-minimum")
			b.ReportMetric(second/N, "requests/integration-2nd")
			b.ReportMetric(writes2/N, "writes-2nd")
		})
	}
}

func loadIntegrations(b *testing.B, env *simenv.Env, n int) []config.Integration {
	var sb strings.Builder
	sb.WriteString("version: 1\nintegrations:\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&sb, `  - name: app-%d
    scim:
      version: "2.0"
      baseUrl: ${OKTASCIM_SIM_SCIM_URL}
      auth: { method: oauth, token: { env: OKTASCIM_SIM_SCIM_TOKEN } }
    signOn: { mode: saml, saml: { acsUrl: "https://a%d.example/acs", audience: "https://a%d.example" } }
    groups: [Engineering]
`, i, i, i)
	}
	p := filepath.Join(b.TempDir(), "bench.yaml")
	if err := os.WriteFile(p, []byte(sb.String()), 0o600); err != nil {
		b.Fatal(err)
	}
	f, err := config.Load(p, config.LoadOptions{LookupEnv: env.LookupEnv(nil)})
	if err != nil {
		b.Fatal(err)
	}
	return f.Integrations
}
