package api_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestRoutesDocumented parses routes.go for every mux registration and
// checks that server/openapi.yaml documents its method and path.
func TestRoutesDocumented(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "routes.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var routes []string
	ast.Inspect(f, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || len(call.Args) == 0 {
			return true
		}
		sel, ok := call.Fun.(*ast.SelectorExpr)
		if !ok || (sel.Sel.Name != "Handle" && sel.Sel.Name != "HandleFunc") {
			return true
		}
		lit, ok := call.Args[0].(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			t.Errorf("route pattern is not a string literal: %v", call.Args[0])
			return true
		}
		p, _ := strconv.Unquote(lit.Value)
		routes = append(routes, p)
		return true
	})
	if len(routes) < 10 {
		t.Fatalf("found only %d routes: %v", len(routes), routes)
	}
	doc := documented(t)
	for _, r := range routes {
		method, path, ok := strings.Cut(r, " ")
		if !ok {
			t.Errorf("route %q has no method", r)
			continue
		}
		if !doc[strings.ToLower(method)+" "+path] {
			t.Errorf("route %s is not documented in server/openapi.yaml", r)
		}
	}
}

// documented reads "method path" pairs from the paths section of the
// OpenAPI file: paths at two spaces of indent, methods at four.
func documented(t *testing.T) map[string]bool {
	raw, err := os.ReadFile("../openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	pathRE := regexp.MustCompile(`^  (/\S*):\s*$`)
	methodRE := regexp.MustCompile(`^    (get|post|put|patch|delete):\s*$`)
	out := map[string]bool{}
	in, cur := false, ""
	for _, line := range strings.Split(string(raw), "\n") {
		if strings.HasPrefix(line, "paths:") {
			in = true
			continue
		}
		if in && line != "" && line[0] != ' ' {
			in = false
		}
		if !in {
			continue
		}
		if m := pathRE.FindStringSubmatch(line); m != nil {
			cur = m[1]
		} else if m := methodRE.FindStringSubmatch(line); m != nil && cur != "" {
			out[m[1]+" "+cur] = true
		}
	}
	return out
}
