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
/// The view's image, computed in parallel, one row per piece of work.
pub fn render(view: &View) -> Vec<u32> {
    let mut image = vec![0; view.width * view.height];
    if view.width == 0 {
        return image;
    }
    image
        .par_chunks_mut(view.width)
        .enumerate()
        .for_each(|(y, row)| {
            for (x, pixel) in row.iter_mut().enumerate() {
                *pixel = view.pixel(x, y);
            }
        });
    image
}
// ANCHOR_END: render
