//! Lab 4's concurrent code and models once more, with `sync` set to the
//! replay's primitives (`lab_support::replay_sync`): a test plays one schedule
//! of its choice on the very code loom checks, and counts its preemptions.

use lab_support::replay_sync as sync;

#[allow(dead_code)]
#[path = "../src/jobs.rs"]
pub mod jobs;
#[allow(dead_code)]
#[path = "models.rs"]
pub mod models;
#[allow(dead_code)]
#[path = "../src/philosophers.rs"]
pub mod philosophers;
