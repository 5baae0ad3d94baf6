//! Every test of lab 9, in one test binary, so that `cargo test -p lab-09`
//! runs all of them and lists every open exercise, even when one fails.

mod measure;
mod threads_server;
