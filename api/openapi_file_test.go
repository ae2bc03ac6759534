package api

import (
	"bytes"
	"flag"
	"os"
	"testing"
)

var updateOpenAPI = flag.Bool("update", false, "rewrite api/openapi.json from the route table")

// TestOpenAPIFile: api/openapi.json is the document the route table makes
// (and the server serves). After changing a route or its documentation:
// go test ./api -run TestOpenAPIFile -update.
func TestOpenAPIFile(t *testing.T) {
	t.Parallel()
	got, err := openAPIJSON()
	if err != nil {
		t.Fatal(err)
	}
	if *updateOpenAPI {
		if err := os.WriteFile("openapi.json", got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile("openapi.json")
	if err != nil {
		t.Fatalf("%v; make it with: go test ./api -run TestOpenAPIFile -update", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("api/openapi.json is not what the route table makes (%d bytes, made %d); after checking the change run: go test ./api -run TestOpenAPIFile -update", len(want), len(got))
	}
}
