//! Force-directed layout of the network map (Fruchterman-Reingold with a
//! Barnes-Hut quadtree for repulsion and a little gravity), deterministic
//! for a seed, plus a worker thread that runs it off the UI thread and
//! publishes positions.
//!
//! Pure: no egui. Positions are in layout units where [`IDEAL_DISTANCE`] is
//! the rest length of an edge.

use std::sync::mpsc::{Receiver, Sender, TryRecvError, channel};
use std::sync::{Arc, Mutex, PoisonError};

/// Rest length of an edge, in layout units.
pub const IDEAL_DISTANCE: f32 = 50.0;
/// Barnes-Hut accuracy: a cell this small for its distance counts as one body.
const THETA: f32 = 0.9;
/// Pull towards the centre (keeps unconnected people near the rest).
const GRAVITY: f32 = 0.3;
/// The temperature (largest step) falls by this factor every iteration.
const COOLING: f32 = 0.965;
/// The layout stops once its temperature falls below this.
const FROZEN: f32 = IDEAL_DISTANCE * 0.01;
/// The quadtree stops splitting here (many people in one spot).
const MAX_DEPTH: u32 = 24;
/// No cell index.
const NONE: u32 = u32::MAX;

/// One cell of the Barnes-Hut quadtree.
#[derive(Clone, Copy, Debug)]
struct Cell {
    /// Centre of the square.
    center: [f32; 2],
    /// Half its side.
    half: f32,
    /// Number of bodies inside.
    mass: f32,
    /// Sum of their positions.
    sum: [f32; 2],
    /// Child cells by quadrant, or [`NONE`].
    children: [u32; 4],
    /// The body of a leaf, or [`NONE`].
    body: u32,
    /// No children (yet).
    leaf: bool,
}

impl Cell {
    fn new(center: [f32; 2], half: f32) -> Self {
        Self {
            center,
            half,
            mass: 0.0,
            sum: [0.0; 2],
            children: [NONE; 4],
            body: NONE,
            leaf: true,
        }
    }

    fn quadrant(&self, p: [f32; 2]) -> usize {
        usize::from(p[0] >= self.center[0]) + 2 * usize::from(p[1] >= self.center[1])
    }
}

/// A Barnes-Hut quadtree over positions, its buffers kept between builds.
#[derive(Clone, Debug, Default)]
struct QuadTree {
    cells: Vec<Cell>,
    stack: Vec<u32>,
}

impl QuadTree {
    fn build(&mut self, positions: &[[f32; 2]]) {
        self.cells.clear();
        let (mut lo, mut hi) = ([f32::MAX; 2], [f32::MIN; 2]);
        for p in positions {
            for axis in 0..2 {
                lo[axis] = lo[axis].min(p[axis]);
                hi[axis] = hi[axis].max(p[axis]);
            }
        }
        if positions.is_empty() {
            return;
        }
        let center = [(lo[0] + hi[0]) * 0.5, (lo[1] + hi[1]) * 0.5];
        let half = ((hi[0] - lo[0]).max(hi[1] - lo[1]) * 0.5).max(1.0) * 1.001;
        self.cells.push(Cell::new(center, half));
        for (body, p) in positions.iter().enumerate() {
            self.insert(body as u32, *p, positions);
        }
    }

    fn child(&mut self, parent: usize, quadrant: usize, body: u32, p: [f32; 2]) -> u32 {
        let cell = self.cells[parent];
        let half = cell.half * 0.5;
        let dx = if quadrant & 1 == 1 { half } else { -half };
        let dy = if quadrant & 2 == 2 { half } else { -half };
        let mut child = Cell::new([cell.center[0] + dx, cell.center[1] + dy], half);
        child.mass = 1.0;
        child.sum = p;
        child.body = body;
        self.cells.push(child);
        let index = (self.cells.len() - 1) as u32;
        self.cells[parent].children[quadrant] = index;
        index
    }

