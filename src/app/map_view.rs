//! The network map: everyone as a node (sized by depth, coloured by stage),
//! introductions, relationships and shared organizations and interests as
//! links. For an app on a folder the graph is built on a job thread (the
//! map keeps showing the previous one meanwhile) and the layout runs on a
//! worker thread; both are kept between frames and across view switches.
//! The graph is rebuilt only when the model changed. This view pans, zooms,
//! explains what is under the pointer, opens a person on click and focuses
//! on someone's two-hop neighbourhood.

mod hint;
mod paint;

use super::person_relations::people_matching;
use super::{Command, ToastKind, ViewCtx, style};
use crate::insight::graph::{EdgeKind, GraphInput, NetworkGraph};
use crate::insight::layout::{Layout, LayoutWorker, Start};
use crate::model::{PersonId, Stage};
use egui::{Pos2, Rect, RichText, Sense, Ui, Vec2};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, TryRecvError};

/// Seed of the layout: the same network gives the same map every time.
const LAYOUT_SEED: u64 = 0x6b69_7468_6d61_7073;
/// In-memory apps (tests, previews) lay out at once, up to this many iterations.
const SYNC_ITERATIONS: u32 = 5_000;
/// How far the focus reaches.
const FOCUS_HOPS: u8 = 2;
/// Zoom limits, in pixels per layout unit.
const MIN_ZOOM: f32 = 0.002;
/// See [`MIN_ZOOM`].
const MAX_ZOOM: f32 = 25.0;

/// Where the map looks: the layout point at the canvas centre and the scale.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Camera {
    center: Vec2,
    zoom: f32,
}

impl Default for Camera {
    fn default() -> Self {
        Self {
            center: Vec2::ZERO,
            zoom: 1.0,
        }
    }
}

impl Camera {
    fn to_screen(self, canvas: Rect, p: [f32; 2]) -> Pos2 {
        canvas.center() + (Vec2::new(p[0], p[1]) - self.center) * self.zoom
    }

    fn to_world(self, canvas: Rect, p: Pos2) -> Vec2 {
        self.center + (p - canvas.center()) / self.zoom
    }
}

/// What the pointer is over.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Hovered {
    Node(u32),
    Edge(u32),
}

/// How the layout runs.
enum Runner {
    /// Not started (no graph yet).
    Idle,
    /// On the worker thread.
    Worker(LayoutWorker),
    /// On the UI thread, a step per frame (the worker could not start).
    Local(Box<Layout>),
}

/// A graph being built on a job thread.
struct PendingGraph {
    /// How many people it will have.
    people: usize,
    receiver: Receiver<NetworkGraph>,
}

/// Figures of the last frame drawn (for tests and the benchmark).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MapFigures {
    /// People drawn.
    pub nodes: usize,
    /// Links drawn, by kind (indexed like [`EdgeKind::ALL`]).
    pub edges: [usize; 4],
    /// Names drawn.
    pub labels: usize,
}

/// The map's state, kept across frames and view switches.
pub struct MapState {
    graph: Arc<NetworkGraph>,
    /// The model revision of the newest graph built or being built.
    built: Option<u64>,
    /// The graph being built on a job thread.
    pending: Option<PendingGraph>,
    /// Graphs built (or started) so far.
    builds: u64,
    /// Moves whenever the graph's shape changes.
    shape: u64,
    /// Layout radius of every node.
    radii: Vec<f32>,
    /// Latest positions, by node.
    positions: Vec<[f32; 2]>,
    /// The (generation, iterations) of `positions`.
    seen: (u64, u32),
    /// The layout has stopped.
    settled: bool,
    runner: Runner,
    /// None: on a worker unless the app is in memory (tests, previews).
    background: Option<bool>,
    camera: Camera,
    /// Fit the view to what is shown (while the layout settles).
    follow: bool,
    /// The user panned or zoomed since the last fit (a resized window
    /// then keeps their view instead of fitting again).
    user_moved: bool,
    /// The canvas size of the last fit.
    fitted_size: Vec2,
    /// Which kinds of link are shown (indexed like [`EdgeKind::ALL`]).
    show: [bool; 4],
    focus: Option<PersonId>,
    /// Hops from the focus; recomputed when `hops_for` changes.
    hops: Vec<u8>,
    hops_for: Option<(PersonId, [bool; 4], u64)>,
    /// Show people outside the focus dimmed instead of hiding them.
    dim_others: bool,
    /// The text typed in the focus picker.
    query: String,
    picker_open: bool,
    /// The node whose context menu is open.
    menu_node: Option<u32>,
    hovered: Option<Hovered>,
    canvas: Rect,
    paint: paint::Buffers,
    figures: MapFigures,
    /// Who could help the focused (else the hovered) person.
    helper_hint: hint::HelperHint,
}

