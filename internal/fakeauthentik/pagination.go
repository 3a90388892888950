package fakeauthentik

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// pageSize implements DRF's PageNumberPagination.get_page_size with
// authentik's defaults: a non-positive or malformed page_size falls back to
// the default, and ≥ 2025.12 caps it at the maximum.
func (s *Server) pageSize(q url.Values) int {
	size := s.prof.defaultPageSize
	if v := q.Get("page_size"); v != "" {
		if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && n > 0 {
			size = n
		}
	}
	if s.prof.maxPageSize > 0 && size > s.prof.maxPageSize {
		size = s.prof.maxPageSize
	}
	return size
}

// paginate picks the requested page of count items. On an invalid page it
// answers 404 {"detail":"Invalid page."} and returns ok=false.
func (s *Server) paginate(w http.ResponseWriter, q url.Values, count int) (lo, hi int, pagination obj, ok bool) {
	size := s.pageSize(q)
	pages := 1
	if count > 0 {
		pages = (count + size - 1) / size
	}
	page := 1
	if v := q.Get("page"); v != "" {
		if v == "last" {
			page = pages
		} else {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > pages {
				writeDetail(w, http.StatusNotFound, msgInvalidPage)
				return 0, 0, nil, false
			}
			page = n
		}
	}
	lo = (page - 1) * size
	hi = min(lo+size, count)
	next, prev := 0, 0
	if page < pages {
		next = page + 1
	}
	if page > 1 {
		prev = page - 1
	}
	start, end := 0, 0
	if count > 0 {
		start, end = lo+1, hi
	}
	pagination = obj{
		{"next", next}, {"previous", prev}, {"count", count}, {"current", page},
		{"total_pages", pages}, {"start_index", start}, {"end_index", end},
	}
	return lo, hi, pagination, true
}

// writePage writes a paginated list body.
func (s *Server) writePage(w http.ResponseWriter, pagination obj, results []any) {
	s.writePageWith(w, pagination, results, obj{})
}

// writePageWith writes a paginated list body whose autocomplete block (from
// 2025.8) is the view's DjangoQL fields; most views have none ({}).
func (s *Server) writePageWith(w http.ResponseWriter, pagination obj, results []any, autocomplete any) {
	if results == nil {
		results = []any{}
	}
	body := obj{{"pagination", pagination}, {"results", results}}
	if s.prof.autocomplete {
		body = append(body, kv{"autocomplete", autocomplete})
	}
	writeJSON(w, http.StatusOK, body)
}

// sortBy orders items by DRF's ?ordering= (comma-separated, "-" for
// descending). Unknown fields are ignored; with no valid field the default
// ordering applies. keys maps an ordering field to a string key.
func sortBy[T any](items []T, ordering string, def []string, keys map[string]func(T) string) {
	var terms []string
	for _, t := range strings.Split(ordering, ",") {
		t = strings.TrimSpace(t)
		if _, ok := keys[strings.TrimPrefix(t, "-")]; ok && t != "" {
			terms = append(terms, t)
		}
	}
	if len(terms) == 0 {
		terms = def
	}
	sort.SliceStable(items, func(i, j int) bool {
		for _, t := range terms {
			desc := strings.HasPrefix(t, "-")
			f := keys[strings.TrimPrefix(t, "-")]
			a, b := f(items[i]), f(items[j])
			if a == b {
				continue
			}
			if desc {
				return a > b
			}
			return a < b
		}
		return false
	})
}

// searchMatch is DRF's SearchFilter: every whitespace-separated term must be
// a case-insensitive substring of one of the fields.
func searchMatch(search string, fields ...string) bool {
	for _, term := range strings.Fields(search) {
		term = strings.ToLower(term)
		found := false
		for _, f := range fields {
			if strings.Contains(strings.ToLower(f), term) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}
