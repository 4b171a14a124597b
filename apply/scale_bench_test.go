package apply_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/oktascim/oktascim/apply"
	"github.com/oktascim/oktascim/internal/simenv"
	"github.com/oktascim/oktascim/okta"
	"github.com/oktascim/oktascim/okta/oktatest"
)

// Scale settings: Okta's latency, and its per-bucket rate limit with time scaled down
// (a one-second window) so that 500 integrations take a minute, not an hour. The
// ratios below do not depend on the scale.
const (
	benchLatency     = 100 * time.Millisecond
	benchLimit       = 200 // per bucket per window
	benchWindow      = time.Second
	benchShare       = okta.DefaultRateShare
	benchParallelism = 16
)

// BenchmarkApplyAtScale applies 1, 10, 100 and 500 integrations (plan, then apply, as
// the command does) against the simulator with that latency and rate limit and reports:
// requests per integration vs the minimum the API needs; the busiest bucket's request
// rate vs the rate the tool allows itself (limit × share); wall time vs its lower bound
// (the largest of that bucket's requests / allowed rate, all requests × latency /
// allowed concurrency, and one integration's chain of requests × latency); 429s
// received; failed integrations.
//
//	go test ./apply -run '^$' -bench ApplyAtScale -benchtime 1x -timeout 30m
func BenchmarkApplyAtScale(b *testing.B) {
	for _, n := range []int{1, 10, 100, 500} {
		b.Run(fmt.Sprintf("integrations=%d", n), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				benchOnce(b, n)
			}
		})
	}
}

func benchOnce(b *testing.B, n int) {
	env, err := simenv.Start(simenv.Options{AcceptConnectionAPI: true, Org: oktatest.Options{
		Latency: benchLatency, RateLimitPerMinute: benchLimit, RateLimitWindow: benchWindow, ConcurrencyLimit: 75}})
	if err != nil {
		b.Fatal(err)
	}
	defer env.Close()
	ins := loadIntegrations(b, env, n)
	c, err := okta.NewClient(context.Background(), okta.Settings{OrgURL: env.OrgURL, Token: env.Token, RateShare: benchShare})
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	s := apply.NewSession(apply.Options{Client: c, Integrations: ins, Parallelism: benchParallelism})
	if _, err := s.Plan(context.Background()); err != nil {
		b.Fatal(err)
	}
	res := s.Apply(context.Background())
	wall := time.Since(start)
	failed := 0
	for _, e := range res.Events {
		if e.Outcome == apply.Failed {
			failed++
		}
	}
	perBucket := map[string]int{}
	for _, r := range env.Org.Requests() {
		perBucket[oktatest.Bucket(r.Method, r.Path)]++
	}
	busiest, busiestN := "", 0
	for k, v := range perBucket {
		if v > busiestN {
			busiest, busiestN = k, v
		}
	}
	st := c.Stats()
	allowed := float64(benchLimit) * benchShare / benchWindow.Seconds() // requests/s per bucket
	rate := float64(busiestN) / wall.Seconds()
	// Each integration's own requests run one after the other, so one integration's
	// chain of requests is a bound too.
	lower := max(float64(busiestN)/allowed, float64(st.Requests)*benchLatency.Seconds()/float64(okta.DefaultMaxConcurrent),
		float64(st.Requests)/float64(n)*benchLatency.Seconds())
	b.ReportMetric(float64(st.Requests)/float64(n), "requests/integration")
	b.ReportMetric(float64(st.Requests)/float64(n)/minimumRequests(1), "x-minimum")
	b.ReportMetric(rate/allowed, "rate/allowed")
	b.ReportMetric(wall.Seconds()/lower, "wall/lower-bound")
	b.ReportMetric(float64(st.RateLimited), "429s")
	b.ReportMetric(float64(failed), "failed-steps")
	b.Logf("%d integrations: %d requests in %s; busiest bucket %s: %d requests at %.1f/s (allowed %.0f/s); exit %d",
		n, st.Requests, wall.Round(time.Millisecond), busiest, busiestN, rate, allowed, res.Code)
}
