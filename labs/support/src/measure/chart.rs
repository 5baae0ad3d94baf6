//! Line charts as hand-written SVG ([`LineChart::svg`]): no scripts, no
//! external fonts or files, so a chart renders offline and in the book as it
//! is. The plot sits on the left, the legend on the right; the y axis starts
//! at 0 and gets whole-number labels, its top worked out from the data.

use std::borrow::Cow;
use std::fmt::Write as _;

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 420.0;
const LEFT: f64 = 60.0;
const RIGHT: f64 = 220.0;
const TOP: f64 = 50.0;
const BOTTOM: f64 = 50.0;

/// A line chart as plain SVG (no scripts, no external fonts or files: it must
/// render offline).
#[derive(Debug, Clone, PartialEq)]
pub struct LineChart {
    /// The line above the plot.
    pub title: String,
    /// What the x axis counts, under it.
    pub x_label: String,
    /// What the y axis measures, along it.
    pub y_label: String,
    /// Where the x axis gets a label; the x axis runs from 0 to the largest
    /// tick (to 1 if there is none above 0).
    pub x_ticks: Vec<f64>,
    /// After every label of the y axis: "x" for speed-ups, "" for counts.
    pub y_suffix: String,
    /// The lines, drawn in this order (a later one on top of an earlier one),
    /// each with an entry in the legend; a series with no points is left out.
    pub series: Vec<Series>,
}

/// One line of a [`LineChart`].
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Its entry in the legend.
    pub label: String,
    /// Its colour, as SVG takes it: "#1f77b4".
    pub colour: String,
    /// Its points, (x, y), in the order the line joins them.
    pub points: Vec<(f64, f64)>,
    /// The line's width.
    pub width: f64,
    /// The line's opacity, from 0 to 1.
    pub opacity: f64,
    /// A dash pattern, as SVG's `stroke-dasharray` takes it ("6 4"), or
    /// `None` for a solid line. A dashed line of opacity 1 is written without
    /// a `stroke-opacity` (1 is SVG's default).
    pub dash: Option<String>,
    /// The line's `class` attribute, for whoever reads the SVG back (lab 1:
    /// "series" or "ideal").
    pub class: String,
    /// Whether each point also gets a dot.
    pub dots: bool,
}

/// `text` with the characters that SVG (XML) gives a meaning escaped, for
/// text content and attribute values alike.
fn escape(text: &str) -> Cow<'_, str> {
    if !text.contains(['&', '<', '>', '"']) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// The smallest of 1, 2, 5, 10, 20, 50, … that is at least `raw`.
fn nice_step(raw: f64) -> f64 {
    let mut power = 1.0;
    loop {
        for m in [1.0, 2.0, 5.0] {
            if m * power >= raw {
                return m * power;
            }
        }
        power *= 10.0;
    }
}

