//! `--sweep … --svg FILE`: speed-up against workers as a plain SVG chart, with
//! the ideal of each job as a dashed line. Hand-written SVG: no scripts, no
//! external fonts or files, so it renders offline and in the book as it is.

use std::fmt::Write as _;

use crate::measure::{SweepReport, Workload};

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 420.0;
const LEFT: f64 = 60.0;
const RIGHT: f64 = 220.0;
const TOP: f64 = 50.0;
const BOTTOM: f64 = 50.0;

/// The series of the chart: job, way, colour.
const SERIES: &[(Workload, &str, &str)] = &[
    (Workload::Io, "std threads", "#1f77b4"),
    (Workload::Io, "rayon", "#17becf"),
    (Workload::Cpu, "std threads", "#d62728"),
    (Workload::Cpu, "rayon", "#ff7f0e"),
];

/// The chart of a sweep, as SVG text.
pub fn svg(report: &SweepReport) -> String {
    let max_w = report.workers.iter().copied().max().unwrap_or(1) as f64;
    let swept: Vec<_> = report
        .rows
        .iter()
        .filter(|r| r.way != "sequential")
        .collect();
    let top = swept
        .iter()
        .map(|r| r.speedup.max(r.ideal))
        .fold(1.0, f64::max);
    // Whole numbers on the axis; a point a hair above one (4.01x) stays below it.
    let top = (top - 0.1).ceil().max(1.0);
    let x = |w: f64| LEFT + w / max_w * (WIDTH - LEFT - RIGHT);
    let y = |s: f64| HEIGHT - BOTTOM - s / top * (HEIGHT - TOP - BOTTOM);
    let (x0, x1, y0, y1) = (x(0.0), x(max_w), y(0.0), y(top));

    let mut out = String::new();
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="12">"#
    );
    let _ = writeln!(
        out,
        r#"<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>"#
    );
    let _ = writeln!(
        out,
        r#"<text x="{}" y="24" text-anchor="middle" font-size="15">Speed-up against workers on a machine with {} logical cores</text>"#,
        WIDTH / 2.0,
        report.cores
    );
    // Axes, grid lines and labels.
    let step = (top / 8.0).ceil().max(1.0);
    let mut s = 0.0;
    while s <= top {
        let _ = writeln!(
            out,
            r##"<line x1="{x0:.1}" y1="{0:.1}" x2="{x1:.1}" y2="{0:.1}" stroke="#e5e5e5"/><text x="{1:.1}" y="{2:.1}" text-anchor="end">{s}x</text>"##,
            y(s),
            x0 - 6.0,
            y(s) + 4.0
        );
        s += step;
    }
    for &w in &report.workers {
        let _ = writeln!(
            out,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">{w}</text>"#,
            x(w as f64),
            y0 + 18.0
        );
    }
    let _ = writeln!(
        out,
        r#"<path d="M{x0:.1},{y1:.1} V{y0:.1} H{x1:.1}" fill="none" stroke="black"/>"#
    );
    let _ = writeln!(
        out,
        r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">workers (threads)</text>"#,
        (x0 + x1) / 2.0,
        HEIGHT - 12.0
    );
    let _ = writeln!(
        out,
        r#"<text x="16" y="{:.1}" text-anchor="middle" transform="rotate(-90 16 {:.1})">speed-up over sequential</text>"#,
        (y0 + y1) / 2.0,
        (y0 + y1) / 2.0
    );

    // One line per series, then the ideals dashed on top; a legend entry for each.
    // rayon's lines are drawn thinner over the threads' wider, paler ones, as
    // the two often coincide.
    let mut legend = Vec::new();
    for &(workload, way, colour) in SERIES {
        let rows: Vec<_> = swept
            .iter()
            .filter(|r| r.workload == workload && r.way == way)
            .collect();
        if rows.is_empty() {
            continue;
        }
        let points: Vec<String> = rows
            .iter()
            .map(|r| format!("{:.1},{:.1}", x(r.threads as f64), y(r.speedup)))
            .collect();
        let (width, opacity) = if way == "rayon" {
            (2.0, 1.0)
        } else {
            (5.0, 0.5)
        };
        let _ = writeln!(
            out,
            r#"<polyline class="series" points="{}" fill="none" stroke="{colour}" stroke-width="{width}" stroke-opacity="{opacity}"/>"#,
            points.join(" ")
        );
        for r in rows {
            let _ = writeln!(
                out,
                r#"<circle cx="{:.1}" cy="{:.1}" r="3.5" fill="{colour}"/>"#,
                x(r.threads as f64),
                y(r.speedup)
            );
        }
        legend.push((
            format!("{}: {way}", workload.label()),
            colour,
            "none",
            width,
            opacity,
        ));
    }
    for workload in [Workload::Io, Workload::Cpu] {
        let rows: Vec<_> = swept
            .iter()
            .filter(|r| r.workload == workload)
            .take(report.workers.len())
            .collect();
        if rows.is_empty() {
            continue;
        }
        let points: Vec<String> = rows
            .iter()
            .map(|r| format!("{:.1},{:.1}", x(r.threads as f64), y(r.ideal)))
            .collect();
        let (label, dash) = match workload {
            Workload::Io => ("ideal for waiting", "6 4"),
            Workload::Cpu => ("ideal for computing", "2 3"),
        };
        let _ = writeln!(
            out,
            r##"<polyline class="ideal" points="{}" fill="none" stroke="#222" stroke-width="1.5" stroke-dasharray="{dash}"/>"##,
            points.join(" ")
        );
        legend.push((label.to_owned(), "#222", dash, 1.5, 1.0));
    }
    for (i, (label, colour, dash, width, opacity)) in legend.iter().enumerate() {
        let ly = TOP + 10.0 + 22.0 * i as f64;
        let lx = WIDTH - RIGHT + 20.0;
        let _ = writeln!(
            out,
            r#"<line x1="{lx:.1}" y1="{ly:.1}" x2="{:.1}" y2="{ly:.1}" stroke="{colour}" stroke-width="{width}" stroke-opacity="{opacity}" stroke-dasharray="{dash}"/><text x="{:.1}" y="{:.1}">{label}</text>"#,
            lx + 28.0,
            lx + 36.0,
            ly + 4.0
        );
    }
    out.push_str("</svg>\n");
    out
}