impl Default for MapState {
    fn default() -> Self {
        Self {
            graph: Arc::new(NetworkGraph::default()),
            built: None,
            pending: None,
            builds: 0,
            shape: 0,
            radii: Vec::new(),
            positions: Vec::new(),
            seen: (0, 0),
            settled: true,
            runner: Runner::Idle,
            background: None,
            camera: Camera::default(),
            follow: true,
            user_moved: false,
            fitted_size: Vec2::ZERO,
            show: [true; 4],
            focus: None,
            hops: Vec::new(),
            hops_for: None,
            dim_others: false,
            query: String::new(),
            picker_open: false,
            menu_node: None,
            hovered: None,
            canvas: Rect::NOTHING,
            paint: paint::Buffers::default(),
            figures: MapFigures::default(),
            helper_hint: hint::HelperHint::default(),
        }
    }
}

impl MapState {
    /// Build the graph on a job thread and run the layout on a worker
    /// thread (true), or do both at once on the UI thread (false). By
    /// default in-memory apps (tests, previews) work at once.
    pub fn set_background_layout(&mut self, background: bool) {
        self.background = Some(background);
    }

    /// The layout has stopped moving (and no newer graph is being built).
    pub fn layout_done(&self) -> bool {
        self.settled && self.pending.is_none()
    }

    /// A graph is being built on a job thread.
    pub fn building(&self) -> bool {
        self.pending.is_some()
    }

    /// How many graphs were built or started so far (for tests and the
    /// benchmark: the graph is rebuilt only when the model changed).
    pub fn graph_builds(&self) -> u64 {
        self.builds
    }

    /// Where a person was drawn in the last frame (None: not on the map).
    pub fn screen_position(&self, id: PersonId) -> Option<Pos2> {
        let node = self.graph.node_of(id)?;
        let p = self.positions.get(node as usize)?;
        Some(self.camera.to_screen(self.canvas, *p))
    }

    /// The people the map shows (everyone, or the focus and their two-hop
    /// neighbourhood), in node order.
    pub fn shown_people(&self) -> Vec<PersonId> {
        self.graph
            .nodes
            .iter()
            .enumerate()
            .filter(|(n, _)| self.is_shown(*n))
            .map(|(_, node)| node.id)
            .collect()
    }

    /// Figures of the last frame.
    pub fn figures(&self) -> MapFigures {
        self.figures
    }

    /// Whether a kind of link is shown.
    pub fn showing(&self, kind: EdgeKind) -> bool {
        self.show[kind.index()]
    }

    fn in_focus(&self, node: usize) -> bool {
        self.focus.is_none() || self.hops.get(node).is_some_and(|h| *h != u8::MAX)
    }

    fn is_shown(&self, node: usize) -> bool {
        self.dim_others || self.in_focus(node)
    }

    fn background(&self, view_ctx: &ViewCtx<'_>) -> bool {
        self.background.unwrap_or(view_ctx.data_dir.is_some())
    }

