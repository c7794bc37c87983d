package preview

import (
	"context"
	"image"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/charmbracelet/x/ansi"

	"headshot/imageprep"
	"headshot/tui/common"
	"headshot/tui/graphics"
	"headshot/upload/journal"
)

// detailRows is how many rows the details take under the images;
// detailCols how wide they are when they sit beside them.
const (
	detailRows = 6  // name, source, crop, output, review, flags
	detailCols = 34 // "JPEG 4032x3024 · 2.5 MB · upright"; longer lines wrap
)

// DefaultDebounce is how long the cursor must rest on a photo before it
// is prepared, so scrolling through a folder does not prepare every photo.
const DefaultDebounce = 60 * time.Millisecond

// Preparer is the part of *imageprep.Preparer the preview uses.
type Preparer interface {
	Preview(ctx context.Context, path string, maxSide int, o imageprep.Options) (*imageprep.Preview, error)
}

// Model is the preview pane. It is a common.Component.
type Model struct {
	common.Common
	prep Preparer
	opts imageprep.Options

	path   string
	manual *image.Rectangle
	id     int // request id: results for older ids are dropped
	cancel context.CancelFunc

	loading string // "preparing...", "decoding HEIC..." while a request runs
	cur     *rendered
	err     error
	cache   *cache
	renders *renderCache

	debounce time.Duration

	corrections *journal.Journal // when set, a saved crop replaces the auto crop

	history []string // past failures of the photo shown, plain text, one per platform
}

// New makes a preview pane preparing photos with prep and opts.
func New(c common.Common, prep Preparer, opts imageprep.Options) *Model {
	if prep == nil {
		prep = imageprep.NewPreparer()
	}
	return &Model{Common: c, prep: prep, opts: opts, cache: newCache(64), renders: newRenderCache(48), debounce: DefaultDebounce}
}

// SetHistory sets the lines shown under the details for the photo's past
// failures (plain, sanitized text such as "Zoom ✗ 2 h ago: HTTP 413");
// nil shows none. The caller sets it for each photo it shows.
func (m *Model) SetHistory(lines []string) { m.history = lines }

// UseCorrections makes the pane show a photo with the crop saved for it
// in j (as uploads will use it) instead of the automatic one.
func (m *Model) UseCorrections(j *journal.Journal) { m.corrections = j }

// SetDebounce changes the rest before preparation (0: prepare at once;
// tests use it).
func (m *Model) SetDebounce(d time.Duration) { m.debounce = d }

// Path is the photo shown (or being prepared).
func (m *Model) Path() string { return m.path }

// Loading is the progress note while a preview is prepared ("" when idle).
func (m *Model) Loading() string { return m.loading }

// Err is the last preparation error for the current photo.
func (m *Model) Err() error { return m.err }

// Current is the prepared preview for the current photo (nil until ready).
func (m *Model) Current() *imageprep.Preview {
	if m.cur == nil {
		return nil
	}
	return m.cur.prev
}

// RequestID is the id of the latest request (results with another id are
// dropped).
func (m *Model) RequestID() int { return m.id }

// Show switches to path with the default crop ("" clears the pane).
func (m *Model) Show(path string) tea.Cmd { return m.ShowCrop(path, nil) }

// ShowCrop switches to path with a manual crop (nil: auto or correction).
// Preparation starts after a short rest so fast scrolling is cheap.
func (m *Model) ShowCrop(path string, manual *image.Rectangle) tea.Cmd {
	if path == m.path && sameRect(manual, m.manual) && (m.cur != nil || m.loading != "") {
		return nil
	}
	samePhoto := path == m.path
	m.path, m.manual = path, manual
	m.id++
	if m.cancel != nil {
		m.cancel()
		m.cancel = nil
	}
	if !samePhoto {
		m.cur, m.err = nil, nil
	}
	if path == "" {
		m.loading = ""
		return nil
	}
	m.loading = loadingText(path)
	id := m.id
	if m.debounce <= 0 {
		return func() tea.Msg { return dueMsg{owner: m, id: id} }
	}
	return tea.Tick(m.debounce, func(time.Time) tea.Msg { return dueMsg{owner: m, id: id} })
}

func sameRect(a, b *image.Rectangle) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// loadingText is the note while preparing: slow formats say so.
func loadingText(path string) string {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".heic", ".heif", ".hif":
		return "decoding HEIC..."
	case ".tif", ".tiff":
		return "decoding TIFF..."
	}
	return "preparing..."
}

// dueMsg says the cursor rested long enough on request id.
type dueMsg struct {
	owner *Model
	id    int
}

// ReadyMsg carries a prepared preview for request ID.
type ReadyMsg struct {
	owner *Model
	ID    int
	Path  string
	r     *rendered
	Err   error
}

