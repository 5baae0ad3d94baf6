//! What `reduce` and `sum` ask of their operation: rayon splits the input in
//! places that depend on how many workers there are and on which of them is
//! idle, runs the operation on each piece, and then on the pieces' results.
//! The answer is the same for every split only if the operation is
//! associative (`(a + b) + c == a + (b + c)`) and the identity really changes
//! nothing (`0 + x == x`).

use rayon::prelude::*;

// ANCHOR: float_split
/// The sum of `values` cut into `parts` consecutive pieces: each piece added
/// up from left to right, then the pieces' sums from left to right. For
/// integers every `parts` gives the same answer; for floats it need not,
/// because each `+` rounds.
pub fn sum_in_parts(values: &[f64], parts: usize) -> f64 {
    let size = values.len().div_ceil(parts.max(1)).max(1);
    values
        .chunks(size)
        .map(|piece| piece.iter().sum::<f64>())
        .sum()
}

/// rayon's own `sum` of `values`: where it cuts, and so the rounding,
/// depends on the pool's size and on which pieces were stolen. On a pool of
/// one worker nothing can be stolen and a slice of four is cut exactly once,
/// in two halves: `[1e16, 1.0]` and `[1.0, 1.0]`.
pub fn rayon_sum(values: &[f64]) -> f64 {
    values.par_iter().sum()
}

/// Right, when you need the same float answer on every run: fix the pieces
/// yourself. Each chunk of `size` values is added up on some worker, the
/// chunks' sums are collected in order, and those are added up on one thread,
/// from left to right: the same cuts, so the same rounding, on any pool.
pub fn sum_in_fixed_chunks(values: &[f64], size: usize) -> f64 {
    let sums: Vec<f64> = values
        .par_chunks(size.max(1))
        .map(|chunk| chunk.iter().sum())
        .collect();
    sums.iter().sum()
}
// ANCHOR_END: float_split

/// Values whose float sum depends on where they are split. Next to 1e16,
/// neighbouring doubles are 2.0 apart, so 1e16 + 1.0 is a tie, which rounds
/// to the neighbour with an even significand: 1e16 again. Added to each
/// other first, the small values survive. (The exact sum, 1e16 + 3, is not a
/// double; the nearest is 1e16 + 4.)
pub const SPLIT_SENSITIVE: [f64; 4] = [1e16, 1.0, 1.0, 1.0];

// ANCHOR: wrong_identity
/// Tempting: `reduce` with 1 as its "identity" for `+`. rayon starts every
/// piece from the identity, so the answer is the sum plus the number of
/// pieces, and that number depends on the run.
pub fn sum_with_a_wrong_identity(values: &[u64]) -> u64 {
    values.par_iter().copied().reduce(|| 1, |a, b| a + b)
}

/// Right: 0 changes nothing when added.
pub fn sum_with_the_identity(values: &[u64]) -> u64 {
    values.par_iter().copied().reduce(|| 0, |a, b| a + b)
}
// ANCHOR_END: wrong_identity

// ANCHOR: not_associative
/// Tempting: `reduce` with `-`, which is not associative: `(a - b) - c` is
/// not `a - (b - c)`. Sequentially this is `0 - v0 - v1 - …`; in parallel the
/// pieces' results are subtracted from one another too.
pub fn subtract_all(values: &[i64]) -> i64 {
    values.par_iter().copied().reduce(|| 0, |a, b| a - b)
}

/// Right: `0 - v0 - v1 - …` is minus the sum, and `+` is associative.
pub fn subtract_all_right(values: &[i64]) -> i64 {
    -values.par_iter().sum::<i64>()
}
// ANCHOR_END: not_associative

// ANCHOR: collect_keeps_order
/// `collect` into a `Vec` keeps the input's order, however the workers
/// shared the items out and whichever finished first.
pub fn squares_in_order(n: u64) -> Vec<u64> {
    (0..n).into_par_iter().map(|i| i * i).collect()
}

/// After a `filter` too: rayon no longer knows how many items each piece
/// keeps, but `collect` still puts the pieces' results together in the
/// input's order.
pub fn multiples_of_3_in_order(n: u64) -> Vec<u64> {
    (0..n).into_par_iter().filter(|i| i % 3 == 0).collect()
}
// ANCHOR_END: collect_keeps_order
