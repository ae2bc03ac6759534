package api_test

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/segmap/segmap/api"
	"github.com/segmap/segmap/service"
)

// BenchmarkMixedSession replays bench/load's session mix (55 % tiles z8–z14
// over Stockholm, 15 % values, 15 % classify, 10 % profiles, 5 % meta;
// fixed seed) in process, one request at a time, on a fresh service each
// iteration (cold caches, as after a start): what the server spends per
// request, without the network and the load generator. cpu-ms/req is the
// process's user+system CPU per request, which a loaded machine disturbs
// far less than wall time. Run the same file on two trees to compare.
func BenchmarkMixedSession(b *testing.B) {
	const n = 1500
	targets := mixedTargets(b, n)
	for b.Loop() {
		b.StopTimer()
		svc := service.New(testStore, nil, service.Options{})
		e := api.New(svc, api.Options{})
		cpu0 := cpuTime()
		b.StartTimer()
		start := time.Now()
		for _, t := range targets {
			req := httptest.NewRequest(http.MethodGet, t, nil)
			req.Header.Set("Accept-Encoding", "gzip")
			rec := httptest.NewRecorder()
			e.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK && rec.Code != http.StatusNoContent {
				b.Fatalf("%s: %d %s", t, rec.Code, rec.Body)
			}
		}
		wall := time.Since(start)
		b.StopTimer()
		b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/n, "cpu-ms/req")
		b.ReportMetric(n/wall.Seconds(), "req/s")
		b.StartTimer()
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// mixedTargets is n requests of the session mix of bench/load/mix.go.
func mixedTargets(b *testing.B, n int) []string {
	var meta struct {
		Indicators []struct {
			ID           string           `json:"id"`
			Years        []int            `json:"years"`
			Breakdowns   []string         `json:"breakdowns"`
			YearsByLevel map[string][]int `json:"years_by_level"`
			Aggregation  string           `json:"aggregation"`
		} `json:"indicators"`
		DataVersion int64 `json:"data_version"`
	}
	var areas struct {
		Areas []struct {
			Code string `json:"code"`
		} `json:"areas"`
	}
	for target, v := range map[string]any{"/api/meta": &meta, "/api/areas/deso?kommun=0180,0184,0183": &areas} {
		rec := httptest.NewRecorder()
		testEcho.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
		if err := json.Unmarshal(rec.Body.Bytes(), v); err != nil {
			b.Fatal(err)
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	pick := func(xs []string) string { return xs[r.IntN(len(xs))] }
	kommuner := []string{"0180", "0184", "0183", "0114", "0182"}
	valuesQuery := func() url.Values {
		for {
			in := meta.Indicators[r.IntN(len(meta.Indicators))]
			if len(in.Years) == 0 || len(in.Breakdowns) == 0 {
				continue
			}
			level := pick([]string{"deso", "deso", "regso", "kommun"})
			switch {
			case in.ID == "omradestyp":
				level = "regso"
			case in.Aggregation == "none":
				level = "deso"
			}
			years := in.Years
			if ys := in.YearsByLevel[level]; len(ys) > 0 {
				years = ys
			}
			q := url.Values{"level": {level}, "indicator": {in.ID}, "year": {strconv.Itoa(years[r.IntN(len(years))])}, "breakdown": {pick(in.Breakdowns)}}
			if level != "kommun" && r.IntN(2) == 0 {
				q.Set("kommun", pick(kommuner))
			}
			return q
		}
	}
	out := make([]string, 0, n)
	for len(out) < n {
		p := r.IntN(100)
		switch {
		case p < 55:
			z := 8 + r.IntN(7)
			lon := 18.07 + (r.Float64()-0.5)*1.2/float64(int(1)<<max(0, z-8))*2
			lat := 59.33 + (r.Float64()-0.5)*0.6/float64(int(1)<<max(0, z-8))*2
			nz := math.Exp2(float64(z))
			x := int((lon + 180) / 360 * nz)
			rad := lat * math.Pi / 180
			y := int((1 - math.Log(math.Tan(rad)+1/math.Cos(rad))/math.Pi) / 2 * nz)
			out = append(out, fmt.Sprintf("/tiles/%s/%d/%d/%d.mvt?v=%d", pick([]string{"deso", "regso", "kommun"}), z, x, y, meta.DataVersion))
		case p < 70:
			out = append(out, "/api/values?"+valuesQuery().Encode())
		case p < 85:
			q := valuesQuery()
			method := pick([]string{"quantile", "equal", "fisher", "jenks", "sd", "pretty"})
			k := 3 + r.IntN(5)
			if method == "pretty" {
				k = 3 + r.IntN(3)
			}
			q.Set("method", method)
			q.Set("k", strconv.Itoa(k))
			q.Set("lang", pick([]string{"sv", "sv", "en"}))
			out = append(out, "/api/classify?"+q.Encode())
		case p < 95:
			out = append(out, "/api/areas/deso/"+areas.Areas[r.IntN(len(areas.Areas))].Code+"/profile")
		default:
			out = append(out, "/api/meta")
		}
	}
	return out
}
