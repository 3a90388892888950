package authentik

import "encoding/json"

// Field is one member of a PATCH body: absent, a value, or an explicit null.
// The zero Field is absent; with the `omitzero` JSON option it is not sent at
// all, which is what lets a PATCH carry only the attributes that changed.
type Field[T any] struct {
	set   bool
	null  bool
	value T
}

// Set returns a Field that sends v.
func Set[T any](v T) Field[T] { return Field[T]{set: true, value: v} }

// Null returns a Field that sends an explicit JSON null.
func Null[T any]() Field[T] { return Field[T]{set: true, null: true} }

// SetOrNull sends *p, or null when p is nil.
func SetOrNull[T any](p *T) Field[T] {
	if p == nil {
		return Null[T]()
	}
	return Set(*p)
}

// IsZero reports whether the field is absent; encoding/json's omitzero uses it.
func (f Field[T]) IsZero() bool { return !f.set }

// IsNull reports whether the field sends an explicit null.
func (f Field[T]) IsNull() bool { return f.set && f.null }

// Value returns the value to send and whether one is set (false for absent or null).
func (f Field[T]) Value() (T, bool) { return f.value, f.set && !f.null }

// MarshalJSON writes the value or null. Absent fields never reach it when the
// struct tag carries omitzero.
func (f Field[T]) MarshalJSON() ([]byte, error) {
	if !f.set || f.null {
		return []byte("null"), nil
	}
	return json.Marshal(f.value)
}