    fn insert(&mut self, body: u32, p: [f32; 2], positions: &[[f32; 2]]) {
        let mut at = 0usize;
        let mut depth = 0;
        loop {
            let cell = &mut self.cells[at];
            cell.mass += 1.0;
            cell.sum[0] += p[0];
            cell.sum[1] += p[1];
            if cell.leaf {
                if cell.body == NONE {
                    cell.body = body;
                    return;
                }
                if depth >= MAX_DEPTH {
                    // Bodies in one spot: kept as one heavier leaf.
                    return;
                }
                let old = cell.body;
                cell.body = NONE;
                cell.leaf = false;
                let old_p = positions[old as usize];
                let quadrant = self.cells[at].quadrant(old_p);
                self.child(at, quadrant, old, old_p);
            }
            let quadrant = self.cells[at].quadrant(p);
            match self.cells[at].children[quadrant] {
                NONE => {
                    self.child(at, quadrant, body, p);
                    return;
                }
                next => {
                    at = next as usize;
                    depth += 1;
                }
            }
        }
    }

    /// The repulsion on `body` at `p` from every other body (k² / d each).
    fn repulsion(&mut self, body: u32, p: [f32; 2], k2: f32) -> [f32; 2] {
        let mut force = [0.0f32; 2];
        if self.cells.is_empty() {
            return force;
        }
        self.stack.clear();
        self.stack.push(0);
        while let Some(at) = self.stack.pop() {
            let cell = self.cells[at as usize];
            let (mut mass, mut sum) = (cell.mass, cell.sum);
            if cell.leaf && cell.body == body {
                // Leave ourselves out (a leaf may hold others in the same spot).
                mass -= 1.0;
                sum = [sum[0] - p[0], sum[1] - p[1]];
            }
            if mass <= 0.0 {
                continue;
            }
            let com = [sum[0] / mass, sum[1] / mass];
            let (dx, dy) = (p[0] - com[0], p[1] - com[1]);
            let dist2 = dx * dx + dy * dy;
            let far = (2.0 * cell.half) * (2.0 * cell.half) < THETA * THETA * dist2;
            if cell.leaf || far {
                let (dx, dy, dist2) = if dist2 < 1e-4 {
                    // Same spot: push apart along a direction of our own.
                    let angle = body as f32 * 2.399_963;
                    (angle.cos() * 0.01, angle.sin() * 0.01, 1e-4)
                } else {
                    (dx, dy, dist2)
                };
                let scale = k2 * mass / dist2;
                force[0] += dx * scale;
                force[1] += dy * scale;
            } else {
                for child in cell.children {
                    if child != NONE {
                        self.stack.push(child);
                    }
                }
            }
        }
        force
    }
}

/// A small deterministic generator (SplitMix64) for starting positions.
fn splitmix(state: &mut u64) -> f32 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    (z >> 40) as f32 / (1u64 << 24) as f32
}

/// The force-directed layout of one graph.
#[derive(Clone, Debug)]
pub struct Layout {
    positions: Vec<[f32; 2]>,
    displacement: Vec<[f32; 2]>,
    edges: Vec<(u32, u32, f32)>,
    temperature: f32,
    iterations: u32,
    tree: QuadTree,
}

/// Where a node starts: `Some` keeps a position (a restart after an edit).
pub type Start = Option<[f32; 2]>;

