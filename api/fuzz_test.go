package api_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// checkNoServerError fails when a hostile request makes the API answer
// with a 5xx, or with a 4xx whose body is not the contract's error JSON.
func checkNoServerError(t *testing.T, target string) {
	t.Helper()
	rec := get(t, target, "Accept-Encoding", "gzip")
	if rec.Code >= 500 {
		t.Fatalf("GET %s: status %d, body %s", target, rec.Code, rec.Body.String())
	}
	if rec.Code >= 400 && rec.Code != http.StatusNotFound {
		var e errorResponse
		if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || e.Error.Code == "" || e.Error.Message == "" {
			t.Fatalf("GET %s: status %d with a body that is not the error JSON: %q", target, rec.Code, rec.Body.String())
		}
	}
}

// FuzzTileCoordinates sends arbitrary layer names and z/x/y path segments
// to the tile endpoint.
func FuzzTileCoordinates(f *testing.F) {
	f.Add("deso", "10", "562", "300", "")
	f.Add("kommun", "0", "0", "0", "1")
	f.Add("regso", "-1", "99999999999999999999", "3", "x")
	f.Add("deso", "30", "1073741823", "1073741823", "")
	f.Add("../../etc", "1", "0", "0", "")
	f.Add("lan", "+5", "0x10", "1e3", "9")
	f.Fuzz(func(t *testing.T, layer, z, x, y, v string) {
		target := "/tiles/" + url.PathEscape(layer) + "/" + url.PathEscape(z) + "/" +
			url.PathEscape(x) + "/" + url.PathEscape(y) + ".mvt"
		if v != "" {
			target += "?v=" + url.QueryEscape(v)
		}
		checkNoServerError(t, target)
	})
}

// FuzzQueryParams sends arbitrary values query and classification
// parameters to /api/values, /api/classify and a profile.
func FuzzQueryParams(f *testing.F) {
	f.Add("deso", "low_econ_standard_pct", "2022", "total", "0180", "quantile", "5", "YlGnBu", "sv")
	f.Add("regso", "omradestyp", "2022", "", "0180,0114", "fisher", "7", "Viridis", "en")
	f.Add("kommun", "x", "-1", "men", ",,,", "manual", "0", "", "de")
	f.Add("", "", "99999999999", "'; DROP TABLE segmap_values;--", "0180", "jenks", "100000", "../x", "")
	f.Add("deso", "low_econ_standard_pct", "2022", "total", "", "sd", "2", "RdBu", "sv")
	f.Fuzz(func(t *testing.T, level, indicator, year, breakdown, kommun, method, k, scheme, lang string) {
		if n := len(k); n > 0 && n < 7 && strings.Trim(k, "0123456789") == "" && k > "64" && len(k) >= 2 {
			k = "64" // keep each iteration cheap: classification cost grows with k
		}
		q := url.Values{}
		for name, val := range map[string]string{"level": level, "indicator": indicator, "year": year,
			"breakdown": breakdown, "kommun": kommun, "method": method, "k": k, "scheme": scheme, "lang": lang} {
			if val != "" {
				q.Set(name, val)
			}
		}
		enc := q.Encode()
		checkNoServerError(t, "/api/values?"+enc)
		checkNoServerError(t, "/api/classify?"+enc)
		checkNoServerError(t, "/api/areas/"+url.PathEscape(level)+"/"+url.PathEscape(kommun)+"/profile?"+enc)
	})
}
