package fakeauthentik

import (
	"fmt"
	"math"
	"net/url"
	"strconv"
	"strings"
)

// orderingKeys are the fields ?ordering= accepts: pk, name and every
// stored scalar. Keys sort like PostgreSQL: numbers numerically, NULL last.
func (sp *kindSpec) orderingKeys() map[string]func(*stageRec) string {
	keys := map[string]func(*stageRec) string{
		"pk":   func(r *stageRec) string { return r.pk },
		"name": func(r *stageRec) string { return r.name },
	}
	for _, f := range sp.fields {
		switch {
		case f.name == "name", f.typ == ftPKList, f.typ == ftChoiceList, f.typ == ftJSON, f.typ == ftDict, f.typ == ftFlowSet:
			continue
		}
		name := f.name
		keys[name] = func(r *stageRec) string { return sortKey(r.values[name]) }
	}
	return keys
}

func sortKey(v any) string {
	switch x := v.(type) {
	case nil:
		return "\U0010FFFF"
	case int64:
		return fmt.Sprintf("%020d", uint64(x)^(1<<63))
	case bool:
		return strconv.FormatBool(x)
	case string:
		return x
	}
	return fmt.Sprint(v)
}

// stageFilterLocked builds the list operation's django-filter filters from
// the query, or returns the form errors.
func (s *Server) stageFilterLocked(sp *kindSpec, q url.Values) (func(*stageRec) bool, obj) {
	var tests []func(*stageRec) bool
	var errs obj
	for _, lf := range sp.filters {
		var want []string
		for _, v := range q[lf.name] {
			if v != "" {
				want = append(want, v)
			}
		}
		if len(want) == 0 {
			continue
		}
		test, msg := s.filterTestLocked(lf, want)
		if msg != "" {
			errs = append(errs, kv{lf.name, []string{msg}})
		} else if test != nil {
			tests = append(tests, test)
		}
	}
	return func(r *stageRec) bool {
		for _, t := range tests {
			if !t(r) {
				return false
			}
		}
		return true
	}, errs
}

func (s *Server) filterTestLocked(lf listFilter, want []string) (func(*stageRec) bool, string) {
	value := want[len(want)-1] // a single-value filter reads the last one
	field := func(r *stageRec) any { return r.values[lf.name] }
	switch {
	case lf.pk:
		pk, ok := parsePyUUID(value)
		if !ok {
			return nil, "Enter a valid UUID."
		}
		return func(r *stageRec) bool { return r.pk == pk }, ""
	case lf.typ == ftPK: // ModelChoiceFilter
		pk, ok := parsePyUUID(value)
		switch {
		case !ok:
			return nil, "“" + value + "” is not a valid UUID."
		case !s.relatedExistsLocked(lf.rel, pk):
			return nil, "Select a valid choice. That choice is not one of the available choices."
		}
		return func(r *stageRec) bool { return field(r) == pk }, ""
	case lf.typ == ftPKList: // ModelMultipleChoiceFilter: any of them
		var pks []string
		for _, v := range want {
			pk, ok := parsePyUUID(v)
			switch {
			case !ok:
				return nil, "“" + v + "” is not a valid UUID."
			case !s.relatedExistsLocked(lf.rel, pk):
				return nil, "Select a valid choice. " + v + " is not one of the available choices."
			}
			pks = append(pks, pk)
		}
		return func(r *stageRec) bool {
			have, _ := field(r).([]string)
			for _, p := range pks {
				if slicesContains(have, p) {
					return true
				}
			}
			return false
		}, ""
	case lf.typ == ftChoice:
		if !slicesContains(lf.choices, value) {
			return nil, "Select a valid choice. " + value + " is not one of the available choices."
		}
	case lf.typ == ftInt: // NumberFilter: a decimal
		f, err := strconv.ParseFloat(strings.TrimSpace(value), 64)
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			return nil, "Enter a number."
		}
		return func(r *stageRec) bool { n, ok := field(r).(int64); return ok && float64(n) == f }, ""
	case lf.typ == ftBool: // BooleanWidget: anything else means no filter
		b, ok := map[string]bool{"true": true, "1": true, "false": false, "0": false}[strings.ToLower(value)]
		if !ok {
			return nil, ""
		}
		return func(r *stageRec) bool { return field(r) == b }, ""
	case lf.name == "name":
		return func(r *stageRec) bool { return r.name == value }, ""
	}
	return func(r *stageRec) bool { return field(r) == value }, ""
}
