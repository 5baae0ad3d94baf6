//! What exercise 8.1 renders: a view of the Mandelbrot set, one escape count
//! per pixel. [`View::pixel`] computes one pixel; [`render_sequential`] the
//! whole image on one thread, row by row. A view made with [`View::probed`]
//! also counts its pixels; and at the first pixel of each row it asks rayon
//! to run one job waiting in this worker's own queue (`rayon::yield_local`).
//! On a pool of one worker, a parallel `render` has other pieces of the image
//! waiting there, so that call computes more pixels; a sequential one has
//! none. That is how the tests tell a render cut into rayon jobs from one
//! that only runs on a worker, deterministically and without timing
//! anything.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// A `width` × `height` view of the Mandelbrot set.
#[derive(Debug)]
pub struct View {
    /// Pixels per row.
    pub width: usize,
    /// Rows.
    pub height: usize,
    /// The most iterations per pixel.
    pub max_iterations: u32,
    probe: Option<Probe>,
}

#[derive(Debug, Default)]
struct Probe {
    pixels: AtomicUsize,
    /// A `yield_local` is under way (no second one inside it).
    yielding: AtomicBool,
    /// A `yield_local` at the start of a row ran other pixels of the image:
    /// the image was cut into jobs that waited in the worker's queue.
    other_rows_waited: AtomicBool,
}

impl View {
    /// The whole set, `-2.2 ≤ x ≤ 1.0` and `-1.2 ≤ y ≤ 1.2`, at this size.
    pub fn new(width: usize, height: usize, max_iterations: u32) -> View {
        View {
            width,
            height,
            max_iterations,
            probe: None,
        }
    }

    /// The same view, counting its pixels as they are computed (the tests'
    /// view; the count costs a little time).
    pub fn probed(width: usize, height: usize, max_iterations: u32) -> View {
        View {
            probe: Some(Probe::default()),
            ..View::new(width, height, max_iterations)
        }
    }

    // ANCHOR: pixel
    /// The escape count of pixel (`x`, `y`), `y` counting rows from the top:
    /// how many times `z = z² + c` can run before `|z| > 2`, at most
    /// `max_iterations`. Points inside the set cost the most.
    pub fn pixel(&self, x: usize, y: usize) -> u32 {
        if let Some(probe) = &self.probe {
            probe.pixels.fetch_add(1, Ordering::Relaxed);
            if x == 0
                && !probe.other_rows_waited.load(Ordering::Relaxed)
                && !probe.yielding.swap(true, Ordering::Relaxed)
            {
                let before = probe.pixels.load(Ordering::Relaxed);
                let ran = rayon::yield_local() == Some(rayon::Yield::Executed);
                if ran && probe.pixels.load(Ordering::Relaxed) > before {
                    probe.other_rows_waited.store(true, Ordering::Relaxed);
                }
                probe.yielding.store(false, Ordering::Relaxed);
            }
        }
        let cx = -2.2 + 3.2 * (x as f64 + 0.5) / self.width as f64;
        let cy = 1.2 - 2.4 * (y as f64 + 0.5) / self.height as f64;
        let (mut zx, mut zy) = (0.0f64, 0.0f64);
        let mut n = 0;
        while n < self.max_iterations && zx * zx + zy * zy <= 4.0 {
            (zx, zy) = (zx * zx - zy * zy + cx, 2.0 * zx * zy + cy);
            n += 1;
        }
        n
    }
    // ANCHOR_END: pixel

    /// How many pixels have been computed (a probed view; 0 otherwise).
    pub fn pixels_computed(&self) -> usize {
        self.probe
            .as_ref()
            .map_or(0, |p| p.pixels.load(Ordering::Relaxed))
    }

    /// Whether, at the start of some row, other pixels of the image were
    /// waiting as jobs in the worker's own queue (see the module's docs).
    pub fn other_rows_waited(&self) -> bool {
        self.probe
            .as_ref()
            .is_some_and(|p| p.other_rows_waited.load(Ordering::Relaxed))
    }
}

// ANCHOR: sequential
/// The image on one thread: row by row, pixel by pixel, row-major.
pub fn render_sequential(view: &View) -> Vec<u32> {
    let mut image = Vec::with_capacity(view.width * view.height);
    for y in 0..view.height {
        for x in 0..view.width {
            image.push(view.pixel(x, y));
        }
    }
    image
}
// ANCHOR_END: sequential
