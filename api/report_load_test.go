package api_test

import (
	"encoding/json"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/segmap/segmap/api"
	"github.com/segmap/segmap/service/report"
)

// TestReportConcurrent: a dozen readers asking for the same report at once
// share one build and all get it (they used to miss the deadline
// together); more different reports than the slots and the queue hold are
// refused at once with 503 busy and Retry-After, the others are built.
func TestReportConcurrent(t *testing.T) {
	if testing.Short() {
		t.Skip("builds seven reports; the full run covers it")
	}
	// A deadline far beyond a build on a loaded machine: this test is about
	// sharing and refusing, not speed.
	e := api.New(testSvc, api.Options{Reports: report.Options{MaxBuilds: 1, MaxQueue: 1},
		Limits: api.Limits{RequestTimeout: 10 * time.Minute}})
	const same = 12
	codes := make([]int, same)
	bodies := make([]string, same)
	var wg sync.WaitGroup
	for i := range same {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rec := serve(t, e, "/report?kommun=0128&format=json")
			codes[i], bodies[i] = rec.Code, rec.Body.String()
		}()
	}
	wg.Wait()
	for i := range same {
		if codes[i] != http.StatusOK || bodies[i] != bodies[0] {
			t.Fatalf("request %d for the same report: %d %.200s", i, codes[i], bodies[i])
		}
	}

	kommuner := []string{"0114", "0115", "0117", "0120", "0123", "0125"}
	type answer struct {
		code  int
		retry string
		body  []byte
	}
	recs := make([]answer, len(kommuner))
	for i, k := range kommuner {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rec := serve(t, e, "/report?format=json&kommun="+k)
			recs[i] = answer{rec.Code, rec.Header().Get("Retry-After"), rec.Body.Bytes()}
		}()
	}
	wg.Wait()
	built, busy := 0, 0
	for i, r := range recs {
		switch r.code {
		case http.StatusOK:
			built++
		case http.StatusServiceUnavailable:
			var eb struct {
				Error struct{ Code, Message string }
			}
			if err := json.Unmarshal(r.body, &eb); err != nil || eb.Error.Code != "busy" || eb.Error.Message == "" || r.retry == "" {
				t.Errorf("%s: 503 %s, Retry-After %q", kommuner[i], r.body, r.retry)
			}
			busy++
		default:
			t.Errorf("%s: %d %s", kommuner[i], r.code, r.body)
		}
	}
	if built < 1 || busy < 1 {
		t.Errorf("%d built, %d refused busy of %d (1 slot, queue 1)", built, busy, len(kommuner))
	}
}