// prepare runs the preparation off the update loop.
func (m *Model) prepare() tea.Cmd {
	ctx, cancel := context.WithCancel(context.Background())
	m.cancel = cancel
	id, path, prep, mode, proto, scr := m.id, m.path, m.prep, m.Color, m.Graphics(), m.Gfx
	cols, rows := m.imageBudget()
	o := m.opts
	o.Manual = m.manual
	if o.Manual == nil {
		o.Crop = m.opts.Crop
	} else {
		o.Crop = imageprep.MethodManual
	}
	c, j, rc := m.cache, m.corrections, m.renders
	return func() tea.Msg {
		defer cancel()
		p, err := cachedPreview(ctx, c, prep, path, sourceSide(proto), o, j)
		if err != nil {
			return ReadyMsg{owner: m, ID: id, Path: path, Err: err}
		}
		r := rc.draw(renderKey{p, cols, rows, proto}, func() *rendered { return drawPreview(p, cols, rows, proto, mode, scr) })
		return ReadyMsg{owner: m, ID: id, Path: path, r: r}
	}
}

// sourceSide is the long side of the upright copy asked of the preparer:
// enough for text cells, or for real pixels filling a large terminal.
func sourceSide(p graphics.Protocol) int {
	if p.Pixels() {
		return 1024
	}
	return 256
}

func cachedPreview(ctx context.Context, c *cache, prep Preparer, path string, maxSide int, o imageprep.Options, j *journal.Journal) (*imageprep.Preview, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	k := keyFor(path, st.ModTime().UnixNano(), st.Size(), maxSide, o)
	if p, ok := c.get(k); ok {
		return p, nil
	}
	p, err := prep.Preview(ctx, path, maxSide, o)
	if err != nil {
		return nil, err
	}
	if j != nil && o.Manual == nil && p.Result != nil {
		if corr, ok, err := j.Correction(p.Result.Hash); err == nil && ok && !corr.Crop.Empty() {
			mo := o
			mo.Manual, mo.Crop = &corr.Crop, imageprep.MethodManual
			if mp, err := prep.Preview(ctx, path, maxSide, mo); err == nil {
				p = mp
			}
		}
	}
	c.put(k, p)
	return p, nil
}

// redrawMsg asks for the current preview to be drawn at a new size.
type redrawMsg struct {
	owner *Model
	id    int
	r     *rendered
}

func (m *Model) redraw() tea.Cmd {
	if m.cur == nil || m.cur.prev == nil {
		return nil
	}
	cols, rows := m.imageBudget()
	proto := m.Graphics()
	if cols == m.cur.cols && rows == m.cur.rows && proto == m.cur.proto {
		return nil
	}
	id, p, mode, scr, rc := m.id, m.cur.prev, m.Color, m.Gfx, m.renders
	return func() tea.Msg {
		r := rc.draw(renderKey{p, cols, rows, proto}, func() *rendered { return drawPreview(p, cols, rows, proto, mode, scr) })
		return redrawMsg{owner: m, id: id, r: r}
	}
}

// detailsBeside reports whether the details go to the right of the
// images (a wide, short pane: the 80x24 stacked layout) rather than
// below them.
func (m *Model) detailsBeside() bool {
	_, _, beside := m.budgetFor(m.Width, m.Height)
	return beside
}

// drawsImages reports whether the pane draws pictures at all: real
// pixels, blocks (in characters when the colours cannot draw them) or
// characters; not with none.
func (m *Model) drawsImages() bool {
	p := m.Graphics()
	return p.Pixels() || p.Text() || p == graphics.Chars
}

// imageBudget is the cells available for the images.
func (m *Model) imageBudget() (int, int) {
	cols, rows, _ := m.budgetFor(m.Width, m.Height)
	return cols, rows
}

// budgetFor is the cells a w x h pane gives the images, and whether the
// details go beside them (when that draws the result bigger than with
// the details below).
func (m *Model) budgetFor(w, h int) (cols, rows int, beside bool) {
	bc, br := max(w-detailCols-2, 0), max(h, 0)
	uc, ur := max(w, 0), max(h-detailRows, 0)
	if !m.drawsImages() || h < 3 {
		return uc, ur, false
	}
	if m.sideFor(bc, br) > m.sideFor(uc, ur) {
		return bc, br, true
	}
	return uc, ur, false
}

// sideFor is the result square's side, in the layout's pixels, drawn
// into cols x rows cells (for a square photo).
func (m *Model) sideFor(cols, rows int) int {
	cw, ch, _, _ := cellGeometry(m.Graphics(), m.Gfx)
	return layoutFor(cols, rows, nominalSide, nominalSide, cw, ch).resultSide(cw, ch)
}

// nominalSide is the photo size the pane's layout is chosen for before a
// photo is known (square: the arrangement then suits any portrait).
const nominalSide = 1000

// PictureSide is how big the result square is drawn, in the layout's
// pixels, when the pane is w x h cells (0 when it draws no pictures).
// The browser gives the pane the room that makes it largest.
func (m *Model) PictureSide(w, h int) int {
	if !m.drawsImages() {
		return 0
	}
	cols, rows, _ := m.budgetFor(w, h)
	return m.sideFor(cols, rows)
}

// Init implements common.Component.
func (m *Model) Init() tea.Cmd { return nil }

