package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"testing"
)

// stopMakers are what, in this package's tests, closes a command's stop:
// and a stop, like a real signal, ends every YAML parse in the process
// (model.StopOn), so that a test using one beside parallel tests failed
// them at random ("interrupted (a stop signal came) before reading ...").
var stopMakers = map[string]bool{"raise": true, "StopOn": true, "observedSignals": true, "stopAtFirstWrite": true, "cutPipe": true}

// TestStoppingTestsAreNotParallel: no top-level test that makes a stop
// calls t.Parallel, since top-level parallel tests run together while a
// sequential one runs alone. TestRunStoppedWhileItsReportPrints was
// parallel and failed two other tests in CI (stop 51).
func TestStoppingTestsAreNotParallel(t *testing.T) {
	files, err := filepath.Glob("*_test.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Body == nil || len(fn.Name.Name) < 5 || fn.Name.Name[:4] != "Test" {
				continue
			}
			if callsParallelAtTop(fn.Body) && makesAStop(fn.Body) {
				t.Errorf("%s: %s makes a stop and calls t.Parallel: make it sequential", fset.Position(fn.Pos()), fn.Name.Name)
			}
		}
	}
}

// callsParallelAtTop says whether body itself (not a subtest) calls
// t.Parallel().
func callsParallelAtTop(body *ast.BlockStmt) bool {
	for _, s := range body.List {
		if e, ok := s.(*ast.ExprStmt); ok {
			if c, ok := e.X.(*ast.CallExpr); ok {
				if sel, ok := c.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Parallel" {
					return true
				}
			}
		}
	}
	return false
}

// makesAStop says whether body names anything in stopMakers.
func makesAStop(body *ast.BlockStmt) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && stopMakers[id.Name] {
			found = true
		}
		return !found
	})
	return found
}
