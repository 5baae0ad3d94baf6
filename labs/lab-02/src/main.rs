//! The demonstrations of chapter 2 that need a process of their own:
//!
//! - `cargo run -p lab-02 -- detached`: a worker that nobody joins;
//! - `cargo run -p lab-02 -- joined`: the same worker, joined;
//! - `cargo run -p lab-02 -- named`: a named thread that panics.

fn main() {
    let which = std::env::args().nth(1).unwrap_or_default();
    match which.as_str() {
        "detached" => lab_02::detached::main_detached(),
        "joined" => lab_02::detached::main_joined(),
        "named" => println!(
            "{}",
            lab_02::panics::parse_on_a_named_thread("parser-1", "forty-two")
        ),
        _ => {
            eprintln!("usage: cargo run -p lab-02 -- detached | joined | named");
            std::process::exit(2);
        }
    }
}
