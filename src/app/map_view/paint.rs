//! Painting the map and finding what is under the pointer: culled, level
//! of detail by zoom, two meshes rebuilt into kept buffers every frame, and
//! a uniform grid over the layout for hit-testing.

use super::{Hovered, MapFigures, MapState};
use crate::app::style;
use crate::insight::graph::EdgeKind;
use crate::insight::layout::IDEAL_DISTANCE;
use crate::model::Stage;
use egui::epaint::Mesh;
use egui::{Align2, Color32, FontId, Pos2, Rect, Sense, Shape, Stroke, Ui, Vec2};
use std::sync::Arc;

/// The grid never has more cells than this (larger networks get larger cells).
const MAX_CELLS: usize = 1 << 18;

/// A uniform grid over layout positions: the nodes of each cell, contiguous.
#[derive(Default)]
struct Grid {
    origin: [f32; 2],
    cell: f32,
    cols: usize,
    rows: usize,
    /// Where each cell's nodes start in `items` (one more than cells).
    start: Vec<u32>,
    items: Vec<u32>,
    cursor: Vec<u32>,
    /// Largest node radius, in layout units.
    max_radius: f32,
}

impl Grid {
    fn cell_of(&self, p: [f32; 2]) -> (usize, usize) {
        let x = ((p[0] - self.origin[0]) / self.cell).max(0.0) as usize;
        let y = ((p[1] - self.origin[1]) / self.cell).max(0.0) as usize;
        (x.min(self.cols - 1), y.min(self.rows - 1))
    }

    fn build(&mut self, positions: &[[f32; 2]], radii: &[f32]) {
        let (mut lo, mut hi) = ([f32::MAX; 2], [f32::MIN; 2]);
        for p in positions {
            for axis in 0..2 {
                lo[axis] = lo[axis].min(p[axis]);
                hi[axis] = hi[axis].max(p[axis]);
            }
        }
        self.max_radius = radii.iter().copied().fold(0.0, f32::max);
        if positions.is_empty() {
            lo = [0.0; 2];
            hi = [0.0; 2];
        }
        self.origin = lo;
        self.cell = IDEAL_DISTANCE;
        let (w, h) = ((hi[0] - lo[0]).max(1.0), (hi[1] - lo[1]).max(1.0));
        while (w / self.cell).ceil() * (h / self.cell).ceil() > MAX_CELLS as f32 {
            self.cell *= 2.0;
        }
        self.cols = (w / self.cell).ceil() as usize + 1;
        self.rows = (h / self.cell).ceil() as usize + 1;
        let cells = self.cols * self.rows;
        self.start.clear();
        self.start.resize(cells + 1, 0);
        for p in positions {
            let (x, y) = self.cell_of(*p);
            self.start[y * self.cols + x + 1] += 1;
        }
        for i in 0..cells {
            self.start[i + 1] += self.start[i];
        }
        self.cursor.clear();
        self.cursor.extend_from_slice(&self.start[..cells]);
        self.items.clear();
        self.items.resize(positions.len(), 0);
        for (n, p) in positions.iter().enumerate() {
            let (x, y) = self.cell_of(*p);
            let slot = &mut self.cursor[y * self.cols + x];
            self.items[*slot as usize] = n as u32;
            *slot += 1;
        }
    }

    /// Every node in the cells within `radius` of `p`.
    fn near(&self, p: [f32; 2], radius: f32, mut visit: impl FnMut(u32)) {
        if self.cols == 0 || self.rows == 0 {
            return;
        }
        let (x0, y0) = self.cell_of([p[0] - radius, p[1] - radius]);
        let (x1, y1) = self.cell_of([p[0] + radius, p[1] + radius]);
        for y in y0..=y1 {
            for x in x0..=x1 {
                let cell = y * self.cols + x;
                let (from, to) = (self.start[cell] as usize, self.start[cell + 1] as usize);
                for n in &self.items[from..to] {
                    visit(*n);
                }
            }
        }
    }
}