// Update implements common.Component.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case dueMsg:
		if msg.owner == m && msg.id == m.id && m.path != "" {
			return m.prepare()
		}
	case ReadyMsg:
		if msg.owner != m || msg.ID != m.id {
			return nil // another pane's, or the cursor has moved on
		}
		m.loading = ""
		m.err = msg.Err
		if msg.Err == nil {
			m.cur = msg.r
		} else {
			m.cur = nil
		}
		return m.redraw()
	case redrawMsg:
		if msg.owner == m && msg.id == m.id {
			m.cur = msg.r
		}
	case tea.WindowSizeMsg:
		return m.redraw()
	case common.CorrectionSavedMsg:
		m.cache.dropPath(msg.Path)
		if msg.Path == m.path && m.manual == nil {
			m.id++
			m.loading = loadingText(m.path)
			id := m.id
			return func() tea.Msg { return dueMsg{owner: m, id: id} }
		}
	}
	return nil
}

// SetSize implements common.Component.
func (m *Model) SetSize(w, h int) { m.Common.SetSize(w, h) }

// View implements common.Component.
func (m *Model) View() string {
	if m.Width <= 0 || m.Height <= 0 {
		return ""
	}
	st := m.Styles
	var lines []string
	switch {
	case m.path == "":
		lines = []string{st.Muted.Render("no photo")}
	case m.err != nil:
		lines = []string{st.Err.Render(common.SanitizeN(m.err.Error(), m.Width*2))}
		lines = append(lines, m.historyLines(m.Width)...)
	case m.cur == nil:
		lines = []string{st.Muted.Render(common.SanitizeN(filepath.Base(m.path), 60)), st.Info.Render(m.loading)}
		lines = append(lines, m.historyLines(m.Width)...)
	default:
		imgs := m.images()
		beside := m.detailsBeside() && len(imgs) > 0
		// Details wrap (the review reasons can be long) rather than
		// lose their end.
		dw := m.Width
		if beside {
			dw = m.Width - maxWidth(imgs) - 2
		}
		var details []string
		for _, d := range Details(m.cur.prev.Result) {
			style := st.Muted
			if IsReviewLine(d) {
				style = st.Held
			}
			for _, part := range strings.Split(ansi.Wrap(d, max(dw, 8), ""), "\n") {
				details = append(details, style.Render(part))
			}
		}
		details = append(details, m.historyLines(max(dw, 8))...)
		if m.loading != "" {
			details = append(details, st.Info.Render(m.loading))
		}
		if beside {
			lines = besideLines(imgs, details, m.Width)
		} else {
			lines = append(imgs, details...)
		}
	}
	for i, l := range lines {
		if lipgloss.Width(l) > m.Width {
			lines[i] = common.Truncate(l, m.Width)
		}
	}
	if len(lines) > m.Height {
		lines = lines[:m.Height]
	}
	return strings.Join(lines, "\n")
}

// historyLines are the past failures, in the error colour, each cut to w
// cells.
func (m *Model) historyLines(w int) []string {
	out := make([]string, 0, len(m.history))
	for _, h := range m.history {
		out = append(out, m.Styles.Err.Render(common.Truncate(h, w)))
	}
	return out
}

// images joins the original and the result: side by side, or the result
// under the original.
func (m *Model) images() []string {
	r := m.cur
	if r.origIm != nil && m.Gfx != nil {
		r.orig = m.Gfx.Cells(r.origIm)
		r.result = nil
		if r.resIm != nil {
			r.result = m.Gfx.Cells(r.resIm)
		}
	}
	if len(r.orig) == 0 {
		return nil
	}
	if r.stacked {
		out := append([]string{}, r.orig...)
		if len(r.result) > 0 {
			out = append(out, "")
			out = append(out, r.result...)
		}
		return out
	}
	out := make([]string, max(len(r.orig), len(r.result)))
	for i := range out {
		left := strings.Repeat(" ", r.origW)
		if i < len(r.orig) {
			left = r.orig[i]
		}
		right := ""
		if i < len(r.result) {
			right = r.result[i]
		}
		out[i] = left + "  " + right
	}
	return out
}

// maxWidth is the widest of lines, in cells.
func maxWidth(lines []string) int {
	w := 0
	for _, l := range lines {
		w = max(w, lipgloss.Width(l))
	}
	return w
}

// besideLines puts the details to the right of the images.
func besideLines(imgs, details []string, width int) []string {
	w := maxWidth(imgs)
	n := max(len(imgs), len(details))
	out := make([]string, n)
	for i := range out {
		left := strings.Repeat(" ", w)
		if i < len(imgs) {
			left = imgs[i] + strings.Repeat(" ", w-lipgloss.Width(imgs[i]))
		}
		right := ""
		if i < len(details) {
			right = "  " + details[i]
		}
		out[i] = common.Truncate(left+right, width)
	}
	return out
}

// ShortHelp implements common.Component (the preview has no keys).
func (m *Model) ShortHelp() []key.Binding { return nil }

// FullHelp implements common.Component.
func (m *Model) FullHelp() [][]key.Binding { return nil }
