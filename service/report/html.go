package report

import (
	"bytes"
	"embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"math"

	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"

	"github.com/segmap/segmap/data"
	"github.com/segmap/segmap/internal/locale"
	"github.com/segmap/segmap/service"
)

//go:embed tmpl/report.html.tmpl tmpl/overtime.html.tmpl tmpl/report.css
var reportFiles embed.FS

// reportView is what the template sees: the report plus its language.
type reportView struct {
	*Report
	En  bool
	CSS template.CSS
}

// HTML is the page of WriteHTML, rendered on the first call and kept: a
// report from the cache is served many times.
func (r *Report) HTML() ([]byte, error) {
	r.page.once.Do(func() {
		var buf bytes.Buffer
		r.page.err = r.WriteHTML(&buf)
		r.page.b = buf.Bytes()
	})
	return r.page.b, r.page.err
}

// WriteHTML renders the report as one self-contained HTML page: styles
// inline, every map and chart an inline SVG, no scripts, no external
// requests; a print stylesheet lays it out on A4.
func (r *Report) WriteHTML(w io.Writer) error {
	lang := r.Lang
	css, err := reportFiles.ReadFile("tmpl/report.css")
	if err != nil {
		return fmt.Errorf("service: report: %w", err)
	}
	funcs := template.FuncMap{
		"t": func(key string) string { return trText(lang, key) },
		"num": func(v any, dec int) string {
			return locale.FormatNumber(toFloat(v), dec, locale.Of(lang))
		},
		"signed": func(v any, dec int) string { return signedNumber(toFloat(v), dec, lang) },
		"pct": func(share service.Num) string {
			return locale.FormatNumber(float64(share)*100, 1, locale.Of(lang)) + " %"
		},
		"ind": func(ind data.Indicator) string {
			if lang == "en" && ind.NameEN != "" {
				return ind.NameEN
			}
			return ind.NameSV
		},
		"desc": func(ind data.Indicator) string {
			if lang == "en" && ind.DescriptionEN != "" {
				return ind.DescriptionEN
			}
			return ind.DescriptionSV
		},
		// missing says why a part was left out and what to import
		// ("" when it was not).
		"missing": func(part string) string {
			for _, sp := range r.Skipped {
				if sp.Part == part {
					return sp.Text + ". " + sp.Import
				}
			}
			return ""
		},
		"typeLabel": func(ti service.OmradestypInfo) string {
			if lang == "en" {
				return ti.LabelEN
			}
			return ti.LabelSV
		},
		"typeColor": func(i int) template.CSS {
			if r.Types != nil && i < len(r.Types.Types) {
				return template.CSS("background:" + r.Types.Types[i].Color)
			}
			return ""
		},
		"rColor": func(v service.Num) template.CSS {
			f := float64(v)
			if !v.Valid() {
				return ""
			}
			a := math.Min(1, math.Abs(f)) * 0.75
			if f >= 0 {
				return template.CSS(fmt.Sprintf("background:rgba(194,24,91,%.2f)", a))
			}
			return template.CSS(fmt.Sprintf("background:rgba(31,95,139,%.2f)", a))
		},
		"valid": func(v service.Num) bool { return v.Valid() },
		"add":   func(a, b int) int { return a + b },
		"unit": func(ind data.Indicator) string {
			if ind.Unit == "" {
				return ""
			}
			return " " + ind.Unit
		},
		"changeUnit": func(c *service.Change) string {
			if c.Kind == service.ChangePercentagePoints {
				return trText(lang, "pp")
			}
			return c.Unit
		},
		"cluster":  func(c string) string { return trText(lang, "cl_"+c) },
		"clusters": func() []string { return []string{"HH", "LL", "HL", "LH", "ns", "island", "nodata"} },
		"levelName": func(l string) string {
			switch l {
			case data.LevelDeSO:
				return "DeSO"
			case data.LevelRegSO:
				return "RegSO"
			case data.LevelKommun:
				return trText(lang, "kommuner")
			}
			return l
		},
	}
	tmpl, err := template.New("report.html.tmpl").Funcs(funcs).ParseFS(reportFiles, "tmpl/report.html.tmpl", "tmpl/overtime.html.tmpl")
	if err != nil {
		return fmt.Errorf("service: report template: %w", err)
	}
	if err := tmpl.Execute(w, reportView{Report: r, En: lang == "en", CSS: template.CSS(goFontFaces() + string(css))}); err != nil {
		return fmt.Errorf("service: report: %w", err)
	}
	return nil
}

func toFloat(v any) float64 {
	switch x := v.(type) {
	case service.Num:
		return float64(x)
	case float64:
		return x
	case int:
		return float64(x)
	case int64:
		return float64(x)
	}
	return math.NaN()
}

// goFontFaces embeds the Go fonts the maps and charts were laid out with
// (render measures text in them), so labels fit the same in every browser
// and in print, with no font download.
func goFontFaces() string {
	face := func(ttf []byte, weight string) string {
		return "@font-face{font-family:Go;font-weight:" + weight + ";src:url(data:font/ttf;base64," +
			base64.StdEncoding.EncodeToString(ttf) + ") format(\"truetype\");}\n"
	}
	return face(goregular.TTF, "normal") + face(gobold.TTF, "bold")
}
