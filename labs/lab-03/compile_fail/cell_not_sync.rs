// DOES NOT COMPILE, on purpose. Chapter 3 shows the compiler's error, and
// tests/does_not_compile.rs checks that it still is one.

use std::cell::Cell;

// ANCHOR: cell
/// Two threads increment a counter in a `Cell`, which is not `Sync`.
pub fn count_with_a_cell() -> u64 {
    let counter = Cell::new(0);
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| counter.set(counter.get() + 1));
        }
    });
    counter.get()
}
// ANCHOR_END: cell
