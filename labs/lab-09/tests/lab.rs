//! Every test of lab 9, in one test binary, so that `cargo test -p lab-09`
//! runs all of them and lists every open exercise, even when one fails.

mod exercise_9_1_fetch;
mod exercise_9_2_join_all;
mod measure;
mod threads_executor;
mod threads_server;
mod threads_tour;
