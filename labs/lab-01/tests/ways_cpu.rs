//! Every way of the CPU job counts the primes right. Correctness only.

use lab_01::cpu::{
    chunk_ranges, count_primes, cpu_rayon, cpu_sequential, cpu_threads, cpu_tokio, cpu_tokio_multi,
    known_prime_count,
};
use lab_support::watchdog::watchdog;

#[test]
fn cpu_count_primes_knows_the_small_primes() {
    assert_eq!(count_primes(0..2), 0);
    assert_eq!(count_primes(0..3), 1);
    assert_eq!(count_primes(0..30), 10); // 2 3 5 7 11 13 17 19 23 29
    assert_eq!(count_primes(10..20), 4); // 11 13 17 19
    assert_eq!(count_primes(25..26), 0);
    assert_eq!(count_primes(97..98), 1);
}

#[test]
fn cpu_count_primes_agrees_with_the_known_values() {
    for below in [10, 100, 1_000, 10_000, 100_000] {
        assert_eq!(
            Some(count_primes(0..below)),
            known_prime_count(below),
            "below {below}"
        );
    }
    assert_eq!(known_prime_count(12_345), None);
}

#[test]
fn cpu_chunks_cover_the_range_in_order() {
    for (below, chunks) in [(100, 7), (3, 8), (0, 4), (1_000, 1)] {
        let ranges = chunk_ranges(below, chunks);
        assert_eq!(ranges.len(), chunks);
        assert_eq!(ranges[0].start, 0);
        assert_eq!(ranges[chunks - 1].end, below);
        for pair in ranges.windows(2) {
            assert_eq!(pair[0].end, pair[1].start, "{ranges:?}");
        }
        let sizes: Vec<u64> = ranges.iter().map(|r| r.end - r.start).collect();
        let (min, max) = (sizes.iter().min().unwrap(), sizes.iter().max().unwrap());
        assert!(max - min <= 1, "uneven chunks {ranges:?}");
    }
}

/// Every way, on a few sizes and numbers of workers, including more workers
/// (and chunks) than numbers.
#[test]
fn cpu_every_way_counts_the_primes() {
    watchdog(|| {
        for (below, chunks) in [(10_000, 8), (10_000, 1), (5, 8), (0, 3)] {
            let expected = count_primes(0..below);
            assert_eq!(cpu_sequential(below, chunks), expected);
            assert_eq!(cpu_tokio(below, chunks), expected);
            for workers in [1, 2, 3, 9] {
                let at = format!("below {below}, {chunks} chunks, {workers} workers");
                assert_eq!(
                    cpu_threads(below, chunks, workers),
                    expected,
                    "threads, {at}"
                );
                assert_eq!(cpu_rayon(below, chunks, workers), expected, "rayon, {at}");
                assert_eq!(
                    cpu_tokio_multi(below, chunks, workers),
                    expected,
                    "tokio, {at}"
                );
            }
        }
    });
}
