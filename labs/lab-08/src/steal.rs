//! Work stealing, recorded. A skewed job (item `i` costs `i + 1` units of work, so
//! the last items cost the most) runs twice: split by hand into one equal
//! block per thread, and with rayon's `join` halving the items down to a
//! cut-off. Each run records, for every piece of work, which worker ran it
//! and when it started and ended; [`timeline_svg`] draws both runs, one row
//! per worker.
//!
//! A piece that ran on another worker than the one that split it off was
//! *stolen*: `rayon::join(a, b)` runs `a` at once on the calling worker and
//! leaves `b` in that worker's queue, where an idle worker may take it. The
//! lab compares worker indices rather than asking `rayon::join_context`'s
//! `migrated()`, which is also true when the same worker runs `b` from its
//! own queue while it waits (rayon-core's `job.rs`, `StackJob::execute`).

use std::hint::black_box;
use std::ops::Range;
use std::sync::Mutex;
use std::time::Instant;

use serde::Serialize;

/// One unit of the skewed job's work: a few hundred multiply-adds.
pub fn unit(seed: u64) -> u64 {
    let mut x = seed | 1;
    for _ in 0..200 {
        x = black_box(
            x.wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407),
        );
    }
    x >> 60
}

/// Item `i` of the skewed job: `i + 1` units of work.
pub fn item(i: u64) -> u64 {
    (0..=i).map(|k| unit(i ^ k)).sum()
}

/// The skewed job on one thread: every item of `items`, added up.
pub fn sequential(items: Range<u64>) -> u64 {
    items.map(item).sum()
}

/// One piece of work of a traced run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Span {
    /// The worker that ran it (0 for the first).
    pub worker: usize,
    /// The items it ran.
    pub first: u64,
    /// One past its last item.
    pub end_item: u64,
    /// When it started, in seconds since the run began.
    pub start: f64,
    /// When it ended, in seconds since the run began.
    pub end: f64,
    /// The worker that split it off, when another worker ran it: it was
    /// stolen. Only the first piece of a stolen half says so.
    pub stolen_from: Option<usize>,
}

/// A traced run: its result, its pieces, and its workers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trace {
    /// What the run added up (checked against [`sequential`]).
    pub total: u64,
    /// Every piece of work, in the order they ended.
    pub spans: Vec<Span>,
    /// The workers the run could use.
    pub workers: usize,
    /// How long the whole run took, in seconds.
    pub seconds: f64,
}

impl Trace {
    /// How many pieces were stolen.
    pub fn steals(&self) -> usize {
        self.spans
            .iter()
            .filter(|s| s.stolen_from.is_some())
            .count()
    }

    /// Each worker's busy time / the run's time, worker by worker.
    pub fn busy(&self) -> Vec<f64> {
        let mut busy = vec![0.0; self.workers];
        for s in &self.spans {
            busy[s.worker] += s.end - s.start;
        }
        busy.iter().map(|b| b / self.seconds).collect()
    }
}

/// Records the pieces of one run.
struct Recorder {
    begun: Instant,
    spans: Mutex<Vec<Span>>,
}

impl Recorder {
    fn run(&self, worker: usize, items: Range<u64>, stolen_from: Option<usize>) -> u64 {
        let start = self.begun.elapsed().as_secs_f64();
        let total = sequential(items.clone());
        let end = self.begun.elapsed().as_secs_f64();
        self.spans.lock().unwrap().push(Span {
            worker,
            first: items.start,
            end_item: items.end,
            start,
            end,
            stolen_from,
        });
        total
    }
}