    /// Rebuild the graph when the model changed (on a job thread for an app
    /// on a folder); restart the layout from the current positions when its
    /// shape changed.
    fn sync(&mut self, ui: &Ui, view_ctx: &ViewCtx<'_>, commands: &mut Vec<Command>) {
        if let Some(pending) = &self.pending {
            match pending.receiver.try_recv() {
                Ok(graph) => {
                    self.pending = None;
                    self.install(ui, view_ctx, graph, commands);
                }
                Err(TryRecvError::Empty) => {}
                Err(TryRecvError::Disconnected) => {
                    // Not retried until the model changes again.
                    self.pending = None;
                    commands.push(Command::Notify(
                        ToastKind::Error,
                        "The network map could not be updated: its build stopped.".to_string(),
                    ));
                }
            }
        }
        // One build at a time: a change made meanwhile is built next.
        if self.pending.is_none() && self.built != Some(view_ctx.model_revision) {
            self.built = Some(view_ctx.model_revision);
            self.builds += 1;
            let input = GraphInput::gather(view_ctx.model, view_ctx.insight);
            if self.background(view_ctx) {
                self.build_in_background(ui, view_ctx, input, commands);
            } else {
                self.install(ui, view_ctx, NetworkGraph::from_input(input), commands);
            }
        }
        // Take the newest positions.
        match &mut self.runner {
            Runner::Worker(worker) => {
                if let Some((generation, iterations, done)) =
                    worker.latest(self.seen, &mut self.paint.incoming)
                    && self.paint.incoming.len() == self.graph.nodes.len()
                {
                    std::mem::swap(&mut self.positions, &mut self.paint.incoming);
                    self.seen = (generation, iterations);
                    self.settled = done;
                    self.paint.grid_dirty = true;
                }
            }
            Runner::Local(layout) => {
                if !layout.is_done() {
                    layout.step();
                    self.positions.clear();
                    self.positions.extend_from_slice(layout.positions());
                    self.paint.grid_dirty = true;
                    ui.ctx().request_repaint();
                }
                self.settled = layout.is_done();
            }
            Runner::Idle => {}
        }
        let wanted = self.focus.map(|id| (id, self.show, self.shape));
        if wanted != self.hops_for {
            self.hops_for = wanted;
            match self.focus.and_then(|id| self.graph.node_of(id)) {
                Some(center) => self
                    .graph
                    .hops_from(center, FOCUS_HOPS, self.show, &mut self.hops),
                None => {
                    self.focus = None;
                    self.hops.clear();
                }
            }
        }
    }

    /// Build the graph on a job thread; at once when no thread starts.
    fn build_in_background(
        &mut self,
        ui: &Ui,
        view_ctx: &ViewCtx<'_>,
        input: GraphInput,
        commands: &mut Vec<Command>,
    ) {
        let (sender, receiver) = std::sync::mpsc::channel();
        let people = input.people();
        let ctx = ui.ctx().clone();
        let spawned = std::thread::Builder::new()
            .name("kith-map-graph".into())
            .spawn(move || {
                // The UI may be gone (the app closed): nothing to tell then.
                if sender.send(NetworkGraph::from_input(input)).is_ok() {
                    ctx.request_repaint();
                }
            });
        match spawned {
            Ok(_) => self.pending = Some(PendingGraph { people, receiver }),
            Err(e) => {
                commands.push(Command::Notify(
                    ToastKind::Error,
                    format!("The map updates more slowly: no thread to build it ({e})."),
                ));
                let graph = NetworkGraph::build(view_ctx.model, view_ctx.insight);
                self.install(ui, view_ctx, graph, commands);
            }
        }
    }

    /// Show a newly built graph; the layout goes on from where people are.
    fn install(
        &mut self,
        ui: &Ui,
        view_ctx: &ViewCtx<'_>,
        graph: NetworkGraph,
        commands: &mut Vec<Command>,
    ) {
        self.radii = graph
            .nodes
            .iter()
            .map(|n| style::MAP_NODE_BASE + style::MAP_NODE_PER_DEPTH * n.depth)
            .collect();
        let reshaped = !graph.same_shape(&self.graph) || matches!(self.runner, Runner::Idle);
        let old = std::mem::replace(&mut self.graph, Arc::new(graph));
        if reshaped {
            self.restart(ui, view_ctx, &old, commands);
        }
    }

