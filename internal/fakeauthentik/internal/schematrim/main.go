// Command schematrim trims authentik's full OpenAPI documents down to the
// paths the provider uses and every component they reference (transitively),
// and writes them into ../testdata (YAML).
//
// Usage (from the repository root):
//
//	go run ./internal/fakeauthentik/internal/schematrim -in ../shared/authentik-openapi -out internal/fakeauthentik/testdata
//
// With -derive-2025.10 it instead derives schema-2025.10.derived.yml from the
// trimmed 2025.12 and 2024.10 files already in -out (see derive.go):
//
//	go run ./internal/fakeauthentik/internal/schematrim -derive-2025.10 -out internal/fakeauthentik/testdata
//
// It is a maintenance tool: tests never read the full schemas.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"
)

// keepPrefixes are the path prefixes (relative to /api/v3) that are kept.
var keepPrefixes = []string{
	// Every authenticator stage and the WebAuthn device types (stages*.go).
	"/stages/authenticator/duo/",
	"/stages/authenticator/email/",
	"/stages/authenticator/endpoint_gdtc/",
	"/stages/authenticator/sms/",
	"/stages/authenticator/static/",
	"/stages/authenticator/totp/",
	"/stages/authenticator/validate/",
	"/stages/authenticator/webauthn/",
	"/stages/authenticator/webauthn_device_types/",
	"/flows/instances/",
	// The device kinds the provider manages, admin and user endpoints.
	"/authenticators/admin/totp/", "/authenticators/totp/",
	"/authenticators/admin/static/", "/authenticators/static/",
	"/authenticators/admin/webauthn/", "/authenticators/webauthn/",
	"/authenticators/admin/duo/", "/authenticators/duo/",
	"/authenticators/admin/sms/", "/authenticators/sms/",
	"/authenticators/admin/email/", "/authenticators/email/",
}

// keepExact are paths kept only when they match exactly: the version, what
// the acceptance tests' fixtures use (internal/acctest) or the transcripts
// call, and the lists of every kind of device (authentik_user_devices).
var keepExact = []string{
	"/admin/version/",
	"/root/config/",
	"/core/users/", "/core/users/{id}/", "/core/users/{id}/set_password/", "/core/users/me/",
	"/core/tokens/", "/core/tokens/{identifier}/", "/core/tokens/{identifier}/view_key/",
	"/flows/bindings/", "/flows/bindings/{fsb_uuid}/",
	"/flows/executor/{flow_slug}/",
	"/authenticators/all/", "/authenticators/admin/all/",
}

var files = map[string]string{
	"schema-2024.10.yml": "schema-2024.10.trimmed.yml",
	"schema-2025.12.yml": "schema-2025.12.trimmed.yml",
	"schema.yml":         "schema-2026.trimmed.yml",
}

func main() {
	in := flag.String("in", "../shared/authentik-openapi", "directory with the full schemas")
	out := flag.String("out", "internal/fakeauthentik/testdata", "output directory")
	derive := flag.Bool("derive-2025.10", false, "derive schema-2025.10.derived.yml from the trimmed 2025.12 and 2024.10 files in -out")
	flag.Parse()
	if *derive {
		if err := derive2025_10(*out); err != nil {
			log.Fatalf("derive 2025.10: %v", err)
		}
		return
	}
	for src, dst := range files {
		if err := trimFile(filepath.Join(*in, src), filepath.Join(*out, dst)); err != nil {
			log.Fatalf("%s: %v", src, err)
		}
	}
}

func keepPath(p string) bool {
	for _, e := range keepExact {
		if p == e {
			return true
		}
	}
	for _, pre := range keepPrefixes {
		if strings.HasPrefix(p, pre) {
			return true
		}
	}
	return false
}

func mapGet(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// filterMap keeps only the entries whose key satisfies keep.
func filterMap(n *yaml.Node, keep func(string) bool) {
	var c []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		if keep(n.Content[i].Value) {
			c = append(c, n.Content[i], n.Content[i+1])
		}
	}
	n.Content = c
}

func collectRefs(n *yaml.Node, refs map[string]bool, queue *[]string) {
	if n == nil {
		return
	}
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == "$ref" && n.Content[i+1].Kind == yaml.ScalarNode {
				r := n.Content[i+1].Value
				if !refs[r] {
					refs[r] = true
					*queue = append(*queue, r)
				}
				continue
			}
			collectRefs(n.Content[i+1], refs, queue)
		}
		return
	}
	for _, c := range n.Content {
		collectRefs(c, refs, queue)
	}
}

func resolve(root *yaml.Node, ref string) (*yaml.Node, error) {
	if !strings.HasPrefix(ref, "#/") {
		return nil, fmt.Errorf("unsupported $ref %q", ref)
	}
	n := root
	for _, part := range strings.Split(ref[2:], "/") {
		n = mapGet(n, part)
		if n == nil {
			return nil, fmt.Errorf("dangling $ref %q", ref)
		}
	}
	return n, nil
}

func trimFile(src, dst string) error {
	raw, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		return err
	}
	root := doc.Content[0]
	paths := mapGet(root, "paths")
	filterMap(paths, keepPath)
	refs, err := pruneComponents(root)
	if err != nil {
		return err
	}

	header := "# Trimmed copy of " + filepath.Base(src) + " made by internal/fakeauthentik/internal/schematrim.\n" +
		"# See README.md in this directory for provenance. Do not edit by hand.\n"
	size, err := writeYAML(dst, header, &doc)
	if err != nil {
		return err
	}
	log.Printf("%s -> %s: %d path(s), %d component(s), %d bytes",
		src, dst, len(paths.Content)/2, len(refs), size)
	return nil
}

// pruneComponents keeps only the components reachable (transitively) from
// paths, and drops empty component sections. It returns the reachable refs.
func pruneComponents(root *yaml.Node) (map[string]bool, error) {
	paths := mapGet(root, "paths")
	refs := map[string]bool{}
	var queue []string
	collectRefs(paths, refs, &queue)
	for len(queue) > 0 {
		r := queue[0]
		queue = queue[1:]
		n, err := resolve(root, r)
		if err != nil {
			return nil, err
		}
		collectRefs(n, refs, &queue)
	}
	comps := mapGet(root, "components")
	for i := 0; i+1 < len(comps.Content); i += 2 {
		section := comps.Content[i].Value
		if section == "securitySchemes" {
			continue
		}
		filterMap(comps.Content[i+1], func(name string) bool {
			return refs["#/components/"+section+"/"+name]
		})
	}
	// Drop now-empty component sections.
	filterMap(comps, func(name string) bool {
		s := mapGet(comps, name)
		return s != nil && len(s.Content) > 0
	})
	return refs, nil
}
