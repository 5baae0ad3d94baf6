//! Grain size: how much work one piece of a parallel loop does. With tiny
//! work per item, splitting the loop and waking workers costs more than it
//! saves, and `par_iter` loses to `iter`; `with_min_len` makes every piece
//! at least so many items long, and `fold_chunks` hands each worker chunks
//! of a fixed size to add up on its own.

use std::hint::black_box;

use rayon::prelude::*;

// ANCHOR: tiny
/// Tiny work per item: a multiply and an add. (`black_box` keeps the compiler
/// from replacing the whole loop by a formula: it must do every item.)
pub fn sum_of_squares(n: usize) -> u64 {
    (0..n as u64)
        .map(|x| black_box(x).wrapping_mul(x))
        .fold(0, u64::wrapping_add)
}

/// The same in parallel: rayon may cut it into pieces as short as one item.
pub fn sum_of_squares_par(n: usize) -> u64 {
    (0..n)
        .into_par_iter()
        .map(|x| black_box(x as u64).wrapping_mul(x as u64))
        .reduce(|| 0, u64::wrapping_add)
}

/// In parallel, but no piece shorter than `min_len` items. (`with_min_len`
/// needs an indexed parallel iterator, and a range of `u64` is not one: its
/// length may not fit a `usize`. So these loops count in `usize`.)
pub fn sum_of_squares_min_len(n: usize, min_len: usize) -> u64 {
    (0..n)
        .into_par_iter()
        .with_min_len(min_len)
        .map(|x| black_box(x as u64).wrapping_mul(x as u64))
        .reduce(|| 0, u64::wrapping_add)
}

/// In parallel, in chunks of `chunk` items that each worker adds up on its
/// own (`fold_chunks`), then the chunks' sums added up.
pub fn sum_of_squares_chunks(n: usize, chunk: usize) -> u64 {
    (0..n)
        .into_par_iter()
        .fold_chunks(
            chunk,
            || 0,
            |sum: u64, x| sum.wrapping_add(black_box(x as u64).wrapping_mul(x as u64)),
        )
        .reduce(|| 0, u64::wrapping_add)
}
// ANCHOR_END: tiny