    fn restart(
        &mut self,
        ui: &Ui,
        view_ctx: &ViewCtx<'_>,
        old: &NetworkGraph,
        commands: &mut Vec<Command>,
    ) {
        self.shape += 1;
        let start: Vec<Start> = self
            .graph
            .nodes
            .iter()
            .map(|n| {
                old.node_of(n.id)
                    .and_then(|i| self.positions.get(i as usize))
                    .copied()
            })
            .collect();
        let mut layout = Layout::new(
            self.graph.nodes.len(),
            self.graph.layout_edges(),
            &start,
            LAYOUT_SEED,
        );
        self.positions.clear();
        self.positions.extend_from_slice(layout.positions());
        self.paint.grid_dirty = true;
        if !self.background(view_ctx) {
            layout.run(SYNC_ITERATIONS);
            self.positions.clear();
            self.positions.extend_from_slice(layout.positions());
            self.settled = true;
            self.runner = Runner::Local(Box::new(layout));
            return;
        }
        self.settled = layout.is_done();
        if let Runner::Worker(worker) = &mut self.runner {
            match worker.start(layout.clone()) {
                Some(_) => return,
                None => self.runner = Runner::Idle,
            }
        }
        let ctx = ui.ctx().clone();
        match LayoutWorker::spawn(move || ctx.request_repaint()) {
            Ok(mut worker) => {
                if worker.start(layout.clone()).is_some() {
                    self.runner = Runner::Worker(worker);
                    return;
                }
                self.runner = Runner::Local(Box::new(layout));
            }
            Err(e) => {
                commands.push(Command::Notify(
                    ToastKind::Error,
                    format!("The map lays out more slowly: no layout thread ({e})."),
                ));
                self.runner = Runner::Local(Box::new(layout));
            }
        }
    }

    /// Fit the camera to the people shown.
    fn fit(&mut self, canvas: Rect) {
        let (mut lo, mut hi) = ([f32::MAX; 2], [f32::MIN; 2]);
        for (n, p) in self.positions.iter().enumerate() {
            if !self.in_focus(n) {
                continue;
            }
            // Positions only: a node's drawn size is clamped in pixels, so
            // its radius in layout units would shrink the fit for nothing.
            for axis in 0..2 {
                lo[axis] = lo[axis].min(p[axis]);
                hi[axis] = hi[axis].max(p[axis]);
            }
        }
        if lo[0] > hi[0] {
            self.camera = Camera::default();
            return;
        }
        let size = Vec2::new(hi[0] - lo[0], hi[1] - lo[1]).max(Vec2::splat(1.0));
        let margin = style::MAP_FIT_MARGIN + style::MAP_NODE_MAX_PX * 0.5;
        let room = (canvas.size() - Vec2::splat(2.0 * margin)).max(Vec2::splat(1.0));
        let zoom = (room.x / size.x)
            .min(room.y / size.y)
            .clamp(MIN_ZOOM, MAX_ZOOM);
        self.camera = Camera {
            center: Vec2::new((lo[0] + hi[0]) * 0.5, (lo[1] + hi[1]) * 0.5),
            zoom,
        };
    }

    fn set_focus(&mut self, id: Option<PersonId>) {
        self.focus = id;
        self.follow = true;
        self.user_moved = false;
    }
}

/// The Map view.
pub fn map_ui(
    ui: &mut Ui,
    view_ctx: &ViewCtx<'_>,
    state: &mut MapState,
    commands: &mut Vec<Command>,
) {
    state.sync(ui, view_ctx, commands);
    controls_ui(ui, view_ctx, state);
    legend_ui(ui, state);
    let hovered = match state.hovered {
        Some(Hovered::Node(n)) => state.graph.nodes.get(n as usize).map(|p| p.id),
        _ => None,
    };
    let target = state.focus.or(hovered);
    state.helper_hint.update(view_ctx, target);
    canvas_ui(ui, state, commands);
}