/// Buffers kept between frames, so drawing allocates nothing once warm.
pub(super) struct Buffers {
    /// Positions arriving from the worker (swapped with the shown ones).
    pub(super) incoming: Vec<[f32; 2]>,
    /// The grid must be rebuilt (positions moved).
    pub(super) grid_dirty: bool,
    grid: Grid,
    nodes: Arc<Mesh>,
    edges: Arc<Mesh>,
    /// An empty mesh held in place of the one being filled.
    spare: Arc<Mesh>,
    /// Edges drawn this frame (for hovering them).
    drawn: Vec<u32>,
    /// Nodes drawn this frame.
    visible: Vec<u32>,
    labels: Vec<u32>,
    /// Where names were placed this frame (a name never covers another).
    placed: Vec<Rect>,
    /// Unit directions for circles of 6, 12, 24 and 48 segments.
    circles: [Vec<Vec2>; 4],
}

impl Default for Buffers {
    fn default() -> Self {
        let circle = |n: usize| {
            (0..n)
                .map(|i| Vec2::angled(i as f32 / n as f32 * std::f32::consts::TAU))
                .collect()
        };
        Self {
            incoming: Vec::new(),
            grid_dirty: true,
            grid: Grid::default(),
            nodes: Arc::new(Mesh::default()),
            edges: Arc::new(Mesh::default()),
            spare: Arc::new(Mesh::default()),
            drawn: Vec::new(),
            visible: Vec::new(),
            labels: Vec::new(),
            placed: Vec::new(),
            circles: [circle(6), circle(12), circle(24), circle(48)],
        }
    }
}

/// A node's radius on screen.
fn screen_radius(state: &MapState, node: usize) -> f32 {
    (state
        .radii
        .get(node)
        .copied()
        .unwrap_or(style::MAP_NODE_BASE)
        * state.camera.zoom)
        .clamp(style::MAP_NODE_MIN_PX, style::MAP_NODE_MAX_PX)
}

/// The circle directions for a radius (more segments when larger).
fn circle_for(circles: &[Vec<Vec2>; 4], r: f32) -> &[Vec2] {
    match r {
        r if r < 3.0 => &circles[0],
        r if r < 10.0 => &circles[1],
        r if r < 30.0 => &circles[2],
        _ => &circles[3],
    }
}

/// A filled convex outline around `center` (offsets in order), its edge
/// feathered by a pixel (anti-aliased) from [`style::MAP_DOT_PX`].
fn fan(mesh: &mut Mesh, center: Pos2, outline: &[Vec2], scale: f32, color: Color32) {
    let n = outline.len() as u32;
    let base = mesh.vertices.len() as u32;
    mesh.colored_vertex(center, color);
    let feather = scale >= style::MAP_DOT_PX;
    for d in outline {
        let out = d.normalized() * if feather { 0.5 } else { 0.0 };
        mesh.colored_vertex(center + *d * scale - out, color);
    }
    if !feather {
        for i in 0..n {
            mesh.add_triangle(base, base + 1 + i, base + 1 + (i + 1) % n);
        }
        return;
    }
    for d in outline {
        mesh.colored_vertex(
            center + *d * scale + d.normalized() * 0.5,
            Color32::TRANSPARENT,
        );
    }
    for i in 0..n {
        let j = (i + 1) % n;
        mesh.add_triangle(base, base + 1 + i, base + 1 + j);
        mesh.add_triangle(base + 1 + i, base + 1 + n + i, base + 1 + j);
        mesh.add_triangle(base + 1 + j, base + 1 + n + i, base + 1 + n + j);
    }
}

/// A filled circle.
fn disc(mesh: &mut Mesh, circles: &[Vec<Vec2>; 4], center: Pos2, r: f32, color: Color32) {
    fan(mesh, center, circle_for(circles, r), r, color);
}

/// Outline of a square, a diamond and a triangle of radius 1 (the shapes
/// of `style::paint_stage_marker`).
const SQUARE: [Vec2; 4] = [
    Vec2::new(-0.85, -0.85),
    Vec2::new(0.85, -0.85),
    Vec2::new(0.85, 0.85),
    Vec2::new(-0.85, 0.85),
];
/// See [`SQUARE`].
const DIAMOND: [Vec2; 4] = [
    Vec2::new(0.0, -1.0),
    Vec2::new(1.0, 0.0),
    Vec2::new(0.0, 1.0),
    Vec2::new(-1.0, 0.0),
];
/// See [`SQUARE`].
const TRIANGLE: [Vec2; 3] = [
    Vec2::new(0.0, -1.0),
    Vec2::new(0.95, 0.7),
    Vec2::new(-0.95, 0.7),
];

