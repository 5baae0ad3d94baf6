//! The tests of exercise 8.2 (your file: labs/lab-08/exercises/merge_sort.rs).

use lab_08::joins::{Joins, expected_joins};
use lab_08::merge_sort::merge_sort;
use lab_support::exercise;

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
            (1_000, 1),
            (10_000, 64),
            (5_001, 5_000),
        ] {
            let mut items = shuffled(len, 1 << 40);
            let mut want = items.clone();
            want.sort();
            merge_sort(&mut items, cutoff, &Joins::new());
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

#[test]
fn exercise_8_2_equal_items_keep_their_order() {
    exercise!("8.2").run(|| {
        let mut items: Vec<Keyed> = shuffled(4_000, 7)
            .into_iter()
            .enumerate()
            .map(|(at, key)| Keyed { key, at })
            .collect();
        let mut want = items.clone();
        want.sort_by_key(|k| k.key);
        merge_sort(&mut items, 16, &Joins::new());
        let got: Vec<(u64, usize)> = items.iter().map(|k| (k.key, k.at)).collect();
        let want: Vec<(u64, usize)> = want.iter().map(|k| (k.key, k.at)).collect();
        assert!(
            got == want,
            "equal keys out of their first order: not stable (on a tie, take the left half's item first)"
        );
    });
}

// ANCHOR: joins_counted
/// The cut-off honoured: exactly one join for every slice longer than the
/// cut-off, none below it.
#[test]
fn exercise_8_2_joins_exactly_where_the_cutoff_says() {
    exercise!("8.2").run(|| {
        for (len, cutoff) in [
            (2, 1),
            (10, 1),
            (1_000, 1),
            (1_000, 100),
            (4_096, 64),
            (5_000, 5_000),
        ] {
            let joins = Joins::new();
            let mut items = shuffled(len, 1_000);
            merge_sort(&mut items, cutoff, &joins);
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
