package setup

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"headshot/upload"
)

// A refused credential reads as the hint plus the vendor's own words, not
// the client's hint repeated with the vendor's words cut off.
func TestExplainAuthKeepsTheVendorsWords(t *testing.T) {
	zoom := &upload.Error{Platform: upload.Zoom, Class: upload.ClassAuth, Status: 401,
		Message: "token refused: check the client id and secret (Zoom says: Invalid client_id or client_secret)"}
	want := "Zoom: credentials refused: check the account ID, client ID and client secret (Zoom says: Invalid client_id or client_secret)"
	if got := Explain(upload.Zoom, zoom); got != want {
		t.Errorf("zoom:\n got %q\nwant %q", got, want)
	}
	rh := &upload.Error{Platform: upload.Rhombus, Class: upload.ClassAuth, Status: 401,
		Message: "API key refused: check api_key and auth_scheme (Rhombus says: Invalid (expired) API key)"}
	if got := Explain(upload.Rhombus, rh); got != "Rhombus: credentials refused: check the API key and the auth scheme (Rhombus says: Invalid (expired) API key)" {
		t.Errorf("rhombus: %q", got)
	}
	plain := &upload.Error{Platform: upload.Netex, Class: upload.ClassAuth, Status: 401, Message: "Invalid or missing authentication token"}
	if got := Explain(upload.Netex, plain); got != "Netex learningCloud: credentials refused: check the token (Invalid or missing authentication token)" {
		t.Errorf("netex: %q", got)
	}
}

// A secret shown with ctrl+r is masked again once the cursor leaves it.
func TestRevealedSecretIsMaskedOnLeaving(t *testing.T) {
	m, _ := newModel(t, nil)
	press(m, tea.KeySpace) // Zoom
	press(m, tea.KeyEnter)
	press(m, tea.KeyTab) // client id
	press(m, tea.KeyTab) // client secret
	typeText(m, "hunter2-secret")
	press(m, tea.KeyCtrlR)
	if !strings.Contains(m.View(), "hunter2-secret") {
		t.Fatalf("ctrl+r did not show the secret:\n%s", m.View())
	}
	press(m, tea.KeyTab)
	if v := m.View(); strings.Contains(v, "hunter2-secret") {
		t.Fatalf("secret still readable after leaving the field:\n%s", v)
	}
	press(m, tea.KeyShiftTab)
	if v := m.View(); strings.Contains(v, "hunter2-secret") {
		t.Fatalf("secret readable again on coming back without ctrl+r:\n%s", v)
	}
}
