package fakeauthentik

import (
	"bytes"
	"encoding/json"
	"fmt"
	"iter"
	"math"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"gopkg.in/yaml.v3"
)

// fieldType is the DRF serializer field a schema property stands for.
type fieldType int

const (
	ftString     fieldType = iota // CharField
	ftEmail                       // EmailField (format: email)
	ftChoice                      // ChoiceField (an enum)
	ftInt                         // IntegerField (minimum/maximum)
	ftBool                        // BooleanField
	ftPK                          // PrimaryKeyRelatedField (format: uuid)
	ftPKList                      // ManyRelatedField (array of uuid)
	ftChoiceList                  // ListField(ChoiceField): a Postgres ArrayField
	ftJSON                        // JSONField: any JSON value (no type)
	ftDict                        // authentik's JSONDictField (type: object)
	ftFlowSet                     // StageSerializer's flow_set while writable (≤ 2025.10)
)

// relKind names the table a relational field points into.
type relKind int

const (
	relNone       relKind = iota // a table the fake keeps empty
	relFlow                      // flows
	relStage                     // stages of any kind
	relDeviceType                // WebAuthn device types
)

// stageRelations maps the relational fields of the stage serializers to
// their tables. SMS mapping points at notification webhook mappings, which
// the fake does not model: every pk there "does not exist".
var stageRelations = map[string]relKind{
	"configure_flow":                relFlow,
	"mapping":                       relNone,
	"configuration_stages":          relStage,
	"device_type_restrictions":      relDeviceType,
	"webauthn_allowed_device_types": relDeviceType,
}

// stageField is one writable serializer field, as the schema describes it.
type stageField struct {
	name      string
	typ       fieldType
	required  bool // on create and PUT
	nullable  bool
	blank     bool // a CharField that accepts ""
	maxLength int  // in characters; 0 = none
	min, max  *int64
	choices   []string
	rel       relKind
}

// listFilter is one django-filter filter of a list operation.
type listFilter struct {
	name    string
	typ     fieldType // ftPK for the pk itself (UUIDFilter) or a relation
	pk      bool      // the model's own primary key
	choices []string
	rel     relKind
}

// kindSpec is a stage kind as one version's schema has it.
type kindSpec struct {
	kind     *stageKind
	fields   []*stageField // writable fields, in serializer order
	byName   map[string]*stageField
	output   []string // response members, in serializer order
	defaults map[string]any
	filters  []listFilter // in schema order
}

var (
	specMu    sync.Mutex
	specCache = map[Version]map[string]*kindSpec{}
)

// stageSpec returns kind k as version v has it, or nil when v has no such
// stage.
func stageSpec(v Version, k *stageKind) *kindSpec {
	specMu.Lock()
	defer specMu.Unlock()
	specs, ok := specCache[v]
	if !ok {
		var err error
		if specs, err = deriveSpecs(v); err != nil {
			panic("fakeauthentik: " + err.Error())
		}
		specCache[v] = specs
	}
	return specs[k.segment]
}

func deriveSpecs(v Version) (map[string]*kindSpec, error) {
	sc := loadSchema(v)
	if sc.err != nil {
		return nil, sc.err
	}
	order, err := propertyOrder(profiles[v].schemaFile)
	if err != nil {
		return nil, err
	}
	out := map[string]*kindSpec{}
	for _, k := range stageKinds {
		resp, req := sc.doc.Components.Schemas[k.model], sc.doc.Components.Schemas[k.model+"Request"]
		if resp == nil || req == nil {
			continue // not in this version
		}
		sp := &kindSpec{kind: k, byName: map[string]*stageField{}, output: order[k.model], defaults: map[string]any{}}
		for _, name := range order[k.model+"Request"] {
			f := newStageField(name, req.Value)
			sp.fields = append(sp.fields, f)
			sp.byName[name] = f
		}
		if err := sp.setDefaults(); err != nil {
			return nil, fmt.Errorf("%s %s: %w", v, k.model, err)
		}
		if p := sc.doc.Paths.Find("/stages/authenticator/" + k.segment + "/"); p != nil && p.Get != nil {
			sp.filters = listFilters(p.Get.Parameters, "stage_uuid")
		}
		out[k.segment] = sp
	}
	return out, nil
}

