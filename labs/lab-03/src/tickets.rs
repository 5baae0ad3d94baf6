//! Ticket dispensers, for exercise 3.2: one hands out the same ticket twice.
//! Your job in the exercise is to write the loom test that catches it.

use super::sync::{Mutex, trace};

/// A dispenser of numbered tickets that many threads share.
pub trait Dispenser: Send + Sync + 'static {
    /// A dispenser holding tickets `1..=count`, handed out lowest first.
    fn with_tickets(count: u32) -> Self;
    /// Takes the next ticket, or `None` once they are gone.
    fn take(&self) -> Option<u32>;
}

// ANCHOR: racy_dispenser
/// WRONG: looks at the next ticket in one critical section and removes it in
/// another (check, then act). Two customers can look at the same ticket.
#[derive(Debug)]
pub struct RacyDispenser {
    /// The tickets left, the next one last.
    left: Mutex<Vec<u32>>,
}

impl Dispenser for RacyDispenser {
    fn take(&self) -> Option<u32> {
        let next = {
            let left = self.left.lock().unwrap(); // check
            trace!("sees next ticket {:?}", left.last());
            left.last().copied()
        }; // the lock is released here
        let mut left = self.left.lock().unwrap(); // act
        left.pop();
        trace!("takes ticket {next:?}; {} left", left.len());
        next
    }

    fn with_tickets(count: u32) -> Self {
        RacyDispenser {
            left: Mutex::new((1..=count).rev().collect()),
        }
    }
}
// ANCHOR_END: racy_dispenser

/// RIGHT: looks at and removes the ticket in one critical section.
#[derive(Debug)]
pub struct LockedDispenser {
    left: Mutex<Vec<u32>>,
}

impl Dispenser for LockedDispenser {
    fn take(&self) -> Option<u32> {
        let mut left = self.left.lock().unwrap();
        let next = left.pop();
        trace!("takes ticket {next:?}; {} left", left.len());
        next
    }

    fn with_tickets(count: u32) -> Self {
        LockedDispenser {
            left: Mutex::new((1..=count).rev().collect()),
        }
    }
}