/// A stage's marker (circle, square, diamond, triangle, ring), as
/// `style::paint_stage_marker` draws it, into the mesh. Dots smaller
/// than [`style::MAP_DOT_PX`] are squares whatever the stage.
fn marker(
    mesh: &mut Mesh,
    circles: &[Vec<Vec2>; 4],
    center: Pos2,
    r: f32,
    stage: Stage,
    color: Color32,
) {
    if r < style::MAP_DOT_PX {
        fan(mesh, center, &SQUARE, r, color);
        return;
    }
    match stage {
        Stage::Acquaintance => disc(mesh, circles, center, r, color),
        Stage::Know => fan(mesh, center, &SQUARE, r, color),
        Stage::Like => fan(mesh, center, &DIAMOND, r, color),
        Stage::Trust => fan(mesh, center, &TRIANGLE, r * 1.15, color),
        Stage::Dormant => {
            let width = (r * 0.45).max(1.0);
            let dirs = circle_for(circles, r);
            let n = dirs.len() as u32;
            let base = mesh.vertices.len() as u32;
            for d in dirs {
                mesh.colored_vertex(center + *d * (r - width), color);
                mesh.colored_vertex(center + *d * r, color);
            }
            for i in 0..n {
                let j = (i + 1) % n;
                let (a, b, c, e) = (
                    base + 2 * i,
                    base + 2 * i + 1,
                    base + 2 * j,
                    base + 2 * j + 1,
                );
                mesh.add_triangle(a, b, c);
                mesh.add_triangle(b, e, c);
            }
        }
    }
}

/// A straight link of `width` pixels.
fn segment(mesh: &mut Mesh, a: Pos2, b: Pos2, width: f32, color: Color32) {
    let along = (b - a).normalized();
    let side = along.rot90() * (width * 0.5);
    let base = mesh.vertices.len() as u32;
    mesh.colored_vertex(a + side, color);
    mesh.colored_vertex(a - side, color);
    mesh.colored_vertex(b + side, color);
    mesh.colored_vertex(b - side, color);
    mesh.add_triangle(base, base + 1, base + 2);
    mesh.add_triangle(base + 1, base + 3, base + 2);
}

/// An arrow head with its tip at `tip`, pointing along `along`.
fn arrow(mesh: &mut Mesh, tip: Pos2, along: Vec2, color: Color32) {
    let back = tip - along * style::MAP_ARROW_PX;
    let side = along.rot90() * (style::MAP_ARROW_PX * 0.5);
    let base = mesh.vertices.len() as u32;
    mesh.colored_vertex(tip, color);
    mesh.colored_vertex(back + side, color);
    mesh.colored_vertex(back - side, color);
    mesh.add_triangle(base, base + 1, base + 2);
}

