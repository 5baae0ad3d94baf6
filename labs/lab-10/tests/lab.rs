//! Every test of lab 10, in one test binary, so that `cargo test -p lab-10`
//! runs all of them and lists every open exercise, even when one fails.

mod shuttle_models;
