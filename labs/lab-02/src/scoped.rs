//! `thread::scope`: threads that borrow the local variables around them.

use std::thread;

// ANCHOR: sum_in_halves
/// Sums `numbers` in two halves, each on a scoped thread that borrows its half.
pub fn sum_in_halves(numbers: &[u64]) -> u64 {
    let (left, right) = numbers.split_at(numbers.len() / 2);
    thread::scope(|s| {
        // No `move`, no copies: both threads borrow from `numbers`.
        let left_sum = s.spawn(|| left.iter().sum::<u64>());
        let right_sum = s.spawn(|| right.iter().sum::<u64>());
        left_sum.join().unwrap() + right_sum.join().unwrap()
    }) // every thread started in the scope has finished by here
}
// ANCHOR_END: sum_in_halves

// ANCHOR: double_in_place
/// Doubles every number in place, on `workers` scoped threads that each
/// borrow one chunk of the slice mutably.
pub fn double_in_place(numbers: &mut [u64], workers: usize) {
    let chunk_len = numbers.len().div_ceil(workers.max(1)).max(1);
    thread::scope(|s| {
        for chunk in numbers.chunks_mut(chunk_len) {
            // Each thread gets its own `&mut` chunk: no two threads can reach
            // the same element, and the compiler can tell. (`for n in chunk`
            // uses `chunk` by value, so the closure takes the reference itself.)
            s.spawn(|| {
                for n in chunk {
                    *n *= 2;
                }
            });
        }
    }); // the scope joins every thread it started before it returns
}
// ANCHOR_END: double_in_place