impl LineChart {
    /// The chart as SVG text. The y axis runs from 0 to the largest y of any
    /// point (at least 1), rounded up to a whole number (a point a hair above
    /// one, 4.01, stays below it: it is rounded from 0.1 under) and then to a
    /// multiple of the step; it gets a label and a grid line at every
    /// multiple of the step: 1, 2 or 5 times a power of ten, the smallest
    /// such that there are at most eight above 0.
    pub fn svg(&self) -> String {
        let max_x = self
            .x_ticks
            .iter()
            .copied()
            .fold(f64::NEG_INFINITY, f64::max);
        let max_x = if max_x > 0.0 { max_x } else { 1.0 };
        let drawn: Vec<&Series> = self
            .series
            .iter()
            .filter(|s| !s.points.is_empty())
            .collect();
        let top = drawn
            .iter()
            .flat_map(|s| s.points.iter().map(|&(_, y)| y))
            .fold(1.0, f64::max);
        // Whole numbers on the axis; a point a hair above one (4.01) stays below it.
        let top = (top - 0.1).ceil().max(1.0);
        let step = nice_step(top / 8.0);
        // The axis ends at a labelled line.
        let top = (top / step).ceil() * step;
        let x = |v: f64| LEFT + v / max_x * (WIDTH - LEFT - RIGHT);
        let y = |v: f64| HEIGHT - BOTTOM - v / top * (HEIGHT - TOP - BOTTOM);
        let (x0, x1, y0, y1) = (x(0.0), x(max_x), y(0.0), y(top));

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
            r#"<text x="{}" y="24" text-anchor="middle" font-size="15">{}</text>"#,
            WIDTH / 2.0,
            escape(&self.title)
        );
        // Axes, grid lines and labels.
        let suffix = escape(&self.y_suffix);
        let mut s = 0.0;
        while s <= top {
            let _ = writeln!(
                out,
                r##"<line x1="{x0:.1}" y1="{0:.1}" x2="{x1:.1}" y2="{0:.1}" stroke="#e5e5e5"/><text x="{1:.1}" y="{2:.1}" text-anchor="end">{s}{suffix}</text>"##,
                y(s),
                x0 - 6.0,
                y(s) + 4.0
            );
            s += step;
        }
        for &tick in &self.x_ticks {
            let _ = writeln!(
                out,
                r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">{tick}</text>"#,
                x(tick),
                y0 + 18.0
            );
        }
        let _ = writeln!(
            out,
            r#"<path d="M{x0:.1},{y1:.1} V{y0:.1} H{x1:.1}" fill="none" stroke="black"/>"#
        );
        let _ = writeln!(
            out,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
            (x0 + x1) / 2.0,
            HEIGHT - 12.0,
            escape(&self.x_label)
        );
        let _ = writeln!(
            out,
            r#"<text x="16" y="{:.1}" text-anchor="middle" transform="rotate(-90 16 {:.1})">{}</text>"#,
            (y0 + y1) / 2.0,
            (y0 + y1) / 2.0,
            escape(&self.y_label)
        );

