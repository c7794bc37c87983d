package sandbox

import (
	"fmt"
	"strings"
)

// demoPeople are the sandbox's staff; the demo's sample photos are named
// after them (plus one person no platform knows).
var demoPeople = [][2]string{
	{"Jane", "Doe"}, {"Omar", "Haddad"}, {"Mei", "Tanaka"}, {"Lukas", "Berg"},
	{"Amara", "Okafor"}, {"Diego", "Santos"}, {"Priya", "Raman"}, {"Sven", "Lund"},
	{"Chloe", "Martin"}, {"Kofi", "Mensah"}, {"Ines", "Costa"}, {"Ravi", "Patel"},
}

// DemoRoster returns the default users: first.last@example.com for each of
// the demo people, plus n generated staffNNN@example.com users so benchmarks
// have people to send to.
func DemoRoster() []User { return Roster(200) }

// Roster is the demo people plus n generated users.
func Roster(n int) []User {
	var users []User
	add := func(first, last, email, username string) {
		i := len(users) + 1
		users = append(users, User{
			UUID:     fmt.Sprintf("5b1c%04x-0000-4000-8000-%012x", i, i),
			Email:    email,
			Username: username,
			First:    first,
			Last:     last,
			GUID:     fmt.Sprintf("a1f0%04x-9c3e-4d2b-b7a1-%012x", i, i),
			PersonID: 1000 + i,
			UMIID:    fmt.Sprintf("UMI-%05d", i),
			NetexID:  5000 + i,
		})
	}
	for _, p := range demoPeople {
		user := strings.ToLower(p[0] + "." + p[1])
		add(p[0], p[1], user+"@example.com", user)
	}
	for i := 1; i <= n; i++ {
		user := fmt.Sprintf("staff%03d", i)
		add("Staff", fmt.Sprintf("%03d", i), user+"@example.com", user)
	}
	return users
}