func newStageField(name string, comp *openapi3.Schema) *stageField {
	p := comp.Properties[name].Value
	f := &stageField{name: name, nullable: p.Nullable, rel: stageRelations[name]}
	for _, r := range comp.Required {
		f.required = f.required || r == name
	}
	if p.MaxLength != nil {
		f.maxLength = int(*p.MaxLength)
	}
	f.min, f.max = intBound(p.Min), intBound(p.Max)
	f.choices = enumOf(p)
	switch {
	case name == "flow_set":
		f.typ = ftFlowSet
	case len(f.choices) > 0:
		f.typ = ftChoice
	case p.Type.Is("string") && p.Format == "uuid":
		f.typ = ftPK
	case p.Type.Is("string") && p.Format == "email":
		f.typ, f.blank = ftEmail, p.MinLength == 0
	case p.Type.Is("string"):
		f.typ, f.blank = ftString, p.MinLength == 0
	case p.Type.Is("integer"):
		f.typ = ftInt
	case p.Type.Is("boolean"):
		f.typ = ftBool
	case p.Type.Is("object"):
		f.typ = ftDict
	case p.Type.Is("array") && len(enumOf(p.Items.Value)) > 0:
		f.typ, f.choices = ftChoiceList, enumOf(p.Items.Value)
	case p.Type.Is("array"):
		f.typ = ftPKList
	default:
		f.typ = ftJSON
	}
	return f
}

// enumOf is a property's enum: inline, behind a $ref, or behind allOf (how
// drf-spectacular writes a nullable or described enum).
func enumOf(p *openapi3.Schema) []string {
	if p == nil {
		return nil
	}
	values := p.Enum
	for _, a := range p.AllOf {
		values = append(values, a.Value.Enum...)
	}
	var out []string
	for _, e := range values {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func intBound(f *float64) *int64 {
	if f == nil || math.Abs(*f) > math.MaxInt64/2 {
		return nil
	}
	n := int64(*f)
	return &n
}

// setDefaults fills sp.defaults for every stored field but name: the kind's
// model defaults, else the zero value of the field.
func (sp *kindSpec) setDefaults() error {
	declared := map[string]any{}
	if sp.kind.defaults != "" {
		dec := json.NewDecoder(strings.NewReader(sp.kind.defaults))
		dec.UseNumber()
		if err := dec.Decode(&declared); err != nil {
			return err
		}
	}
	for _, f := range sp.fields {
		switch d, ok := declared[f.name]; {
		case f.name == "name" || f.typ == ftFlowSet:
			// kept apart, or never stored
		case ok && f.typ == ftInt:
			n, err := d.(json.Number).Int64()
			if err != nil {
				return err
			}
			sp.defaults[f.name] = n
		case ok:
			sp.defaults[f.name] = d
		default:
			sp.defaults[f.name] = f.zero()
		}
	}
	for _, name := range sp.kind.allChoices {
		if f := sp.byName[name]; f != nil {
			sp.defaults[name] = append([]string{}, f.choices...)
		}
	}
	return nil
}

func (f *stageField) zero() any {
	switch {
	case f.nullable:
		return nil
	case f.typ == ftInt:
		return int64(0)
	case f.typ == ftBool:
		return false
	case f.typ == ftPKList || f.typ == ftChoiceList:
		return []string{}
	case f.typ == ftDict || f.typ == ftJSON:
		return map[string]any{}
	}
	return ""
}

// listFilters turns a list operation's query parameters into filters
// (pagination, ordering and search are handled apart).
func listFilters(params openapi3.Parameters, pk string) []listFilter {
	var out []listFilter
	for _, pr := range params {
		p := pr.Value
		switch p.Name {
		case "ordering", "page", "page_size", "search":
			continue
		}
		sch := p.Schema.Value
		lf := listFilter{name: p.Name, pk: p.Name == pk, rel: stageRelations[p.Name], choices: enumOf(sch)}
		switch {
		case len(lf.choices) > 0:
			lf.typ = ftChoice
		case sch.Type.Is("array"):
			lf.typ = ftPKList
		case sch.Format == "uuid":
			lf.typ = ftPK
		case sch.Type.Is("integer"):
			lf.typ = ftInt
		case sch.Type.Is("boolean"):
			lf.typ = ftBool
		default:
			lf.typ = ftString
		}
		out = append(out, lf)
	}
	return out
}

// propertyOrder reads the property names of every component schema in
// document order: kin-openapi keeps properties in a map, but DRF validates
// and renders fields in serializer order, which drf-spectacular preserves.
func propertyOrder(file string) (map[string][]string, error) {
	data, err := schemaFS.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var doc yaml.Node
	if err := yaml.NewDecoder(bytes.NewReader(data)).Decode(&doc); err != nil {
		return nil, err
	}
	out := map[string][]string{}
	for key, comps := range mapping(doc.Content[0]) {
		for section, schemas := range mapping(comps) {
			if key != "components" || section != "schemas" {
				continue
			}
			for name, comp := range mapping(schemas) {
				for member, props := range mapping(comp) {
					if member != "properties" {
						continue
					}
					for prop := range mapping(props) {
						out[name] = append(out[name], prop)
					}
				}
			}
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no components.schemas", file)
	}
	return out, nil
}

// mapping yields a YAML mapping's keys and values in document order
// (nothing for any other node).
func mapping(n *yaml.Node) iter.Seq2[string, *yaml.Node] {
	return func(yield func(string, *yaml.Node) bool) {
		if n.Kind != yaml.MappingNode {
			return
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			if !yield(n.Content[i].Value, n.Content[i+1]) {
				return
			}
		}
	}
}