impl Layout {
    /// A layout of `nodes` nodes and `edges` (a, b, pull 0..=1). Nodes with
    /// a `start` keep it; the others start near their first placed
    /// neighbour, or on a seeded disc. Deterministic for equal input.
    pub fn new(nodes: usize, edges: Vec<(u32, u32, f32)>, start: &[Start], seed: u64) -> Self {
        let mut state = seed;
        let radius = IDEAL_DISTANCE * (nodes.max(1) as f32).sqrt();
        let mut positions: Vec<Option<[f32; 2]>> = (0..nodes)
            .map(|n| {
                start
                    .get(n)
                    .copied()
                    .flatten()
                    .filter(|p| p[0].is_finite() && p[1].is_finite())
            })
            .collect();
        let kept = positions.iter().filter(|p| p.is_some()).count();
        // New people start beside someone already placed.
        for &(a, b, _) in &edges {
            let (a, b) = (a as usize, b as usize);
            if a >= nodes || b >= nodes {
                continue;
            }
            for (from, to) in [(a, b), (b, a)] {
                if positions[to].is_none()
                    && let Some(p) = positions[from]
                    && kept > 0
                {
                    let angle = splitmix(&mut state) * std::f32::consts::TAU;
                    positions[to] = Some([
                        p[0] + angle.cos() * IDEAL_DISTANCE,
                        p[1] + angle.sin() * IDEAL_DISTANCE,
                    ]);
                }
            }
        }
        let positions: Vec<[f32; 2]> = positions
            .into_iter()
            .map(|p| {
                p.unwrap_or_else(|| {
                    let angle = splitmix(&mut state) * std::f32::consts::TAU;
                    let r = radius * splitmix(&mut state).sqrt();
                    [angle.cos() * r, angle.sin() * r]
                })
            })
            .collect();
        let edges = edges
            .into_iter()
            .filter(|(a, b, _)| (*a as usize) < nodes && (*b as usize) < nodes && a != b)
            .map(|(a, b, w)| {
                (
                    a,
                    b,
                    if w.is_finite() {
                        w.clamp(0.0, 1.0)
                    } else {
                        0.0
                    },
                )
            })
            .collect();
        // A restart from kept positions only settles what changed.
        let share_new = 1.0 - kept as f32 / nodes.max(1) as f32;
        let temperature = (radius * 0.1).max(IDEAL_DISTANCE) * share_new.max(0.15);
        Self {
            displacement: vec![[0.0; 2]; nodes],
            positions,
            edges,
            temperature,
            iterations: 0,
            tree: QuadTree::default(),
        }
    }

    /// Current positions, by node.
    pub fn positions(&self) -> &[[f32; 2]] {
        &self.positions
    }

    /// Iterations run so far.
    pub fn iterations(&self) -> u32 {
        self.iterations
    }

    /// The largest step a node may take now (falls every iteration).
    pub fn temperature(&self) -> f32 {
        self.temperature
    }

    /// The layout has cooled down and stopped moving.
    pub fn is_done(&self) -> bool {
        self.temperature < FROZEN || self.positions.len() < 2
    }

    /// One iteration; returns how far the furthest node moved.
    pub fn step(&mut self) -> f32 {
        if self.is_done() {
            return 0.0;
        }
        let k = IDEAL_DISTANCE;
        let k2 = k * k;
        self.tree.build(&self.positions);
        for (body, p) in self.positions.iter().enumerate() {
            let repulse = self.tree.repulsion(body as u32, *p, k2);
            self.displacement[body] = [repulse[0] - p[0] * GRAVITY, repulse[1] - p[1] * GRAVITY];
        }
        for &(a, b, pull) in &self.edges {
            let (pa, pb) = (self.positions[a as usize], self.positions[b as usize]);
            let (dx, dy) = (pa[0] - pb[0], pa[1] - pb[1]);
            let dist = (dx * dx + dy * dy).sqrt();
            // d² / k along the edge, i.e. (d / k) * (dx, dy).
            let scale = dist / k * pull;
            let (fx, fy) = (dx * scale, dy * scale);
            let da = &mut self.displacement[a as usize];
            da[0] -= fx;
            da[1] -= fy;
            let db = &mut self.displacement[b as usize];
            db[0] += fx;
            db[1] += fy;
        }
        let mut moved = 0.0f32;
        for (p, d) in self.positions.iter_mut().zip(&self.displacement) {
            let length = (d[0] * d[0] + d[1] * d[1]).sqrt();
            if !length.is_finite() || length <= 0.0 {
                continue;
            }
            let step = length.min(self.temperature);
            let next = [p[0] + d[0] / length * step, p[1] + d[1] / length * step];
            if next[0].is_finite() && next[1].is_finite() {
                *p = next;
                moved = moved.max(step);
            }
        }
        self.temperature *= COOLING;
        self.iterations += 1;
        moved
    }