/// Draw the map into `canvas`; returns what was drawn.
pub(super) fn paint(ui: &Ui, canvas: Rect, state: &mut MapState) -> MapFigures {
    let painter = ui.painter_at(canvas);
    painter.rect_filled(canvas, 0.0, style::map_background(ui));
    if state.paint.grid_dirty {
        state.paint.grid.build(&state.positions, &state.radii);
        state.paint.grid_dirty = false;
    }
    let graph = state.graph.clone();
    if state.positions.len() != graph.nodes.len() {
        return MapFigures::default();
    }
    let dark = ui.visuals().dark_mode;
    let camera = state.camera;
    let focused = state.focus.is_some();

    // Links: culled, the strongest of each kind first, at most
    // MAP_EDGES_PER_KIND of a kind (thinned when zoomed out).
    let mut per_kind = [0usize; 4];
    // Fewer links when the whole of a large network is on screen.
    let budget = if state.figures.nodes > style::MAP_MANY_NODES {
        style::MAP_EDGES_PER_KIND_FAR
    } else {
        style::MAP_EDGES_PER_KIND
    };
    let clip = canvas.expand(style::MAP_ARROW_PX);
    let mut edges = std::mem::replace(&mut state.paint.edges, state.paint.spare.clone());
    {
        let mesh = Arc::make_mut(&mut edges);
        mesh.clear();
        state.paint.drawn.clear();
        for (n, edge) in graph.edges.iter().enumerate() {
            let kind = edge.kind.index();
            if !state.show[kind] || per_kind[kind] >= budget {
                continue;
            }
            let (a, b) = (edge.a as usize, edge.b as usize);
            let dim = focused && !(state.in_focus(a) && state.in_focus(b));
            if dim && !state.dim_others {
                continue;
            }
            let pa = camera.to_screen(canvas, state.positions[a]);
            let pb = camera.to_screen(canvas, state.positions[b]);
            if !Rect::from_two_pos(pa, pb).intersects(clip) {
                continue;
            }
            let length = (pb - pa).length();
            if length < 0.5 {
                continue;
            }
            let alpha = style::map_edge_alpha(edge.weight) * if dim { style::MAP_DIM } else { 1.0 };
            let color = style::map_edge_color(edge.kind, dark).gamma_multiply(alpha);
            let width = style::MAP_EDGE_MIN_WIDTH
                + (style::MAP_EDGE_WIDTH - style::MAP_EDGE_MIN_WIDTH) * edge.weight;
            segment(mesh, pa, pb, width, color);
            if edge.directed && length >= style::MAP_ARROW_MIN_LENGTH {
                let along = (pb - pa) / length;
                arrow(
                    mesh,
                    pb - along * (screen_radius(state, b) + 1.0),
                    along,
                    color,
                );
            }
            per_kind[kind] += 1;
            state.paint.drawn.push(n as u32);
        }
    }
    painter.add(Shape::Mesh(edges.clone()));
    state.paint.edges = edges;
    if let Some(Hovered::Edge(edge)) = state.hovered
        && let Some(edge) = graph.edges.get(edge as usize)
    {
        let pa = camera.to_screen(canvas, state.positions[edge.a as usize]);
        let pb = camera.to_screen(canvas, state.positions[edge.b as usize]);
        painter.line_segment(
            [pa, pb],
            Stroke::new(
                style::MAP_EDGE_WIDTH * 1.5,
                style::map_edge_color(edge.kind, dark),
            ),
        );
    }

    // People: culled; avatars with initials when large.
    let mut nodes = std::mem::replace(&mut state.paint.nodes, state.paint.spare.clone());
    state.paint.visible.clear();
    {
        let mesh = Arc::make_mut(&mut nodes);
        mesh.clear();
        for (n, node) in graph.nodes.iter().enumerate() {
            let in_focus = state.in_focus(n);
            if !in_focus && !state.dim_others {
                continue;
            }
            let p = camera.to_screen(canvas, state.positions[n]);
            let r = screen_radius(state, n);
            if !canvas.expand(r).contains(p) {
                continue;
            }
            let mut color = style::stage_color(node.stage);
            if !in_focus {
                color = color.gamma_multiply(style::MAP_DIM);
            }
            if in_focus && r >= style::MAP_INITIALS_PX {
                // An avatar in a ring of the stage colour.
                disc(mesh, &state.paint.circles, p, r, color);
                let inner = r * (1.0 - style::MAP_RING_SHARE);
                disc(
                    mesh,
                    &state.paint.circles,
                    p,
                    inner,
                    style::avatar_color(node.id),
                );
            } else {
                marker(mesh, &state.paint.circles, p, r, node.stage, color);
            }
            state.paint.visible.push(n as u32);
        }
    }
    painter.add(Shape::Mesh(nodes.clone()));
    state.paint.nodes = nodes;

    // Names: all of them when few people are on screen, else the largest.
    let few = state.paint.visible.len() <= style::MAP_LABEL_FEW;
    state.paint.labels.clear();
    for &n in &state.paint.visible {
        let n = n as usize;
        if state.in_focus(n) && (few || screen_radius(state, n) >= style::MAP_LABEL_PX) {
            state.paint.labels.push(n as u32);
        }
    }
    if state.paint.labels.len() > style::MAP_LABEL_MAX {
        let radii = &state.radii;
        state
            .paint
            .labels
            .select_nth_unstable_by(style::MAP_LABEL_MAX, |x, y| {
                radii[*y as usize].total_cmp(&radii[*x as usize])
            });
        state.paint.labels.truncate(style::MAP_LABEL_MAX);
    }
    // The largest first: they keep their names where names would collide.
    let radii = &state.radii;
    state.paint.labels.sort_unstable_by(|x, y| {
        radii[*y as usize]
            .total_cmp(&radii[*x as usize])
            .then(x.cmp(y))
    });
    state.paint.placed.clear();
    let text = ui.visuals().strong_text_color();
    let name_font = FontId::proportional(style::TEXT_SMALL);
    for &n in &state.paint.labels {
        let n = n as usize;
        let node = &graph.nodes[n];
        let p = camera.to_screen(canvas, state.positions[n]);
        let r = screen_radius(state, n);
        if r >= style::MAP_INITIALS_PX {
            let size = 2.0 * r * (1.0 - style::MAP_RING_SHARE) * style::AVATAR_TEXT_SCALE;
            painter.text(
                p,
                Align2::CENTER_CENTER,
                &node.initials,
                FontId::proportional(size),
                style::AVATAR_TEXT,
            );
        }
        let galley = painter.layout_no_wrap(node.name.clone(), name_font.clone(), text);
        let rect = Align2::CENTER_TOP
            .anchor_size(p + Vec2::new(0.0, r + style::GRID / 2.0), galley.size());
        if state
            .paint
            .placed
            .iter()
            .any(|other| other.intersects(rect))
        {
            continue;
        }
        state.paint.placed.push(rect);
        painter.galley(rect.min, galley, text);
    }

    // The focus and the person under the pointer.
    let ring = Stroke::new(style::MAP_HIGHLIGHT_WIDTH, text);
    let focus = state.focus.and_then(|id| graph.node_of(id));
    let hovered = match state.hovered {
        Some(Hovered::Node(n)) => Some(n),
        _ => None,
    };
    for n in [focus, hovered].into_iter().flatten() {
        let n = n as usize;
        if n < state.positions.len() {
            let p = camera.to_screen(canvas, state.positions[n]);
            painter.circle_stroke(
                p,
                screen_radius(state, n) + style::MAP_HIGHLIGHT_WIDTH,
                ring,
            );
        }
    }
    // Who could help the focused (else the hovered) person: a soft ring.
    for (helper, _) in state.helper_hint.helpers() {
        if let Some(n) = graph.node_of(*helper).map(|n| n as usize)
            && n < state.positions.len()
            && state.is_shown(n)
        {
            let p = camera.to_screen(canvas, state.positions[n]);
            super::hint::HelperHint::paint_ring(&painter, p, screen_radius(state, n), dark);
        }
    }

    MapFigures {
        nodes: state.paint.visible.len(),
        edges: per_kind,
        labels: state.paint.labels.len(),
    }
}

