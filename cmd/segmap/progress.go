package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"golang.org/x/term"
)

// progress reports how far a long job has come: a bar that redraws in place
// on a terminal, plain log lines (at most every few seconds) otherwise.
type progress struct {
	mu       sync.Mutex
	w        io.Writer
	label    string
	terminal bool
	last     time.Time
	lastPct  int
}

func newProgress(w io.Writer, label string) *progress {
	p := &progress{w: w, label: label, lastPct: -1}
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		p.terminal = true
	}
	return p
}

// Update is safe to call from several goroutines.
func (p *progress) Update(done, total int) {
	if total <= 0 {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	pct := done * 100 / total
	if p.terminal {
		if pct == p.lastPct {
			return
		}
		const width = 30
		n := pct * width / 100
		fmt.Fprintf(p.w, "\r%s [%s%s] %3d%% %d/%d", p.label, strings.Repeat("=", n), strings.Repeat(" ", width-n), pct, done, total)
		if done >= total {
			fmt.Fprintln(p.w)
		}
		p.lastPct = pct
		return
	}
	if done < total && time.Since(p.last) < 2*time.Second {
		return
	}
	p.last = time.Now()
	fmt.Fprintf(p.w, "%s: %d/%d (%d%%)\n", p.label, done, total, pct)
}
