//! Exercise 8.1: render the Mandelbrot view on rayon's pool.
//!
//! `render` must return the same image as `render_sequential`, row-major
//! (row 0 first, each row from x = 0), and compute every pixel with
//! `view.pixel(x, y)` on one of rayon's workers. Run
//! `cargo test -p lab-08 exercise_8_1` to check it, and
//! `cargo run --release -p lab-08` to see your speed-up.

#[allow(unused_imports)]
use rayon::prelude::*;

use crate::view::View;

// ANCHOR: render
/// The view's image. For now on one thread, as `render_sequential` does it:
/// the right answer, but none of it on rayon's pool. Make it parallel.
pub fn render(view: &View) -> Vec<u32> {
    let mut image = Vec::with_capacity(view.width * view.height);
    for y in 0..view.height {
        for x in 0..view.width {
            image.push(view.pixel(x, y));
        }
    }
    image
}
// ANCHOR_END: render