/// The person, else the link, under the pointer.
pub(super) fn hit(state: &MapState, canvas: Rect, pointer: Pos2) -> Option<Hovered> {
    if state.positions.len() != state.graph.nodes.len() || !canvas.contains(pointer) {
        return None;
    }
    let camera = state.camera;
    let world = camera.to_world(canvas, pointer);
    let largest = (state.paint.grid.max_radius * camera.zoom)
        .clamp(style::MAP_NODE_MIN_PX, style::MAP_NODE_MAX_PX);
    let reach = (largest + style::MAP_HOVER_PX) / camera.zoom;
    let mut best: Option<(f32, u32)> = None;
    state.paint.grid.near([world.x, world.y], reach, |n| {
        if !state.is_shown(n as usize) {
            return;
        }
        let p = camera.to_screen(canvas, state.positions[n as usize]);
        let gap = p.distance(pointer) - screen_radius(state, n as usize);
        if gap <= style::MAP_HOVER_PX && best.is_none_or(|(g, _)| gap < g) {
            best = Some((gap, n));
        }
    });
    if let Some((_, n)) = best {
        return Some(Hovered::Node(n));
    }
    let mut best: Option<(f32, u32)> = None;
    for &n in &state.paint.drawn {
        let Some(edge) = state.graph.edges.get(n as usize) else {
            continue;
        };
        let a = camera.to_screen(canvas, state.positions[edge.a as usize]);
        let b = camera.to_screen(canvas, state.positions[edge.b as usize]);
        let gap = distance_to_segment(pointer, a, b);
        if gap <= style::MAP_HOVER_PX && best.is_none_or(|(g, _)| gap < g) {
            best = Some((gap, n));
        }
    }
    best.map(|(_, n)| Hovered::Edge(n))
}

