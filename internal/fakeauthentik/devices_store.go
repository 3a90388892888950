package fakeauthentik

import (
	"sort"
	"time"
)

// deviceStore holds the devices of every kind; guarded by Server.mu. Each
// kind is its own table, with its own pk sequence.
type deviceStore struct {
	byKind map[DeviceKind]map[int]*Device
	nextPK map[DeviceKind]int
	create map[DeviceKind]DeviceCreateMode
}

// SetDeviceCreate switches how admin creates of kind are answered.
func (s *Server) SetDeviceCreate(kind DeviceKind, m DeviceCreateMode) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.devices.create == nil {
		s.devices.create = map[DeviceKind]DeviceCreateMode{}
	}
	s.devices.create[kind] = m
}

// EnrollDevice stores d as an enrollment flow would, filling its pk and,
// when zero, its creation time. authentik saves most devices only once
// they are confirmed; Confirmed=false imitates one left over unconfirmed.
func (s *Server) EnrollDevice(d Device) Device {
	s.mu.Lock()
	defer s.mu.Unlock()
	return *s.addDeviceLocked(d)
}

func (s *Server) addDeviceLocked(d Device) *Device {
	if s.devices.byKind == nil {
		s.devices.byKind = map[DeviceKind]map[int]*Device{}
		s.devices.nextPK = map[DeviceKind]int{}
	}
	if s.devices.byKind[d.Kind] == nil {
		s.devices.byKind[d.Kind] = map[int]*Device{}
		s.devices.nextPK[d.Kind] = 1
	}
	if d.Created.IsZero() {
		d.Created = time.Now()
	}
	d.PK = s.devices.nextPK[d.Kind]
	s.devices.nextPK[d.Kind]++
	stored := d
	s.devices.byKind[d.Kind][d.PK] = &stored
	return &stored
}

// Device returns the stored device of kind with this pk.
func (s *Server) Device(kind DeviceKind, pk int) (Device, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if d, ok := s.devices.byKind[kind][pk]; ok {
		return *d, true
	}
	return Device{}, false
}

// Devices returns every stored device of kind, ordered by pk.
func (s *Server) Devices(kind DeviceKind) []Device {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Device, 0, len(s.devices.byKind[kind]))
	for _, d := range s.devices.byKind[kind] {
		out = append(out, *d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].PK < out[j].PK })
	return out
}

// RenameDevice renames a device, as its user would in their settings.
func (s *Server) RenameDevice(kind DeviceKind, pk int, name string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.devices.byKind[kind][pk]
	if ok {
		d.Name, d.updated = name, time.Now()
	}
	return ok
}

// DeleteDevice deletes a device behind the API's back.
func (s *Server) DeleteDevice(kind DeviceKind, pk int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.devices.byKind[kind][pk]
	delete(s.devices.byKind[kind], pk)
	return ok
}

// StaticTokens returns the unused tokens of a user's static devices.
func (s *Server) StaticTokens(userPK int) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, d := range s.devicesOfLocked(DeviceStatic, userPK) {
		out = append(out, d.Tokens...)
	}
	return out
}

// devicesOfLocked returns a user's devices of kind, ordered by pk.
func (s *Server) devicesOfLocked(kind DeviceKind, userPK int) []*Device {
	var out []*Device
	for _, d := range s.devices.byKind[kind] {
		if d.UserPK == userPK {
			out = append(out, d)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].PK < out[j].PK })
	return out
}

// deleteDevicesOfLocked deletes a user's devices of every kind
// (on_delete=CASCADE).
func (s *Server) deleteDevicesOfLocked(userPK int) {
	for _, byPK := range s.devices.byKind {
		for pk, d := range byPK {
			if d.UserPK == userPK {
				delete(byPK, pk)
			}
		}
	}
}
