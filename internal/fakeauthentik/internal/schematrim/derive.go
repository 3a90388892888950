package main

import (
	"bytes"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sort"

	"gopkg.in/yaml.v3"
)

// derive2025_10 writes schema-2025.10.derived.yml. No 2025.10.x schema file
// is available, so it is derived: start from the trimmed 2025.12.4 schema and
// undo the 2025.12.0 changes listed in ../shared/authentik-api.md §6.2,
// copying the older shapes from the trimmed 2024.10.5 schema:
//
//   - flow_set of every stage serializer (AuthenticatorDuoStage,
//     AuthenticatorTOTPStage, …: every component whose flow_set is
//     readOnly): not readOnly, not required; its XRequest and
//     PatchedXRequest regain flow_set (array of FlowSetRequest) right after
//     name, where StageSerializer puts it, and the FlowSetRequest component
//     comes back (copied from 2024.10);
//   - FlowSet.slug regains maxLength 50 (and keeps its pattern);
//   - FlowSet.background_url becomes background (in required too);
//   - Flow: background/background_url/background_themed_urls are replaced by
//     the 2024.10 background property (so ThemedUrls becomes unreferenced and
//     is pruned). §6.2 does not track Flow; the notes in §5.2 show 2025.12
//     introduced background_url, so this part is an assumption;
//   - AuthenticatorStaticStage(Request).token_length loses maximum 100
//     (the 2024.10 property; 2025.12.0 added the validator);
//   - UsedByActionEnum loses left_dangling.
//
// The output is deterministic (same inputs, same bytes).
func derive2025_10(dir string) error {
	newDoc, err := readYAML(filepath.Join(dir, "schema-2025.12.trimmed.yml"))
	if err != nil {
		return err
	}
	oldDoc, err := readYAML(filepath.Join(dir, "schema-2024.10.trimmed.yml"))
	if err != nil {
		return err
	}
	root := newDoc.Content[0]
	oldSchemas := mapGet(mapGet(oldDoc.Content[0], "components"), "schemas")
	schemas := mapGet(mapGet(root, "components"), "schemas")
	get := func(m *yaml.Node, path ...string) (*yaml.Node, error) {
		n := m
		for _, p := range path {
			n = mapGet(n, p)
			if n == nil {
				return nil, fmt.Errorf("missing %v", path)
			}
		}
		return n, nil
	}

	if info := mapGet(root, "info"); info != nil {
		if v := mapGet(info, "version"); v != nil {
			v.Value = "2025.10.4-derived"
		}
	}

	// Every stage serializer's flow_set: writable and optional again, and
	// back in its request schemas (StageSerializer declares it for all).
	if err := unfreezeFlowSet(schemas); err != nil {
		return err
	}

	// Static token_length: MaxValueValidator(100) arrived in 2025.12.0
	// (#19162); before, the PositiveIntegerField range. Checked against the
	// real 2025.10.4 schema.yml of the mirror.
	for _, name := range []string{"AuthenticatorStaticStage", "AuthenticatorStaticStageRequest", "PatchedAuthenticatorStaticStageRequest"} {
		tl, err := get(schemas, name, "properties", "token_length")
		if err != nil {
			return err
		}
		old, err := get(oldSchemas, name, "properties", "token_length")
		if err != nil {
			return err
		}
		*tl = *deepCopy(old)
	}

	// FlowSetRequest comes back, copied from 2024.10.
	fsr, err := get(oldSchemas, "FlowSetRequest")
	if err != nil {
		return err
	}
	mapInsertAfter(schemas, "FlowSet", "FlowSetRequest", fsr)

	// FlowSet: slug maxLength, background_url -> background.
	flowSet, err := get(schemas, "FlowSet")
	if err != nil {
		return err
	}
	slug, err := get(flowSet, "properties", "slug")
	if err != nil {
		return err
	}
	oldSlug, err := get(oldSchemas, "FlowSet", "properties", "slug")
	if err != nil {
		return err
	}
	*slug = *deepCopy(oldSlug)
	oldBg, err := get(oldSchemas, "FlowSet", "properties", "background")
	if err != nil {
		return err
	}
	if !mapRenameReplace(mapGet(flowSet, "properties"), "background_url", "background", oldBg) {
		return fmt.Errorf("FlowSet has no background_url")
	}
	seqDelete(mapGet(flowSet, "required"), "background_url")
	seqAddSorted(mapGet(flowSet, "required"), "background")

	// Flow: back to the 2024.10 background property.
	flow, err := get(schemas, "Flow")
	if err != nil {
		return err
	}
	oldFlowBg, err := get(oldSchemas, "Flow", "properties", "background")
	if err != nil {
		return err
	}
	flowProps := mapGet(flow, "properties")
	if !mapRenameReplace(flowProps, "background", "background", oldFlowBg) {
		return fmt.Errorf("flow has no background")
	}
	mapDelete(flowProps, "background_url")
	mapDelete(flowProps, "background_themed_urls")
	seqDelete(mapGet(flow, "required"), "background_url")
	seqDelete(mapGet(flow, "required"), "background_themed_urls")
	seqAddSorted(mapGet(flow, "required"), "background")

	// UsedByActionEnum without left_dangling.
	enum, err := get(schemas, "UsedByActionEnum", "enum")
	if err != nil {
		return err
	}
	seqDelete(enum, "left_dangling")

	refs, err := pruneComponents(root)
	if err != nil {
		return err
	}
	header := "# DERIVED, not a released file: schema-2025.12.trimmed.yml with the 2025.12.0 changes undone\n" +
		"# (shapes from schema-2024.10.trimmed.yml), made by internal/fakeauthentik/internal/schematrim -derive-2025.10.\n" +
		"# See README.md in this directory. Do not edit by hand.\n"
	dst := filepath.Join(dir, "schema-2025.10.derived.yml")
	size, err := writeYAML(dst, header, newDoc)
	if err != nil {
		return err
	}
	log.Printf("-> %s: %d component(s), %d bytes", dst, len(refs), size)
	return nil
}

