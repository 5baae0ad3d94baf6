// The build script of every lab (each lab's Cargo.toml says `build = "../support/src/build_variant.rs"`).
//
// It picks which copy of the exercise files the lab compiles, from the lab's
// cargo features:
//
// - no feature (the default): `exercises/`, the files you edit (`cargo test -p lab-NN`);
// - `--features solutions`: `solutions/`, the reference solutions (`cargo xtask test` checks them);
// - `--features starter`: `starter/`, the untouched starter code (`cargo xtask test` checks that it fails).
//
// Being features, the three builds of a lab live side by side in `target/`:
// switching from one to another rebuilds nothing that was built before.
//
// The lab's code sees the choice as `cfg(lab_variant = "learner" | "solutions" |
// "starter")` and as the compile-time variable `env!("LAB_VARIANT")`.
fn main() {
    // Before the features, LAB_VARIANT in the environment chose the copy: say
    // so rather than quietly compile the learner's files instead.
    println!("cargo::rerun-if-env-changed=LAB_VARIANT");
    println!(
        r#"cargo::rustc-check-cfg=cfg(lab_variant, values("learner", "solutions", "starter"))"#
    );
    let package = std::env::var("CARGO_PKG_NAME").unwrap_or_else(|_| "lab-NN".to_owned());
    if let Some(old) = std::env::var_os("LAB_VARIANT") {
        let old = old.to_string_lossy();
        let feature = match old.as_ref() {
            "starter" => " --features starter",
            "learner" => "",
            _ => " --features solutions",
        };
        eprintln!(
            "error: LAB_VARIANT={old} is set, but the labs no longer read it: which copy of the \
             exercise files a lab compiles is a cargo feature now. Unset LAB_VARIANT and run \
             `cargo test -p {package}{feature}` (no feature: your exercises/; \
             `--features solutions`: solutions/; `--features starter`: starter/)."
        );
        std::process::exit(1);
    }
    let solutions = std::env::var_os("CARGO_FEATURE_SOLUTIONS").is_some();
    let starter = std::env::var_os("CARGO_FEATURE_STARTER").is_some();
    let variant = match (solutions, starter) {
        (false, false) => "learner",
        (true, false) => "solutions",
        (false, true) => "starter",
        (true, true) => {
            eprintln!(
                "error: {package} has both features `solutions` and `starter` on; a lab compiles \
                 one copy of its exercise files: choose `--features solutions` or \
                 `--features starter` (or neither, for your exercises/), and do not use \
                 `--all-features` on the labs."
            );
            std::process::exit(1);
        }
    };
    println!(r#"cargo::rustc-cfg=lab_variant="{variant}""#);
    println!("cargo::rustc-env=LAB_VARIANT={variant}");
}
