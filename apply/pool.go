package apply

import (
	"context"
	"sync"
)

// DefaultParallelism is how many integrations are worked on at once by default: enough
// to keep the governor's budget busy on a large file, few enough to read the output.
const DefaultParallelism = 8

// each runs f(i) for i in [0, n) on r.opts.Parallelism workers. Once ctx is done it
// starts nothing new; it returns the indexes it never started.
func (r *runner) each(ctx context.Context, n int, f func(i int)) []int {
	work := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < min(r.opts.Parallelism, n); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				f(i)
			}
		}()
	}
	var notStarted []int
	for i := 0; i < n; i++ {
		if ctx.Err() != nil {
			notStarted = append(notStarted, i)
			continue
		}
		select {
		case work <- i:
		case <-ctx.Done():
			notStarted = append(notStarted, i)
		}
	}
	close(work)
	wg.Wait()
	return notStarted
}

// onceCache computes each key's value once per run, even when several integrations
// ask at the same moment (one listing of a template's apps, one lookup per group).
type onceCache[V any] struct {
	mu      sync.Mutex
	entries map[string]*onceEntry[V]
}

type onceEntry[V any] struct {
	once sync.Once
	v    V
	err  error
}

func (c *onceCache[V]) get(key string, compute func() (V, error)) (V, error) {
	c.mu.Lock()
	if c.entries == nil {
		c.entries = map[string]*onceEntry[V]{}
	}
	e, ok := c.entries[key]
	if !ok {
		e = &onceEntry[V]{}
		c.entries[key] = e
	}
	c.mu.Unlock()
	e.once.Do(func() { e.v, e.err = compute() })
	return e.v, e.err
}