    /// Run until done or `limit` iterations.
    pub fn run(&mut self, limit: u32) {
        for _ in 0..limit {
            if self.is_done() {
                break;
            }
            self.step();
        }
    }
}

/// Positions the worker publishes for the UI.
#[derive(Clone, Debug, Default)]
pub struct Published {
    /// Which layout these belong to (moves with every restart).
    pub generation: u64,
    /// Positions by node.
    pub positions: Vec<[f32; 2]>,
    /// Iterations run.
    pub iterations: u32,
    /// The layout has stopped.
    pub done: bool,
}

/// What the UI tells the worker.
enum Control {
    /// Lay out this graph (replacing the one before).
    Start(u64, Box<Layout>),
}

/// A layout running on its own thread; dropping it stops the thread.
pub struct LayoutWorker {
    sender: Sender<Control>,
    shared: Arc<Mutex<Published>>,
    generation: u64,
}

impl LayoutWorker {
    /// Start the worker; `wake` is called after each published step (to
    /// ask the UI for a frame).
    pub fn spawn(wake: impl Fn() + Send + 'static) -> std::io::Result<Self> {
        let (sender, receiver) = channel();
        let shared = Arc::new(Mutex::new(Published::default()));
        let theirs = shared.clone();
        std::thread::Builder::new()
            .name("kith-map-layout".into())
            .spawn(move || worker_loop(&receiver, &theirs, &wake))?;
        Ok(Self {
            sender,
            shared,
            generation: 0,
        })
    }

    /// Lay out `layout` from where it is; returns its generation. False
    /// when the worker thread has gone (then lay out on the caller's thread).
    pub fn start(&mut self, layout: Layout) -> Option<u64> {
        self.generation += 1;
        self.sender
            .send(Control::Start(self.generation, Box::new(layout)))
            .ok()
            .map(|_| self.generation)
    }

    /// Copy the latest positions into `into` when they are newer than
    /// `seen` (generation, iterations); returns the new state, if any.
    pub fn latest(&self, seen: (u64, u32), into: &mut Vec<[f32; 2]>) -> Option<(u64, u32, bool)> {
        let published = self.shared.lock().unwrap_or_else(PoisonError::into_inner);
        if published.generation != self.generation
            || (published.generation, published.iterations) == seen
        {
            return None;
        }
        into.clear();
        into.extend_from_slice(&published.positions);
        Some((published.generation, published.iterations, published.done))
    }
}

