//! The lost update, for real: two threads, a million increments each.
//!
//! cargo run --release -p lab-03 --example lost_update [-- INCREMENTS [THREADS]]

fn main() {
    let mut args = std::env::args().skip(1);
    let increments = parse(args.next(), 1_000_000, "INCREMENTS");
    let threads = parse(args.next(), 2, "THREADS");
    print!("{}", lab_03::demo::report(threads, increments));
}

fn parse(arg: Option<String>, default: u64, what: &str) -> u64 {
    match arg {
        None => default,
        Some(text) => match text.parse() {
            Ok(n) if n > 0 => n,
            _ => {
                eprintln!("{what} must be a whole number above 0, not {text:?}");
                eprintln!(
                    "usage: cargo run --release -p lab-03 --example lost_update [-- INCREMENTS [THREADS]]"
                );
                std::process::exit(2);
            }
        },
    }
}
