//! The tests of exercise 8.1 (your file: labs/lab-08/exercises/mandelbrot.rs).

use lab_08::mandelbrot::render;
use lab_08::view::{View, render_sequential};
use lab_support::exercise;

use crate::pool;

#[test]
fn exercise_8_1_the_same_image_as_render_sequential() {
    exercise!("8.1").run(|| {
        for (w, h) in [(1, 1), (7, 3), (3, 7), (64, 48)] {
            let view = View::new(w, h, 200);
            assert_eq!(
                pool(2).install(|| render(&view)),
                render_sequential(&view),
                "the {w} x {h} image differs from render_sequential's"
            );
        }
    });
}

#[test]
fn exercise_8_1_a_view_0_pixels_wide_or_high_gives_an_empty_image() {
    exercise!("8.1").run(|| {
        for (w, h) in [(0, 5), (5, 0), (0, 0)] {
            let view = View::new(w, h, 200);
            let image = pool(2).install(|| render(&view));
            assert_eq!(image, Vec::<u32>::new(), "the {w} x {h} view");
        }
    });
}

// ANCHOR: on_the_pool
/// On a private pool of one worker: the image must be cut into rayon jobs.
/// When the view computes the first pixel of a row, it asks rayon to run a
/// job waiting in this worker's own queue: a parallel render has other
/// pieces of the image waiting there, a sequential one (even inside
/// `install`, `scope` or `join`) has none. Deterministic: one worker, no
/// timing, and nothing about how many workers took part.
#[test]
fn exercise_8_1_the_rows_are_shared_out_as_rayon_jobs() {
    exercise!("8.1").run(|| {
        let pool = pool(1);
        let view = View::probed(60, 40, 200);
        let image = pool.install(|| render(&view));
        assert_eq!(image, render_sequential(&View::new(60, 40, 200)));
        assert_eq!(
            view.pixels_computed(),
            60 * 40,
            "every pixel computed once, with view.pixel(x, y)"
        );
        assert!(
            view.other_rows_waited(),
            "no other part of the image was ever waiting as a rayon job: your render runs \
             on one worker from start to end. Use a parallel iterator over the rows \
             (par_chunks_mut, into_par_iter; par_bridge will not do here)"
        );
    });
}
// ANCHOR_END: on_the_pool