fn distance_to_segment(p: Pos2, a: Pos2, b: Pos2) -> f32 {
    let ab = b - a;
    let length2 = ab.length_sq();
    if length2 <= f32::EPSILON {
        return p.distance(a);
    }
    let t = ((p - a).dot(ab) / length2).clamp(0.0, 1.0);
    p.distance(a + ab * t)
}

/// One legend entry: a swatch painted by `swatch` in a box `swatch_width`
/// wide, then `text`; one widget, so a wrapping row never splits it.
fn legend_item(
    ui: &mut Ui,
    swatch_width: f32,
    text: &str,
    swatch: impl FnOnce(&egui::Painter, Rect),
) -> egui::Response {
    let color = ui.visuals().text_color();
    let galley = ui.painter().layout_no_wrap(
        text.to_string(),
        FontId::proportional(style::TEXT_BODY),
        color,
    );
    let size = Vec2::new(
        swatch_width + style::GRID + galley.size().x,
        galley.size().y.max(style::MAP_SWATCH),
    );
    let (rect, response) = ui.allocate_exact_size(size, Sense::hover());
    let swatch_rect = Rect::from_min_size(
        Pos2::new(rect.left(), rect.center().y - style::MAP_SWATCH / 2.0),
        Vec2::new(swatch_width, style::MAP_SWATCH),
    );
    swatch(ui.painter(), swatch_rect);
    let text_at = Pos2::new(
        swatch_rect.right() + style::GRID,
        rect.center().y - galley.size().y / 2.0,
    );
    ui.painter().galley(text_at, galley, color);
    response
}

/// A stage's marker and name in the legend.
pub(super) fn stage_item(ui: &mut Ui, stage: Stage) {
    legend_item(ui, style::MAP_SWATCH, stage.label(), |painter, rect| {
        style::paint_stage_marker(painter, rect.center(), style::MAP_SWATCH * 0.4, stage);
    });
}

/// Three dots of growing size (size is depth) in the legend.
pub(super) fn size_item(ui: &mut Ui, text: &str) {
    let color = ui.visuals().weak_text_color();
    legend_item(ui, style::MAP_SWATCH * 3.0, text, |painter, rect| {
        for (i, share) in [0.2f32, 0.32, 0.48].into_iter().enumerate() {
            let x = rect.left() + style::MAP_SWATCH * (0.5 + i as f32);
            painter.circle_filled(
                Pos2::new(x, rect.center().y),
                style::MAP_SWATCH * share,
                color,
            );
        }
    });
}

/// A link's line (and arrow for introductions) and its name in the
/// legend; faint when that kind is hidden.
pub(super) fn edge_item(ui: &mut Ui, kind: EdgeKind, shown: bool) -> egui::Response {
    let mut color = style::map_edge_color(kind, ui.visuals().dark_mode);
    if !shown {
        color = color.gamma_multiply(style::MAP_DIM * 2.0);
    }
    legend_item(
        ui,
        style::MAP_SWATCH * 2.0,
        kind.label(),
        |painter, rect| {
            let (a, b) = (rect.left_center(), rect.right_center());
            painter.line_segment([a, b], Stroke::new(style::MAP_EDGE_WIDTH, color));
            if kind == EdgeKind::Introduction {
                let mut mesh = Mesh::default();
                arrow(&mut mesh, b, Vec2::X, color);
                painter.add(Shape::mesh(mesh));
            }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_finds_nearby_nodes() {
        let positions: Vec<[f32; 2]> = (0..100)
            .map(|i| [(i % 10) as f32 * 50.0, (i / 10) as f32 * 50.0])
            .collect();
        let mut grid = Grid::default();
        grid.build(&positions, &vec![5.0; 100]);
        let mut found = Vec::new();
        grid.near([100.0, 100.0], 10.0, |n| found.push(n));
        assert!(found.contains(&22), "{found:?}");
        assert!(!found.contains(&99));
        assert_eq!(grid.items.len(), 100);
    }

    #[test]
    fn segment_distance() {
        let d = distance_to_segment(Pos2::new(5.0, 3.0), Pos2::ZERO, Pos2::new(10.0, 0.0));
        assert!((d - 3.0).abs() < 1e-5);
        let d = distance_to_segment(Pos2::new(-4.0, 3.0), Pos2::ZERO, Pos2::new(10.0, 0.0));
        assert!((d - 5.0).abs() < 1e-5);
    }
}
