//! `--sweep … --svg FILE`: speed-up against workers as a plain SVG chart, with
//! the ideal of each job as a dashed line, drawn by the shared harness's
//! [`LineChart`] (no scripts, no external fonts or files, so it renders
//! offline and in the book as it is). This module says what lab 1 draws.

use lab_support::measure::chart::{LineChart, Series};

use crate::measure::{SweepReport, Workload};

/// The series of the chart: job, way, colour.
const SERIES: &[(Workload, &str, &str)] = &[
    (Workload::Io, "std threads", "#1f77b4"),
    (Workload::Io, "rayon", "#17becf"),
    (Workload::Cpu, "std threads", "#d62728"),
    (Workload::Cpu, "rayon", "#ff7f0e"),
];

/// The chart of a sweep, as SVG text.
pub fn svg(report: &SweepReport) -> String {
    let swept: Vec<_> = report
        .rows
        .iter()
        .filter(|r| r.timed.way != "sequential")
        .collect();
    let mut series = Vec::new();
    // One line per series, then the ideals dashed on top. rayon's lines are
    // drawn thinner over the threads' wider, paler ones, as the two often
    // coincide.
    for &(workload, way, colour) in SERIES {
        let (width, opacity) = if way == "rayon" {
            (2.0, 1.0)
        } else {
            (5.0, 0.5)
        };
        series.push(Series {
            label: format!("{}: {way}", workload.label()),
            colour: colour.to_owned(),
            points: swept
                .iter()
                .filter(|r| r.workload == workload && r.timed.way == way)
                .map(|r| (r.timed.threads as f64, r.timed.speedup))
                .collect(),
            width,
            opacity,
            dash: None,
            class: "series".to_owned(),
            dots: true,
        });
    }
    for workload in [Workload::Io, Workload::Cpu] {
        let (label, dash) = match workload {
            Workload::Io => ("ideal for waiting", "6 4"),
            Workload::Cpu => ("ideal for computing", "2 3"),
        };
        series.push(Series {
            label: label.to_owned(),
            colour: "#222".to_owned(),
            points: swept
                .iter()
                .filter(|r| r.workload == workload)
                .take(report.workers.len())
                .map(|r| (r.timed.threads as f64, r.timed.ideal))
                .collect(),
            width: 1.5,
            opacity: 1.0,
            dash: Some(dash.to_owned()),
            class: "ideal".to_owned(),
            dots: false,
        });
    }
    LineChart {
        title: format!(
            "Speed-up against workers on a machine with {} logical cores",
            report.cores
        ),
        x_label: "workers (threads)".to_owned(),
        y_label: "speed-up over sequential".to_owned(),
        x_ticks: report.workers.iter().map(|&w| w as f64).collect(),
        y_suffix: "x".to_owned(),
        series,
    }
    .svg()
}