        // One line per series, its dots, then the legend.
        for series in &drawn {
            let points: Vec<String> = series
                .points
                .iter()
                .map(|&(px, py)| format!("{:.1},{:.1}", x(px), y(py)))
                .collect();
            let mut stroke = String::new();
            if series.dash.is_none() || series.opacity != 1.0 {
                let _ = write!(stroke, r#" stroke-opacity="{}""#, series.opacity);
            }
            if let Some(dash) = &series.dash {
                let _ = write!(stroke, r#" stroke-dasharray="{}""#, escape(dash));
            }
            let colour = escape(&series.colour);
            let _ = writeln!(
                out,
                r#"<polyline class="{}" points="{}" fill="none" stroke="{colour}" stroke-width="{}"{stroke}/>"#,
                escape(&series.class),
                points.join(" "),
                series.width
            );
            if series.dots {
                for &(px, py) in &series.points {
                    let _ = writeln!(
                        out,
                        r#"<circle cx="{:.1}" cy="{:.1}" r="3.5" fill="{colour}"/>"#,
                        x(px),
                        y(py)
                    );
                }
            }
        }
        for (i, series) in drawn.iter().enumerate() {
            let ly = TOP + 10.0 + 22.0 * i as f64;
            let lx = WIDTH - RIGHT + 20.0;
            let _ = writeln!(
                out,
                r#"<line x1="{lx:.1}" y1="{ly:.1}" x2="{:.1}" y2="{ly:.1}" stroke="{}" stroke-width="{}" stroke-opacity="{}" stroke-dasharray="{}"/><text x="{:.1}" y="{:.1}">{}</text>"#,
                lx + 28.0,
                escape(&series.colour),
                series.width,
                series.opacity,
                escape(series.dash.as_deref().unwrap_or("none")),
                lx + 36.0,
                ly + 4.0,
                escape(&series.label)
            );
        }
        out.push_str("</svg>\n");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(label: &str, points: Vec<(f64, f64)>, dash: Option<&str>) -> Series {
        Series {
            label: label.to_owned(),
            colour: "#1f77b4".to_owned(),
            points,
            width: 2.0,
            opacity: 1.0,
            dash: dash.map(str::to_owned),
            class: if dash.is_some() { "ideal" } else { "series" }.to_owned(),
            dots: dash.is_none(),
        }
    }

    fn chart() -> LineChart {
        LineChart {
            title: "Items per second <by capacity> & more".to_owned(),
            x_label: "capacity".to_owned(),
            y_label: "items".to_owned(),
            x_ticks: vec![1.0, 2.0, 4.0],
            y_suffix: String::new(),
            series: vec![
                series("measured", vec![(1.0, 3.0), (2.0, 9.5), (4.0, 17.2)], None),
                series("nothing", Vec::new(), None),
                series("ideal", vec![(1.0, 1.0), (4.0, 4.0)], Some("6 4")),
            ],
        }
    }

    #[test]
    fn a_chart_is_self_contained_svg() {
        let svg = chart().svg();
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.ends_with("</svg>\n"));
        assert_eq!(svg.matches("http").count(), 1, "no reference but the xmlns");
        for banned in ["<script", "@import", "url(", "href", "<image", "font-face"] {
            assert!(!svg.contains(banned), "the SVG must not contain {banned}");
        }
        assert_eq!(svg.matches('<').count(), svg.matches('>').count());
        assert_eq!(svg.matches("<text").count(), svg.matches("</text>").count());
        assert!(svg.contains("Items per second &lt;by capacity&gt; &amp; more"));
    }

    #[test]
    fn a_chart_draws_each_series_with_points_and_a_legend_entry_for_it() {
        let svg = chart().svg();
        assert_eq!(svg.matches("<polyline class=\"series\"").count(), 1);
        assert_eq!(svg.matches("<polyline class=\"ideal\"").count(), 1);
        assert_eq!(svg.matches("<circle").count(), 3, "dots on one series");
        assert!(
            !svg.contains("nothing"),
            "a series with no points is left out"
        );
        assert!(svg.contains(r#"stroke-width="2" stroke-opacity="1"/>"#));
        assert!(svg.contains(r#"stroke-width="2" stroke-dasharray="6 4"/>"#));
        assert!(svg.contains(r#"stroke-opacity="1" stroke-dasharray="none"/><text"#));
        assert!(svg.contains(">measured</text>") && svg.contains(">ideal</text>"));
    }

    /// The largest y, 17.2, is rounded up to 18, then to 20: a step of 5 is
    /// the smallest of 1, 2, 5, 10… that gives at most eight grid lines above
    /// 0; the x labels are the ticks.
    #[test]
    fn the_y_axis_has_whole_number_labels_up_to_the_data() {
        let svg = chart().svg();
        let labels: Vec<&str> = svg
            .lines()
            .filter(|l| l.contains(r#"text-anchor="end">"#))
            .map(|l| l.rsplit_once("\">").unwrap().1.trim_end_matches("</text>"))
            .collect();
        assert_eq!(labels, ["0", "5", "10", "15", "20"]);
        let mut with_suffix = chart();
        with_suffix.y_suffix = "x".to_owned();
        with_suffix.series[0].points = vec![(1.0, 4.01)];
        let svg = with_suffix.svg();
        assert!(
            svg.contains(">4x</text>") && !svg.contains(">5x</text>"),
            "{svg}"
        );
        let mut counts = chart();
        counts.series[0].points = vec![(1.0, 19_820.0)];
        let svg = counts.svg();
        assert!(
            svg.contains(">15000</text>") && svg.contains(">20000</text>"),
            "{svg}"
        );
        for tick in ["1", "2", "4"] {
            assert!(svg.contains(&format!(r#"text-anchor="middle">{tick}</text>"#)));
        }
    }
}