/// The row of toggles, the focus picker and Reset view (wraps when narrow).
fn controls_ui(ui: &mut Ui, view_ctx: &ViewCtx<'_>, state: &mut MapState) {
    ui.horizontal_wrapped(|ui| {
        ui.label(
            RichText::new("Network map")
                .size(style::TEXT_HEADING)
                .strong(),
        );
        ui.add_space(style::SPACE_M);
        for kind in EdgeKind::ALL {
            let count = state.graph.count(kind);
            ui.checkbox(
                &mut state.show[kind.index()],
                format!("{} ({count})", kind.label()),
            )
            .on_hover_text(kind_help(kind));
        }
    });
    ui.horizontal_wrapped(|ui| {
        let label = ui.label("Focus on");
        let shown = state
            .focus
            .map(|id| view_ctx.model.person_name(id).to_string())
            .unwrap_or_else(|| "Everyone".to_string());
        let mut picked = None;
        let menu = egui::ComboBox::from_id_salt("map_focus")
            .selected_text(shown)
            .width(style::PICKER_WIDTH.min(ui.available_width()))
            .height(style::MENU_HEIGHT)
            .show_ui(ui, |ui| {
                let find_label = ui.label("Find person");
                let find = ui
                    .add(
                        egui::TextEdit::singleline(&mut state.query)
                            .desired_width(style::PICKER_WIDTH),
                    )
                    .labelled_by(find_label.id);
                if !state.picker_open {
                    find.request_focus();
                    state.picker_open = true;
                }
                if ui
                    .selectable_label(state.focus.is_none(), "Everyone")
                    .clicked()
                {
                    picked = Some(None);
                }
                let nobody = PersonId(uuid::Uuid::nil());
                for person in people_matching(view_ctx, &state.query, nobody) {
                    if ui
                        .selectable_label(state.focus == Some(person.id), &person.name)
                        .clicked()
                    {
                        picked = Some(Some(person.id));
                    }
                }
            });
        menu.response.labelled_by(label.id);
        if menu.inner.is_none() {
            state.picker_open = false;
        }
        if let Some(focus) = picked {
            state.set_focus(focus);
            state.query.clear();
        }
        if state.focus.is_some() {
            ui.checkbox(&mut state.dim_others, "Dim the rest instead of hiding");
        }
        if ui
            .button("Reset view")
            .on_hover_text("Everyone, fitted to the window")
            .clicked()
        {
            state.set_focus(None);
        }
        let status = status_text(view_ctx, state);
        ui.label(style::caption_text(ui, &status));
    });
}

/// What the map shows now, in words.
fn status_text(view_ctx: &ViewCtx<'_>, state: &MapState) -> String {
    match state.focus {
        Some(id) => {
            let around = state
                .hops
                .iter()
                .filter(|h| **h != u8::MAX && **h != 0)
                .count();
            format!(
                "Showing {} and {around} {} within two steps",
                view_ctx.model.person_name(id),
                if around == 1 { "person" } else { "people" }
            )
        }
        None if state.graph.nodes.is_empty() && state.pending.is_some() => format!(
            "Building the map of {} people...",
            state.pending.as_ref().map_or(0, |p| p.people)
        ),
        None if !state.settled => format!("Arranging {} people...", state.graph.nodes.len()),
        None => format!(
            "{} people, {} links",
            state.graph.nodes.len(),
            state.graph.edges.len()
        ),
    }
}

fn kind_help(kind: EdgeKind) -> &'static str {
    match kind {
        EdgeKind::Introduction => {
            "Who introduced whom: an arrow points at the person introduced; a line without one joins two people you introduced"
        }
        EdgeKind::Relationship => "Spouses, colleagues, managers... recorded on either person",
        EdgeKind::Organization => {
            "Both in the same group or at the same employer; rarer groups weigh more"
        }
        EdgeKind::Interest => "Shared interests; each person links by their rarest ones",
    }
}

/// What sizes, colours and links mean (collapsible, body text size).
fn legend_ui(ui: &mut Ui, state: &MapState) {
    egui::CollapsingHeader::new("Legend")
        .default_open(ui.available_height() > style::MAP_LEGEND_OPEN_HEIGHT)
        .show(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                ui.label("Colour and shape are the stage:");
                for stage in Stage::ALL {
                    paint::stage_item(ui, stage);
                }
            });
            ui.horizontal_wrapped(|ui| {
                paint::size_item(ui, "Size is the depth of the relationship:");
                ui.label("the stage (Acquaintance smallest, Trust largest) plus how often you have been in touch.");
            });
            ui.horizontal_wrapped(|ui| {
                for kind in EdgeKind::ALL {
                    paint::edge_item(ui, kind, state.show[kind.index()])
                        .on_hover_text(kind_help(kind));
                }
                ui.label(
                    style::caption_text(ui, "Arrows: from the introducer; no arrow: two people you introduced. Thicker: more, rarer things shared."),
                );
            });
        });
}

