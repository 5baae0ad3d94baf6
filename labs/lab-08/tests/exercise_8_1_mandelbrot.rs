//! The tests of exercise 8.1 (your file: labs/lab-08/exercises/mandelbrot.rs).

use lab_08::mandelbrot::render;
use lab_08::view::{View, render_sequential};
use lab_support::exercise;

#[test]
fn exercise_8_1_the_same_image_as_render_sequential() {
    exercise!("8.1").run(|| {
        for (w, h) in [(1, 1), (7, 3), (3, 7), (64, 48)] {
            let view = View::new(w, h, 200);
            assert_eq!(
                render(&view),
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
            assert_eq!(render(&view), Vec::<u32>::new(), "the {w} x {h} view");
        }
    });
}

// ANCHOR: on_the_pool
/// Called from the test's own thread, which is not one of rayon's workers:
/// every pixel must still be computed on one of them. This checks where the
/// work ran, never how many workers took part, which depends on timing.
#[test]
fn exercise_8_1_every_pixel_is_computed_on_rayons_pool() {
    exercise!("8.1").run(|| {
        assert_eq!(rayon::current_thread_index(), None, "the test's own thread");
        let view = View::probed(60, 40, 200);
        let image = render(&view);
        assert_eq!(image.len(), 60 * 40);
        assert_eq!(
            view.pixels_computed(),
            60 * 40,
            "every pixel computed once, with view.pixel(x, y)"
        );
        assert_eq!(
            view.computed_off_the_pool(),
            0,
            "pixels computed on the calling thread instead of on rayon's workers: \
             use a parallel iterator (par_chunks_mut, into_par_iter)"
        );
    });
}
// ANCHOR_END: on_the_pool
