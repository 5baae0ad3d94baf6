//! The tests of exercise 3.2 (your file: labs/lab-03/exercises/ticket_model.rs).
//! Your model must catch the racy dispenser and pass the locked one.

use lab_support::exercise;
use lab_support::model::{Model, executions_text};

use crate::ticket_model::two_customers_get_different_tickets as your_model;
use crate::tickets::{LockedDispenser, RacyDispenser};

#[test]
fn exercise_3_2_your_model_catches_the_racy_dispenser() {
    exercise!("3.2").run(|| match Model::new().run(your_model::<RacyDispenser>) {
        Ok(executions) => panic!(
            "your model passed all {} with RacyDispenser, which can hand \
             out one ticket twice: it should have failed in one of them. Do both customers \
             run at the same time? Spawn both threads before you join either: joining the \
             first before the second starts runs them one after the other.",
            executions_text(executions)
        ),
        Err(failure) => {
            assert!(
                !failure.message.contains("not yet implemented"),
                "your model is not written yet: {}",
                failure.message
            );
            assert!(!failure.is_deadlock(), "your model deadlocked:\n{failure}");
            println!("{failure}");
        }
    });
}

#[test]
fn exercise_3_2_your_model_passes_the_locked_dispenser() {
    exercise!("3.2").run(|| {
        Model::new().check(your_model::<LockedDispenser>);
    });
}
