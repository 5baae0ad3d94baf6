//! Exercise 10.1: mend a stalled service.
//!
//! `Service::get` answers the value of a key: from its cache if it has it,
//! or else by fetching the raw value from the backend (an `.await`: a
//! database, another service) and checking it with the backend's `verify`
//! (a call into a synchronous library, which blocks its thread until it is
//! done), and then caching the result.
//!
//! It works, and it stalls, in two ways:
//!
//! - `verify` blocks the runtime's thread: on a current-thread runtime, no
//!   other task runs until it returns, and if `verify` itself waits for
//!   something a task of the same runtime must do, it waits for ever;
//! - the cache's lock is held across the fetch's `.await`: while one key is
//!   being fetched, every other request waits, even for a key already in
//!   the cache.
//!
//! What to do: mend `get` so that neither happens. Keep the signatures of
//! `new` and `get` and the trait `Backend` as they are; you may change the
//! fields of `Service` (the kind of lock, for one).
//!
//! The book explains it: chapter 10, "Exercise 10.1: mend a stalled
//! service" (book/10-async-pitfalls/exercises.md).
//! Check your work:  cargo test -p lab-10 exercise_10_1
//! Stuck?            cargo xtask hint 10.1

use std::collections::HashMap;
use std::sync::Arc;

// ANCHOR: backend
/// What the service needs from outside.
pub trait Backend: Send + Sync + 'static {
    /// Fetches the raw value of `key`. Asynchronous: it may take a while.
    fn fetch(&self, key: u32) -> impl Future<Output = u64> + Send;

    /// Checks a fetched value and returns the checked one. Synchronous: it
    /// blocks the thread that calls it until it is done.
    fn verify(&self, key: u32, raw: u64) -> u64;
}
// ANCHOR_END: backend

// ANCHOR: service
/// A caching front of a [`Backend`].
#[derive(Debug)]
pub struct Service<B> {
    backend: Arc<B>,
    cache: tokio::sync::Mutex<HashMap<u32, u64>>,
}

impl<B: Backend> Service<B> {
    /// A service with an empty cache.
    pub fn new(backend: B) -> Self {
        Service {
            backend: Arc::new(backend),
            cache: tokio::sync::Mutex::new(HashMap::new()),
        }
    }

    /// The checked value of `key`: from the cache, or fetched and verified,
    /// then cached.
    pub async fn get(&self, key: u32) -> u64 {
        let mut cache = self.cache.lock().await;
        if let Some(&value) = cache.get(&key) {
            return value;
        }
        let raw = self.backend.fetch(key).await; // the lock is still held here
        let value = self.backend.verify(key, raw); // blocks the runtime's thread
        cache.insert(key, value);
        value
    }
}
// ANCHOR_END: service