// unfreezeFlowSet undoes 2025.12.0's read_only=True on StageSerializer's
// flow_set, for every stage serializer in schemas.
func unfreezeFlowSet(schemas *yaml.Node) error {
	n := 0
	for i := 0; i+1 < len(schemas.Content); i += 2 {
		name, comp := schemas.Content[i].Value, schemas.Content[i+1]
		fs := mapGet(mapGet(comp, "properties"), "flow_set")
		if fs == nil || mapGet(fs, "readOnly") == nil {
			continue
		}
		mapDelete(fs, "readOnly")
		seqDelete(mapGet(comp, "required"), "flow_set")
		for _, req := range []string{name + "Request", "Patched" + name + "Request"} {
			props := mapGet(mapGet(schemas, req), "properties")
			if props == nil {
				// Only read by the kept paths (the plain Stage nested in a
				// flow-stage binding): there is no request body to change.
				continue
			}
			if mapGet(props, "flow_set") != nil {
				return fmt.Errorf("%s already has flow_set", req)
			}
			val := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Content: []*yaml.Node{
				scalar("type"), scalar("array"),
				scalar("items"), {Kind: yaml.MappingNode, Tag: "!!map", Content: []*yaml.Node{
					scalar("$ref"), scalar("#/components/schemas/FlowSetRequest"),
				}},
			}}
			mapInsertAfter(props, "name", "flow_set", val)
		}
		n++
	}
	if n == 0 {
		return fmt.Errorf("no read-only flow_set found")
	}
	return nil
}

// writeYAML writes doc to dst, indented by two spaces, after a header
// comment, and returns the size of the YAML part.
func writeYAML(dst, header string, doc *yaml.Node) (int, error) {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return 0, err
	}
	return buf.Len(), os.WriteFile(dst, append([]byte(header), buf.Bytes()...), 0o644)
}

func readYAML(file string) (*yaml.Node, error) {
	raw, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return &doc, nil
}

func scalar(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s} }

func deepCopy(n *yaml.Node) *yaml.Node {
	if n == nil {
		return nil
	}
	c := *n
	c.Content = nil
	for _, ch := range n.Content {
		c.Content = append(c.Content, deepCopy(ch))
	}
	return &c
}

func mapDelete(m *yaml.Node, key string) {
	filterMap(m, func(k string) bool { return k != key })
}

// mapRenameReplace renames key from to key to and replaces its value by a
// copy of val, in place. It reports whether from was found.
func mapRenameReplace(m *yaml.Node, from, to string, val *yaml.Node) bool {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == from {
			m.Content[i].Value = to
			m.Content[i+1] = deepCopy(val)
			return true
		}
	}
	return false
}

// mapInsertAfter inserts key: copy(val) after the entry whose key is after;
// at the start if after is "", at the end if after is absent.
func mapInsertAfter(m *yaml.Node, after, key string, val *yaml.Node) {
	pos := len(m.Content)
	if after == "" {
		pos = 0
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == after {
			pos = i + 2
			break
		}
	}
	c := append([]*yaml.Node{}, m.Content[:pos]...)
	c = append(c, scalar(key), deepCopy(val))
	m.Content = append(c, m.Content[pos:]...)
}

func seqDelete(s *yaml.Node, v string) {
	if s == nil {
		return
	}
	var c []*yaml.Node
	for _, n := range s.Content {
		if n.Value != v {
			c = append(c, n)
		}
	}
	s.Content = c
}

// seqAddSorted adds v to a sorted sequence of scalars (drf-spectacular sorts
// required lists).
func seqAddSorted(s *yaml.Node, v string) {
	for _, n := range s.Content {
		if n.Value == v {
			return
		}
	}
	s.Content = append(s.Content, scalar(v))
	sort.SliceStable(s.Content, func(i, j int) bool { return s.Content[i].Value < s.Content[j].Value })
}