/// The canvas: pan, zoom, hover, click, right-click menu, then paint.
fn canvas_ui(ui: &mut Ui, state: &mut MapState, commands: &mut Vec<Command>) {
    let size = Vec2::new(
        ui.available_width(),
        ui.available_height().max(style::MAP_MIN_HEIGHT),
    );
    let (canvas, response) = ui.allocate_exact_size(size, Sense::click_and_drag());
    let response = response.on_hover_cursor(egui::CursorIcon::Default);
    state.canvas = canvas;
    if state.follow || (!state.user_moved && state.fitted_size != canvas.size()) {
        state.fit(canvas);
        state.fitted_size = canvas.size();
        // Keep following until a real graph has settled: an empty graph
        // (the first one is still being built) is "settled" at once.
        if state.settled && !state.graph.nodes.is_empty() {
            state.follow = false;
        }
    }
    // Pan and zoom.
    if response.dragged() {
        state.camera.center -= response.drag_delta() / state.camera.zoom;
        state.follow = false;
        state.user_moved = true;
    }
    if let Some(pointer) = response.hover_pos() {
        let (scroll, pinch) = ui.input(|i| (i.smooth_scroll_delta().y, i.zoom_delta()));
        let factor = pinch * (scroll * style::MAP_WHEEL_ZOOM).exp();
        if factor != 1.0 && factor.is_finite() {
            let anchor = state.camera.to_world(canvas, pointer);
            let zoom = (state.camera.zoom * factor).clamp(MIN_ZOOM, MAX_ZOOM);
            state.camera.zoom = zoom;
            state.camera.center = anchor - (pointer - canvas.center()) / zoom;
            state.follow = false;
            state.user_moved = true;
        }
    }
    state.figures = paint::paint(ui, canvas, state);
    // What is under the pointer.
    state.hovered = match response.hover_pos() {
        Some(pointer) if !response.dragged() => paint::hit(state, canvas, pointer),
        _ => None,
    };
    if response.secondary_clicked() {
        state.menu_node = match state.hovered {
            Some(Hovered::Node(node)) => Some(node),
            _ => None,
        };
    }
    if response.clicked()
        && let Some(Hovered::Node(node)) = state.hovered
        && let Some(person) = state.graph.nodes.get(node as usize)
    {
        commands.push(Command::OpenPerson(person.id));
    }
    let graph = state.graph.clone();
    let response = match state.hovered {
        Some(Hovered::Node(node)) => match graph.nodes.get(node as usize) {
            Some(person) => response.on_hover_ui_at_pointer(|ui| {
                ui.label(RichText::new(&person.name).strong());
                ui.label(format!(
                    "{} - {} {}",
                    person.stage.label(),
                    person.interactions,
                    if person.interactions == 1 {
                        "interaction"
                    } else {
                        "interactions"
                    }
                ));
                state.helper_hint.card_ui(ui, person.id);
                ui.label(style::caption_text(
                    ui,
                    "Click to open; right-click to focus",
                ));
            }),
            None => response,
        },
        Some(Hovered::Edge(edge)) => match graph.edges.get(edge as usize) {
            Some(link) => response.on_hover_ui_at_pointer(|ui| {
                ui.label(&link.reason);
                ui.label(style::caption_text(ui, link.kind.label()));
            }),
            None => response,
        },
        None => response,
    };
    response.context_menu(|ui| {
        if let Some(person) = state.menu_node.and_then(|n| graph.nodes.get(n as usize)) {
            ui.label(RichText::new(&person.name).strong());
            if ui.button("Open").clicked() {
                commands.push(Command::OpenPerson(person.id));
                ui.close();
            }
            if ui.button("Focus on this person").clicked() {
                state.set_focus(Some(person.id));
                ui.close();
            }
        }
        if state.focus.is_some() && ui.button("Show everyone").clicked() {
            state.set_focus(None);
            ui.close();
        }
        if ui.button("Reset view").clicked() {
            state.set_focus(None);
            ui.close();
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::photos::PhotoCache;
    use crate::insight::Insight;
    use crate::model::{Model, Person};
    use chrono::NaiveDate;
    use std::time::{Duration, Instant};

    fn model_of(names: &[&str]) -> Model {
        let mut model = Model::default();
        let mut before: Option<PersonId> = None;
        for name in names {
            let person = Person {
                id: PersonId::new_random(),
                name: (*name).into(),
                introduced_by: before,
                ..Default::default()
            };
            before = Some(person.id);
            model.people.insert(person.id, person);
        }
        model
    }

    /// One frame of the map on `model` at the given revisions.
    fn frame(
        ctx: &egui::Context,
        state: &mut MapState,
        model: &Model,
        (revision, model_revision): (u64, u64),
    ) -> Vec<Command> {
        let insight = Insight::build(model);
        let photos = PhotoCache::default();
        let view_ctx = ViewCtx {
            model,
            insight: &insight,
            today: NaiveDate::from_ymd_opt(2026, 11, 22).unwrap_or_default(),
            revision,
            model_revision,
            data_dir: None,
            photos: &photos,
            consent_held: Default::default(),
        };
        let mut commands = Vec::new();
        let input = egui::RawInput {
            screen_rect: Some(Rect::from_min_size(Pos2::ZERO, Vec2::new(800.0, 600.0))),
            ..Default::default()
        };
        let mut output = ctx.run_ui(input, |ui| map_ui(ui, &view_ctx, state, &mut commands));
        output.textures_delta.clear();
        commands
    }

    /// Frames until the graph built on its thread arrived.
    fn until_built(ctx: &egui::Context, state: &mut MapState, model: &Model, at: (u64, u64)) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while state.building() {
            assert!(Instant::now() < deadline, "the graph arrives");
            std::thread::sleep(Duration::from_millis(2));
            frame(ctx, state, model, at);
        }
    }

    #[test]
    fn the_graph_is_rebuilt_only_when_the_model_changed() {
        let ctx = egui::Context::default();
        let mut state = MapState::default();
        let model = model_of(&["Ana Lima", "Ben Ode", "Cy Park"]);
        frame(&ctx, &mut state, &model, (1, 1));
        assert_eq!(state.graph_builds(), 1);
        assert_eq!(state.shown_people().len(), 3);
        // Background introductions arrive: the view revision moves alone.
        frame(&ctx, &mut state, &model, (2, 1));
        frame(&ctx, &mut state, &model, (3, 1));
        assert_eq!(state.graph_builds(), 1, "no rebuild without a model change");
        let more = model_of(&["Ana Lima", "Ben Ode", "Cy Park", "Dee Roy"]);
        frame(&ctx, &mut state, &more, (4, 2));
        assert_eq!(state.graph_builds(), 2);
        assert_eq!(state.shown_people().len(), 4);
    }

    #[test]
    fn a_background_build_keeps_the_previous_map_until_it_arrives() {
        let ctx = egui::Context::default();
        let mut state = MapState::default();
        state.set_background_layout(true);
        let mut model = model_of(&["Ana Lima", "Ben Ode", "Cy Park"]);
        let commands = frame(&ctx, &mut state, &model, (1, 1));
        assert!(commands.is_empty(), "{:?}", commands.len());
        until_built(&ctx, &mut state, &model, (1, 1));
        assert_eq!(state.shown_people().len(), 3);
        let ids = state.shown_people();
        let before: Vec<Pos2> = ids
            .iter()
            .filter_map(|id| state.screen_position(*id))
            .collect();
        assert_eq!(before.len(), 3);
        // A fourth person: the map goes on showing three until the new
        // graph arrives, then everyone.
        let dee = Person {
            id: PersonId::new_random(),
            name: "Dee Roy".into(),
            introduced_by: ids.first().copied(),
            ..Default::default()
        };
        model.people.insert(dee.id, dee.clone());
        frame(&ctx, &mut state, &model, (2, 2));
        assert!(state.building());
        assert_eq!(state.shown_people(), ids, "the previous graph meanwhile");
        until_built(&ctx, &mut state, &model, (2, 2));
        assert_eq!(state.graph_builds(), 2);
        assert_eq!(state.shown_people().len(), 4);
        assert!(state.shown_people().contains(&dee.id));
    }
}