fn worker_loop(receiver: &Receiver<Control>, shared: &Mutex<Published>, wake: &dyn Fn()) {
    let mut current: Option<(u64, Box<Layout>)> = None;
    loop {
        let running = current.as_ref().is_some_and(|(_, l)| !l.is_done());
        let message = if running {
            match receiver.try_recv() {
                Ok(message) => Some(message),
                Err(TryRecvError::Empty) => None,
                Err(TryRecvError::Disconnected) => return,
            }
        } else {
            match receiver.recv() {
                Ok(message) => Some(message),
                Err(_) => return,
            }
        };
        if let Some(Control::Start(generation, layout)) = message {
            current = Some((generation, layout));
        }
        let Some((generation, layout)) = current.as_mut() else {
            continue;
        };
        layout.step();
        {
            let mut published = shared.lock().unwrap_or_else(PoisonError::into_inner);
            published.generation = *generation;
            published.positions.clear();
            published.positions.extend_from_slice(layout.positions());
            published.iterations = layout.iterations();
            published.done = layout.is_done();
        }
        wake();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ring(n: u32) -> Vec<(u32, u32, f32)> {
        (0..n).map(|i| (i, (i + 1) % n, 1.0)).collect()
    }

    #[test]
    fn deterministic_for_a_seed() {
        let mut one = Layout::new(50, ring(50), &[], 7);
        let mut two = Layout::new(50, ring(50), &[], 7);
        one.run(100);
        two.run(100);
        assert_eq!(one.positions(), two.positions());
        let mut other = Layout::new(50, ring(50), &[], 8);
        other.run(100);
        assert_ne!(one.positions(), other.positions());
    }

    #[test]
    fn separates_nodes_and_converges() {
        // Everyone starts in one spot.
        let start = vec![Some([0.0, 0.0]); 40];
        let mut layout = Layout::new(40, ring(40), &start, 1);
        layout.run(2000);
        assert!(
            layout.is_done(),
            "cooled down after {} iterations",
            layout.iterations()
        );
        assert!(layout.iterations() < 400);
        let p = layout.positions();
        let mut closest = f32::MAX;
        for i in 0..p.len() {
            for j in i + 1..p.len() {
                let d = ((p[i][0] - p[j][0]).powi(2) + (p[i][1] - p[j][1]).powi(2)).sqrt();
                closest = closest.min(d);
            }
        }
        assert!(closest > IDEAL_DISTANCE * 0.15, "closest pair {closest}");
        // Linked nodes end up nearer than the average pair.
        let linked: f32 = ring(40)
            .iter()
            .map(|(a, b, _)| {
                let (a, b) = (p[*a as usize], p[*b as usize]);
                ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)).sqrt()
            })
            .sum::<f32>()
            / 40.0;
        let far = ((p[0][0] - p[20][0]).powi(2) + (p[0][1] - p[20][1]).powi(2)).sqrt();
        assert!(linked < far, "linked {linked} vs opposite {far}");
    }

    #[test]
    fn kept_positions_barely_move_on_restart() {
        let mut first = Layout::new(30, ring(30), &[], 3);
        first.run(1000);
        let start: Vec<Start> = first.positions().iter().map(|p| Some(*p)).collect();
        let mut again = Layout::new(31, ring(31), &start, 3);
        assert!(again.temperature() < first.positions().len() as f32 * IDEAL_DISTANCE);
        // The new node starts beside a neighbour, not anywhere.
        let new = again.positions()[30];
        let near = first.positions()[29];
        let d = ((new[0] - near[0]).powi(2) + (new[1] - near[1]).powi(2)).sqrt();
        assert!(d <= IDEAL_DISTANCE * 1.01, "{d}");
        again.run(1000);
        assert!(again.is_done());
    }

    #[test]
    fn worker_publishes_and_finishes() {
        let mut worker = LayoutWorker::spawn(|| {}).expect("thread");
        let generation = worker
            .start(Layout::new(20, ring(20), &[], 5))
            .expect("running");
        let mut positions = Vec::new();
        let mut seen = (0, 0);
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        loop {
            if let Some((g, iterations, done)) = worker.latest(seen, &mut positions) {
                assert_eq!(g, generation);
                seen = (g, iterations);
                if done {
                    break;
                }
            }
            assert!(std::time::Instant::now() < deadline, "layout finished");
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        assert_eq!(positions.len(), 20);
        let mut same = Layout::new(20, ring(20), &[], 5);
        same.run(10_000);
        assert_eq!(
            positions,
            same.positions(),
            "the thread runs the same layout"
        );
    }

    proptest! {
        #[test]
        fn never_nan(
            nodes in 0usize..24,
            edges in proptest::collection::vec((0u32..30, 0u32..30, -2.0f32..3.0), 0..60),
            starts in proptest::collection::vec(proptest::option::of((-1e6f32..1e6, -1e6f32..1e6)), 0..24),
            seed in any::<u64>(),
        ) {
            let start: Vec<Start> = starts.iter().map(|s| s.map(|(x, y)| [x, y])).collect();
            let mut layout = Layout::new(nodes, edges, &start, seed);
            layout.run(300);
            prop_assert_eq!(layout.positions().len(), nodes);
            for p in layout.positions() {
                prop_assert!(p[0].is_finite() && p[1].is_finite(), "{:?}", p);
            }
        }
    }
}
