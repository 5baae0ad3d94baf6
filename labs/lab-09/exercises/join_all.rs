//! Exercise 9.2: `join_all` by hand.
//!
//! What to do: write `JoinAll::poll`. `join_all(futures)` is a future that
//! runs all of `futures` at once, inside one task, and is ready with their
//! outputs, in the order the futures came in, once every one of them is
//! ready. Each poll must poll every child that is not finished yet, with the
//! waker it was given, store the output of each child that becomes ready, and
//! never poll a finished child again. Keep the signatures as they are.
//!
//! The book explains it: chapter 9, "Exercise 9.2: join_all by hand"
//! (book/09-async-concurrency/exercises.md).
//! Check your work:  cargo test -p lab-09 exercise_9_2
//! Stuck?            cargo xtask hint 9.2

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

// ANCHOR: join_all_struct
/// The future that [`join_all`] returns.
pub struct JoinAll<F: Future> {
    /// The children, each boxed so that it stays pinned in place; `None`
    /// once it has returned `Ready` (so it is never polled again).
    children: Vec<Option<Pin<Box<F>>>>,
    /// Each child's output, in the children's order, once it has one.
    outputs: Vec<Option<F::Output>>,
}

impl<F: Future> std::fmt::Debug for JoinAll<F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let waiting = self.children.iter().filter(|c| c.is_some()).count();
        let kept = self.outputs.iter().filter(|o| o.is_some()).count();
        write!(
            f,
            "JoinAll({waiting} children waiting, {kept} outputs kept)"
        )
    }
}

// The children are boxed, and the outputs are never pinned, so moving a
// `JoinAll` is always fine: it may be `Unpin`, which lets `poll` use
// `get_mut`.
impl<F: Future> Unpin for JoinAll<F> {}

/// A future that runs every future of `futures` at once and is ready with
/// all their outputs, in order.
pub fn join_all<F: Future>(futures: impl IntoIterator<Item = F>) -> JoinAll<F> {
    let children: Vec<_> = futures.into_iter().map(|f| Some(Box::pin(f))).collect();
    let outputs = children.iter().map(|_| None).collect();
    JoinAll { children, outputs }
}
// ANCHOR_END: join_all_struct

// ANCHOR: join_all_poll
impl<F: Future> Future for JoinAll<F> {
    type Output = Vec<F::Output>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Vec<F::Output>> {
        let _ = (self, cx);
        todo!(
            "exercise 9.2: poll every unfinished child with `cx`, keep each output, Ready when all are done"
        )
    }
}
// ANCHOR_END: join_all_poll
