//! Does not compile, on purpose: the lab's test `does_not_compile_spawning_a_borrowing_closure`
//! checks the error that chapter 2 shows. The fix is one word: `move`.

use std::thread;

// ANCHOR: borrow
pub fn greet_on_a_thread(name: String) -> String {
    // No `move`: the closure borrows `name`, which lives on this function's stack.
    let handle = thread::spawn(|| format!("hello, {name}, from another thread"));
    handle.join().unwrap()
}
// ANCHOR_END: borrow
