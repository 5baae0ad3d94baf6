//! The tests of exercise 8.2 (your file: labs/lab-08/exercises/merge_sort.rs).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use lab_08::joins::{Joins, expected_joins, inside_b};
use lab_08::merge_sort::merge_sort;
use lab_support::exercise;

use crate::pool;

/// Pseudo-random numbers, the same every run.
fn shuffled(len: usize, modulo: u64) -> Vec<u64> {
    (0..len as u64)
        .map(|i| (i.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 17) % modulo)
        .collect()
}

#[test]
fn exercise_8_2_sorts() {
    exercise!("8.2").run(|| {
        for (len, cutoff) in [
            (0, 1),
            (1, 1),
            (2, 1),
            (3, 1),
            (10, 0),
            (1_000, 1),
            (10_000, 64),
            (5_001, 5_000),
        ] {
            let mut items = shuffled(len, 1 << 40);
            let mut want = items.clone();
            want.sort();
            pool(2).install(|| merge_sort(&mut items, cutoff, &Joins::new()));
            assert_eq!(items, want, "{len} items, cut-off {cutoff}: not sorted");
        }
    });
}

/// An item that compares by its key only, and remembers where it started.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Keyed {
    key: u64,
    at: usize,
}

impl Ord for Keyed {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.key.cmp(&other.key)
    }
}

impl PartialOrd for Keyed {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// Stable at every cut-off: std's unstable sort keeps equal keys in order
/// on short slices often enough to pass at a small cut-off, not at 4,000.
#[test]
fn exercise_8_2_equal_items_keep_their_order() {
    exercise!("8.2").run(|| {
        for cutoff in [16, 100, 4_000] {
            let mut items: Vec<Keyed> = shuffled(4_000, 7)
                .into_iter()
                .enumerate()
                .map(|(at, key)| Keyed { key, at })
                .collect();
            let mut want = items.clone();
            want.sort_by_key(|k| k.key);
            pool(2).install(|| merge_sort(&mut items, cutoff, &Joins::new()));
            let got: Vec<(u64, usize)> = items.iter().map(|k| (k.key, k.at)).collect();
            let want: Vec<(u64, usize)> = want.iter().map(|k| (k.key, k.at)).collect();
            assert!(
                got == want,
                "cut-off {cutoff}: equal keys out of their first order: not stable \
                 (use items.sort(), not sort_unstable; on a tie, take the left half's item first)"
            );
        }
    });
}

/// An item that counts the comparisons made inside the second closure of
/// a `joins.join`.
#[derive(Debug, Clone)]
struct Counted {
    key: u64,
    inside_b: Arc<AtomicUsize>,
}

impl PartialEq for Counted {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}

impl Eq for Counted {}

impl Ord for Counted {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        if inside_b() {
            self.inside_b.fetch_add(1, Ordering::Relaxed);
        }
        self.key.cmp(&other.key)
    }
}

impl PartialOrd for Counted {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// The second closure of a join is what another worker may take: a sort
/// whose second closure does nothing (sorting that half afterwards, on this
/// thread) is right but not parallel. Whichever thread runs it, comparisons
/// made inside it are counted.
#[test]
fn exercise_8_2_both_halves_are_sorted_inside_the_join() {
    exercise!("8.2").run(|| {
        let counter = Arc::new(AtomicUsize::new(0));
        let mut items: Vec<Counted> = shuffled(1_000, 1 << 20)
            .into_iter()
            .map(|key| Counted {
                key,
                inside_b: Arc::clone(&counter),
            })
            .collect();
        pool(2).install(|| merge_sort(&mut items, 16, &Joins::new()));
        assert!(items.windows(2).all(|w| w[0].key <= w[1].key), "not sorted");
        assert!(
            counter.load(Ordering::Relaxed) > 0,
            "no comparison was made inside a join's second closure: sort one half in \
             each closure of joins.join(|| …, || …)"
        );
    });
}

// ANCHOR: joins_counted
/// The cut-off honoured: exactly one join for every slice longer than the
/// cut-off, none below it. (The count checks the cut-off, not where a slice
/// is split: `expected_joins` gives the same count for either middle.)
#[test]
fn exercise_8_2_joins_exactly_where_the_cutoff_says() {
    exercise!("8.2").run(|| {
        for (len, cutoff) in [
            (2, 1),
            (10, 0),
            (10, 1),
            (1_000, 1),
            (1_000, 100),
            (4_096, 64),
            (5_000, 5_000),
        ] {
            let joins = Joins::new();
            let mut items = shuffled(len, 1_000);
            pool(2).install(|| merge_sort(&mut items, cutoff, &joins));
            let (made, want) = (joins.count(), expected_joins(len, cutoff));
            assert!(
                made == want,
                "your merge_sort made {made} joins.join calls; a sort of {len} items with \
                 cut-off {cutoff} makes {want} (see expected_joins in labs/lab-08/src/joins.rs)"
            );
        }
    });
}
// ANCHOR_END: joins_counted
