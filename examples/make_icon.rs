//! Draw kith's app icon: `cargo run --example make_icon` writes
//! assets/icon-256.png, assets/icon-64.png and assets/icon.svg from one
//! description (a rounded teal square with three people joined as a
//! network, the one they share in amber).

use image::{Rgba, RgbaImage};

/// Background, nodes, links and the accent, as RGB.
const TEAL: [u8; 3] = [0x1f, 0x6f, 0x78];
const WHITE: [u8; 3] = [0xff, 0xff, 0xff];
const AMBER: [u8; 3] = [0xf2, 0xb3, 0x3d];

/// Corner radius of the rounded square, as a share of the side.
const CORNER: f64 = 0.22;
/// Width of a link line.
const LINK: f64 = 0.055;
/// People: centre x, centre y, radius, accent.
const NODES: [(f64, f64, f64, bool); 3] = [
    (0.30, 0.36, 0.115, false),
    (0.70, 0.36, 0.115, false),
    (0.50, 0.70, 0.135, true),
];
/// Links between people (indices into NODES).
const LINKS: [(usize, usize); 3] = [(0, 1), (0, 2), (1, 2)];

/// Samples per pixel side, for smooth edges.
const SUPERSAMPLE: u32 = 4;

fn inside_rounded_square(x: f64, y: f64) -> bool {
    let cx = x.clamp(CORNER, 1.0 - CORNER);
    let cy = y.clamp(CORNER, 1.0 - CORNER);
    (x - cx).powi(2) + (y - cy).powi(2) <= CORNER * CORNER
}

fn distance_to_segment(p: (f64, f64), a: (f64, f64), b: (f64, f64)) -> f64 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let t = (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / (dx * dx + dy * dy)).clamp(0.0, 1.0);
    ((p.0 - a.0 - t * dx).powi(2) + (p.1 - a.1 - t * dy).powi(2)).sqrt()
}

/// The colour at a point of the unit square, or None outside the icon.
fn sample(x: f64, y: f64) -> Option<[u8; 3]> {
    if !inside_rounded_square(x, y) {
        return None;
    }
    for &(nx, ny, r, accent) in &NODES {
        if (x - nx).powi(2) + (y - ny).powi(2) <= r * r {
            return Some(if accent { AMBER } else { WHITE });
        }
    }
    for &(a, b) in &LINKS {
        let (ax, ay, _, _) = NODES[a];
        let (bx, by, _, _) = NODES[b];
        if distance_to_segment((x, y), (ax, ay), (bx, by)) <= LINK / 2.0 {
            return Some(WHITE);
        }
    }
    Some(TEAL)
}

fn render(size: u32) -> RgbaImage {
    let mut image = RgbaImage::new(size, size);
    let n = SUPERSAMPLE;
    for py in 0..size {
        for px in 0..size {
            let (mut r, mut g, mut b, mut covered) = (0u32, 0u32, 0u32, 0u32);
            for sy in 0..n {
                for sx in 0..n {
                    let x =
                        (f64::from(px) + (f64::from(sx) + 0.5) / f64::from(n)) / f64::from(size);
                    let y =
                        (f64::from(py) + (f64::from(sy) + 0.5) / f64::from(n)) / f64::from(size);
                    if let Some(c) = sample(x, y) {
                        r += u32::from(c[0]);
                        g += u32::from(c[1]);
                        b += u32::from(c[2]);
                        covered += 1;
                    }
                }
            }
            if covered > 0 {
                let alpha = covered * 255 / (n * n);
                let pixel = [r / covered, g / covered, b / covered, alpha];
                image.put_pixel(px, py, Rgba(pixel.map(|v| v.min(255) as u8)));
            }
        }
    }
    image
}

fn hex(c: [u8; 3]) -> String {
    format!("#{:02x}{:02x}{:02x}", c[0], c[1], c[2])
}

fn svg() -> String {
    let s = 256.0;
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"256\" height=\"256\" viewBox=\"0 0 256 256\">\n  <title>kith</title>\n  <rect width=\"256\" height=\"256\" rx=\"{:.1}\" fill=\"{}\"/>\n",
        CORNER * s,
        hex(TEAL)
    );
    for &(a, b) in &LINKS {
        let (ax, ay, _, _) = NODES[a];
        let (bx, by, _, _) = NODES[b];
        out.push_str(&format!(
            "  <line x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"{}\" stroke-width=\"{:.1}\"/>\n",
            ax * s,
            ay * s,
            bx * s,
            by * s,
            hex(WHITE),
            LINK * s
        ));
    }
    for &(x, y, r, accent) in &NODES {
        out.push_str(&format!(
            "  <circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"{:.1}\" fill=\"{}\"/>\n",
            x * s,
            y * s,
            r * s,
            hex(if accent { AMBER } else { WHITE })
        ));
    }
    out.push_str("</svg>\n");
    out
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let assets = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets");
    for size in [256, 64] {
        let path = assets.join(format!("icon-{size}.png"));
        render(size).save(&path)?;
        println!("wrote {}", path.display());
    }
    let path = assets.join("icon.svg");
    std::fs::write(&path, svg())?;
    println!("wrote {}", path.display());
    Ok(())
}