// ANCHOR: split_by_hand
/// The skewed job on `threads` threads, each given one block of equal length
/// up front, run in pieces of `piece` items so that the timeline shows its
/// progress.
pub fn traced_by_hand(items: u64, threads: usize, piece: u64) -> Trace {
    let recorder = Recorder {
        begun: Instant::now(),
        spans: Mutex::new(Vec::new()),
    };
    let total = std::thread::scope(|s| {
        let recorder = &recorder;
        let handles: Vec<_> = (0..threads as u64)
            .map(|t| {
                let block = t * items / threads as u64..(t + 1) * items / threads as u64;
                s.spawn(move || {
                    let mut total = 0;
                    let mut at = block.start;
                    while at < block.end {
                        let next = (at + piece).min(block.end);
                        total += recorder.run(t as usize, at..next, None);
                        at = next;
                    }
                    total
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).sum()
    });
    finish(recorder, total, threads)
}
// ANCHOR_END: split_by_hand

// ANCHOR: split_by_rayon
/// The skewed job on `pool`: halve the items with `rayon::join` until at most
/// `cutoff` are left, then run them on the worker that got them.
pub fn traced_by_rayon(pool: &rayon::ThreadPool, items: u64, cutoff: u64) -> Trace {
    let recorder = Recorder {
        begun: Instant::now(),
        spans: Mutex::new(Vec::new()),
    };
    let total = pool.install(|| halve(&recorder, 0..items, cutoff.max(1), None));
    finish(recorder, total, pool.current_num_threads())
}

/// Divide and conquer: split `items` in two, run both halves (`b` may be
/// stolen), add up. `stolen_from` is set for the first piece of a half that
/// another worker took.
fn halve(recorder: &Recorder, items: Range<u64>, cutoff: u64, stolen_from: Option<usize>) -> u64 {
    let me = rayon::current_thread_index().expect("runs on the pool");
    if items.end - items.start <= cutoff {
        return recorder.run(me, items, stolen_from);
    }
    let mid = items.start + (items.end - items.start) / 2;
    let (a, b) = rayon::join(
        || halve(recorder, items.start..mid, cutoff, stolen_from),
        || {
            let thief = rayon::current_thread_index().expect("runs on the pool");
            let stolen = (thief != me).then_some(me);
            halve(recorder, mid..items.end, cutoff, stolen)
        },
    );
    a + b
}
// ANCHOR_END: split_by_rayon

fn finish(recorder: Recorder, total: u64, workers: usize) -> Trace {
    let seconds = recorder.begun.elapsed().as_secs_f64();
    let mut spans = recorder.spans.into_inner().unwrap();
    spans.sort_by(|a, b| a.end.total_cmp(&b.end));
    Trace {
        total,
        spans,
        workers,
        seconds,
    }
}

/// Colours of the workers' pieces, in turn.
const COLOURS: [&str; 8] = [
    "#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#9c755f",
];

/// Draws traced runs as one SVG: a panel per run, titled, one row per worker,
/// time from left to right on one scale for all panels. A stolen piece has a
/// black outline.
pub fn timeline_svg(runs: &[(&str, &Trace)]) -> String {
    use std::fmt::Write;
    let width = 820.0;
    let left = 170.0;
    let right = 20.0;
    let row = 26.0;
    let gap = 56.0;
    let longest = runs.iter().map(|(_, t)| t.seconds).fold(1e-9, f64::max);
    let scale = (width - left - right) / longest;
    let height: f64 = runs
        .iter()
        .map(|(_, t)| gap + row * t.workers as f64)
        .sum::<f64>()
        + 50.0;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height:.0}" width="{width}" height="{height:.0}" font-family="sans-serif" font-size="12" role="img"><title>Which worker ran which piece of the skewed job, and when</title><rect width="100%" height="100%" fill="white"/>"#
    );
    let mut y = 0.0;
    for (title, trace) in runs {
        y += gap;
        let busy = trace.busy();
        let _ = write!(
            svg,
            r#"<text x="{left}" y="{:.1}" font-size="14" font-weight="bold">{} ({:.3} s, {} stolen)</text>"#,
            y - 12.0,
            escape(title),
            trace.seconds,
            trace.steals()
        );
        for (w, busy) in busy.iter().enumerate() {
            let top = y + row * w as f64;
            let _ = write!(
                svg,
                r##"<text x="{:.1}" y="{:.1}" text-anchor="end">worker {w} ({:.0}% busy)</text><rect x="{left}" y="{:.1}" width="{:.1}" height="{:.1}" fill="#eeeeee"/>"##,
                left - 6.0,
                top + row * 0.65,
                busy * 100.0,
                top + 2.0,
                trace.seconds * scale,
                row - 4.0
            );
        }
        for s in &trace.spans {
            let top = y + row * s.worker as f64;
            let x = left + s.start * scale;
            let w = ((s.end - s.start) * scale).max(0.5);
            let colour = COLOURS[s.worker % COLOURS.len()];
            let outline = if s.stolen_from.is_some() {
                r#" stroke="black" stroke-width="1.5""#
            } else {
                r#" stroke="white" stroke-width="0.5""#
            };
            let _ = write!(
                svg,
                r#"<rect x="{x:.1}" y="{:.1}" width="{w:.1}" height="{:.1}" fill="{colour}"{outline}><title>items {}..{} on worker {}</title></rect>"#,
                top + 2.0,
                row - 4.0,
                s.first,
                s.end_item,
                s.worker
            );
        }
        y += row * trace.workers as f64;
    }
    let _ = write!(
        svg,
        r#"<text x="{left}" y="{:.1}">time → (grey: not running a piece: idle, starting, or in rayon's bookkeeping; outlined: a stolen piece)</text></svg>"#,
        y + 30.0
    );
    svg.push('\n');
    svg
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
