package segmap_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// englishOnlyAllowed are messages that are English on purpose, by file and
// the start of the English text, with the reason.
var englishOnlyAllowed = map[string]string{
	// The basemap URL is checked at start-up (serve's flag and Options); the
	// page only logs it: words for IT staff.
	"api/deploy.go: %q has the":        "command line",
	"api/deploy.go: %q is not a URL":   "command line",
	"api/deploy.go: %q has no http":    "command line",
	"api/deploy.go: %q carries a user": "command line",
	"api/deploy.go: the host %q of %q": "command line",
	"api/deploy.go: %q is neither a":   "command line",
	// Never shown: the chapter "Utveckling över tid" leaves the part out
	// (the template says so in the report's language) and drops the error.
	"service/report/overtime.go: segregation indices":           "dropped",
	"service/report/overtime.go: no indicator with a direction": "dropped",
}

// TestMessagesHaveSwedish: every message for people made in data/,
// service/, api/ and internal/ has a Swedish text beside the English one:
// fault.New and fault.Wrap (and the packages' helpers over them) are given
// .Sv(…), data.InputError and fault.Error literals set ProblemSV or SV, and
// echo.NewHTTPError carries no English words of its own (SetInternal with
// a fault.Error instead). A report part's reason (skipBecause) is worded by
// the report in its language, and the error only logged. The segmap
// command line (cmd/) stays English.
func TestMessagesHaveSwedish(t *testing.T) {
	fset := token.NewFileSet()
	n := 0
	for _, root := range []string{"data", "service", "api", "internal"} {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && (d.Name() == "web" || d.Name() == "testdata") {
				return filepath.SkipDir
			}
			if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return nil
			}
			f, err := parser.ParseFile(fset, path, nil, 0)
			if err != nil {
				return err
			}
			n++
			for _, p := range englishOnly(path, f) {
				pos := fset.Position(p.pos)
				key := filepath.ToSlash(path) + ": " + p.text
				allowed := false
				for prefix := range englishOnlyAllowed {
					if strings.HasPrefix(key, prefix) {
						allowed = true
					}
				}
				if !allowed {
					t.Errorf("%s:%d: %s has no Swedish text: %q", filepath.ToSlash(path), pos.Line, p.what, p.text)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if n < 100 {
		t.Errorf("only %d Go files read", n)
	}
}

type englishFinding struct {
	pos        token.Pos
	what, text string
}

// englishOnly lists the English-only messages of one file.
func englishOnly(path string, f *ast.File) []englishFinding {
	dir := filepath.ToSlash(filepath.Dir(path))
	// Calls that make a *fault.Error from English words, by package: the
	// service's BadRequest/badRequest/notFound, the API's bad.
	helpers := map[string]bool{"fault.New": true, "fault.Wrap": true, "service.BadRequest": true}
	switch dir {
	case "service":
		helpers["badRequest"], helpers["BadRequest"], helpers["notFound"] = true, true, true
	case "api":
		helpers["bad"] = true
	}
	svd := map[ast.Expr]bool{}    // receivers of .Sv
	exempt := map[ast.Expr]bool{} // returned by a helper, or a report part's reason
	ast.Inspect(f, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.SelectorExpr:
			if x.Sel.Name == "Sv" {
				svd[x.X] = true
			}
		case *ast.FuncDecl:
			if returnsFaultError(x) && x.Body != nil {
				ast.Inspect(x.Body, func(n ast.Node) bool {
					if r, ok := n.(*ast.ReturnStmt); ok && len(r.Results) == 1 {
						exempt[r.Results[0]] = true
					}
					return true
				})
			}
		case *ast.CallExpr:
			if id, ok := x.Fun.(*ast.Ident); ok && id.Name == "skipBecause" && len(x.Args) > 0 {
				exempt[x.Args[0]] = true
			}
		case *ast.AssignStmt:
			// err := fault.New(…) followed by skipBecause(err, …) in the report.
			if dir == "service/report" && len(x.Rhs) == 1 {
				if id, ok := x.Lhs[0].(*ast.Ident); ok && id.Name == "err" {
					if c, ok := x.Rhs[0].(*ast.CallExpr); ok && callName(c) == "fault.New" {
						exempt[x.Rhs[0]] = true
					}
				}
			}
		}
		return true
	})
	var out []englishFinding
	ast.Inspect(f, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.CallExpr:
			name := callName(x)
			switch {
			case helpers[name] && !svd[x] && !exempt[x]:
				out = append(out, englishFinding{x.Pos(), name, firstString(x)})
			case name == "echo.NewHTTPError" && len(x.Args) > 1:
				out = append(out, englishFinding{x.Pos(), name, firstString(x)})
			}
		case *ast.CompositeLit:
			want := ""
			switch typeName(x.Type) {
			case "InputError", "data.InputError":
				want = "ProblemSV"
			case "fault.Error":
				want = "SV"
			}
			if want != "" && !hasKey(x, want) {
				out = append(out, englishFinding{x.Pos(), typeName(x.Type) + " without " + want, ""})
			}
		}
		return true
	})
	return out
}

func returnsFaultError(fd *ast.FuncDecl) bool {
	if fd.Type.Results == nil || len(fd.Type.Results.List) != 1 {
		return false
	}
	st, ok := fd.Type.Results.List[0].Type.(*ast.StarExpr)
	return ok && typeName(st.X) == "fault.Error"
}

func callName(c *ast.CallExpr) string { return typeName(c.Fun) }

// typeName is a name or a package-qualified name ("fault.Error"), else "".
func typeName(e ast.Expr) string {
	switch t := e.(type) {
	case *ast.Ident:
		return t.Name
	case *ast.SelectorExpr:
		if id, ok := t.X.(*ast.Ident); ok {
			return id.Name + "." + t.Sel.Name
		}
	}
	return ""
}

func hasKey(c *ast.CompositeLit, key string) bool {
	for _, e := range c.Elts {
		if kv, ok := e.(*ast.KeyValueExpr); ok {
			if id, ok := kv.Key.(*ast.Ident); ok && id.Name == key {
				return true
			}
		}
	}
	return false
}

// firstString is the first string literal among a call's arguments.
func firstString(c *ast.CallExpr) string {
	for _, a := range c.Args {
		if bl, ok := a.(*ast.BasicLit); ok && bl.Kind == token.STRING {
			if s, err := strconv.Unquote(bl.Value); err == nil {
				return s
			}
		}
	}
	return ""
}
