// The build script of every lab (each lab's Cargo.toml says `build = "../support/src/build_variant.rs"`).
//
// It picks which copy of the exercise files the lab compiles:
//
// - `learner` (the default): `exercises/`, the files you edit;
// - `solutions`: `solutions/`, the reference solutions (`cargo xtask test` checks them);
// - `starter`: `starter/`, the untouched starter code (`cargo xtask test` checks that it fails).
//
// Only `cargo xtask test` sets LAB_VARIANT; `cargo test -p lab-NN` needs nothing.
fn main() {
    println!("cargo::rerun-if-env-changed=LAB_VARIANT");
    println!(
        r#"cargo::rustc-check-cfg=cfg(lab_variant, values("learner", "solutions", "starter"))"#
    );
    let variant = std::env::var("LAB_VARIANT").unwrap_or_else(|_| "learner".to_owned());
    if !matches!(variant.as_str(), "learner" | "solutions" | "starter") {
        eprintln!("LAB_VARIANT={variant:?} is not one of: learner, solutions, starter");
        std::process::exit(1);
    }
    println!(r#"cargo::rustc-cfg=lab_variant="{variant}""#);
    println!("cargo::rustc-env=LAB_VARIANT={variant}");
}
