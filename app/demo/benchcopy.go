package demo

import (
	"context"
	"os"
	"sync"
)

// One copy of the master books per size, shared by a test binary's
// benchmarks (BenchCopy): the testing package runs a benchmark function
// several times while it settles on b.N, and a copy of the huge books is
// 27 GB — a copy per run took longer than the benchmarks themselves.
var benchCopies struct {
	sync.Mutex
	dir   string
	paths map[Size]string
}

// BenchCopy returns the path of a copy of the cached books of size sz,
// made on the first call and shared by every later call in the process.
// It is written to (bills saved by one benchmark are there for the next),
// never the master. RemoveBenchCopies deletes the copies.
func BenchCopy(ctx context.Context, sz Size) (string, error) {
	benchCopies.Lock()
	defer benchCopies.Unlock()
	if p, ok := benchCopies.paths[sz]; ok {
		return p, nil
	}
	if benchCopies.dir == "" {
		d, err := os.MkdirTemp("", "naukar-bench-copy-")
		if err != nil {
			return "", err
		}
		benchCopies.dir, benchCopies.paths = d, map[Size]string{}
	}
	d, err := os.MkdirTemp(benchCopies.dir, "books-")
	if err != nil {
		return "", err
	}
	p, err := Cached(ctx, sz, d)
	if err != nil {
		os.RemoveAll(d)
		return "", err
	}
	benchCopies.paths[sz] = p
	return p, nil
}

// RemoveBenchCopies deletes the copies BenchCopy made (from TestMain,
// after the benchmarks).
func RemoveBenchCopies() {
	benchCopies.Lock()
	defer benchCopies.Unlock()
	if benchCopies.dir != "" {
		os.RemoveAll(benchCopies.dir)
	}
	benchCopies.dir, benchCopies.paths = "", nil
}
