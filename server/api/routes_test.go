package api_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestRoutesDocumented parses routes.go for every mux registration and
// checks that server/openapi.yaml documents its method and path.
func TestRoutesDocumented(t *testing.T) {
	routes := registered(t, "routes.go", "Handle", "HandleFunc")
	// Modules (see modules.go) register theirs through Mux.Public and
	// Mux.Device (Mux.Permit for what only some staff roles may do),
	// anywhere under server/.
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		routes = append(routes, registered(t, path, "Public", "Device", "Permit")...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
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

// registered returns the route patterns passed as the first argument of
// calls to the named methods in one file.
func registered(t *testing.T, file string, methods ...string) []string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), file, nil, 0)
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
		if !ok || !slices.Contains(methods, sel.Sel.Name) {
			return true
		}
		lit, ok := call.Args[0].(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			if file == "routes.go" {
				t.Errorf("route pattern is not a string literal: %v", call.Args[0])
			}
			return true
		}
		p, _ := strconv.Unquote(lit.Value)
		if strings.Contains(p, " /") {
			routes = append(routes, p)
		}
		return true
	})
	return routes
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
