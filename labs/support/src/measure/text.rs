//! The results as text: columns lined up for reading ([`grid`]), the numbers
//! in their cells ([`seconds`], [`times`], [`percent`], [`two_figures`],
//! [`spread`]), and [`csv`] and [`json`] for other programs. What a table
//! says around its grid is the lab's own.

use serde::Serialize;

/// Lines up `rows` under `header`, two spaces between columns; the columns
/// whose `right` flag is set are aligned to the right (numbers). Each line
/// ends in `\n`, with no spaces before it.
pub fn grid(header: &[&str], rows: &[Vec<String>], right: &[bool]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let header: Vec<String> = header.iter().map(|h| h.to_string()).collect();
    let mut out = String::new();
    for row in std::iter::once(&header).chain(rows) {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            let pad = " ".repeat(widths[i] - cell.chars().count());
            if i > 0 {
                line.push_str("  ");
            }
            if right[i] {
                line.push_str(&pad);
                line.push_str(cell);
            } else {
                line.push_str(cell);
                line.push_str(&pad);
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// A time in seconds, to the millisecond: "1.234 s".
pub fn seconds(s: f64) -> String {
    format!("{s:.3} s")
}

/// A ratio such as a speed-up, to two decimals: "3.97x".
pub fn times(x: f64) -> String {
    format!("{x:.2}x")
}

/// A fraction as a whole percentage: 0.974 gives "97%".
pub fn percent(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

/// A number rounded to two significant figures, for a number that only its
/// first figures mean anything in: 150.09 gives "150", 27.3 "27", 4 "4.0".
pub fn two_figures(x: f64) -> String {
    if !x.is_finite() || x <= 0.0 {
        return format!("{x}");
    }
    let magnitude = x.log10().floor() as i32;
    let step = 10f64.powi(magnitude - 1);
    let rounded = (x / step).round() * step;
    // Rounding may carry into one more figure (99.7 gives 100).
    let magnitude = rounded.log10().floor() as i32;
    let decimals = (1 - magnitude).max(0) as usize;
    format!("{rounded:.decimals$}")
}

/// How far apart a way's fastest and slowest runs were, as a share of its
/// median time `median`; "–" for a way timed only once, which has no spread
/// to show (0% would read as "no noise").
pub fn spread(runs: &[f64], median: f64) -> String {
    if runs.len() < 2 {
        return "–".to_owned();
    }
    let fastest = runs.iter().copied().fold(f64::INFINITY, f64::min);
    let slowest = runs.iter().copied().fold(0.0, f64::max);
    percent((slowest - fastest) / median)
}

/// Comma-separated values: the header line, then one line per row, each
/// ending in `\n`. A cell holding a comma, a double quote or a line break is
/// put in double quotes (its quotes doubled), as RFC 4180 has it; every other
/// cell is written as it is.
pub fn csv(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = String::new();
    csv_line(&mut out, header.iter().copied());
    for row in rows {
        csv_line(&mut out, row.iter().map(String::as_str));
    }
    out
}

/// One line of [`csv`]: `cells`, comma-separated, quoted where need be.
fn csv_line<'a>(out: &mut String, cells: impl Iterator<Item = &'a str>) {
    for (i, cell) in cells.enumerate() {
        if i > 0 {
            out.push(',');
        }
        if cell.contains([',', '"', '\n', '\r']) {
            out.push('"');
            out.push_str(&cell.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(cell);
        }
    }
    out.push('\n');
}

/// Any serializable value (a report) as pretty-printed JSON, with a line
/// break at the end.
pub fn json<T: Serialize>(value: &T) -> String {
    let mut text = serde_json::to_string_pretty(value).expect("a report is always valid JSON");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_figures_rounds_to_two_significant_figures() {
        for (x, expected) in [
            (150.09, "150"),
            (149.25, "150"),
            (27.3, "27"),
            (4.0, "4.0"),
            (99.7, "100"),
            (9.96, "10"),
            (0.0123, "0.012"),
            (0.0, "0"),
            (f64::INFINITY, "inf"),
        ] {
            assert_eq!(two_figures(x), expected, "{x}");
        }
    }

    #[test]
    fn grid_lines_up_columns_left_and_right() {
        let rows = vec![
            vec!["a".to_owned(), "1.5".to_owned(), String::new()],
            vec!["long name".to_owned(), "12.25".to_owned(), "–".to_owned()],
        ];
        assert_eq!(
            grid(&["name", "value", "x"], &rows, &[false, true, false]),
            "name       value  x\n\
             a            1.5\n\
             long name  12.25  –\n"
        );
    }

    #[test]
    fn numbers_in_cells() {
        assert_eq!(seconds(1.23449), "1.234 s");
        assert_eq!(times(3.976), "3.98x");
        assert_eq!(percent(0.974), "97%");
        assert_eq!(spread(&[1.0, 1.2, 1.1], 1.1), "18%");
        assert_eq!(spread(&[1.0], 1.0), "–");
    }

    #[test]
    fn csv_has_a_header_line_then_a_line_per_row() {
        let rows = vec![
            vec!["io".to_owned(), "sequential".to_owned(), "1".to_owned()],
            vec!["cpu".to_owned(), "a, \"b\"".to_owned(), "2".to_owned()],
        ];
        assert_eq!(
            csv(&["workload", "way", "threads"], &rows),
            "workload,way,threads\nio,sequential,1\ncpu,\"a, \"\"b\"\"\",2\n"
        );
        assert_eq!(csv(&["a", "b"], &[]), "a,b\n");
    }

    #[test]
    fn json_is_pretty_with_a_line_break_at_the_end() {
        #[derive(Serialize)]
        struct R {
            a: u32,
        }
        assert_eq!(json(&R { a: 1 }), "{\n  \"a\": 1\n}\n");
    }
}
