//! Admission control: a fixed number of analyses run at once, a few more wait, the rest are
//! turned away with 503 so that the ones admitted finish quickly. A refusal is answered after
//! a short pause, so that clients that retry at once (ignoring `Retry-After`) cannot keep the
//! CPU busy with refusals instead of analyses.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::error::ApiError;

/// Analysis slots plus a bounded wait queue.
#[derive(Debug)]
pub struct Admission {
    slots: Arc<Semaphore>,
    concurrency: usize,
    queue: usize,
    waiting: AtomicUsize,
    reject_delay: Duration,
}

/// Decrements the waiting count when a waiter stops waiting (admitted, timed out or gone).
struct Waiting<'a>(&'a AtomicUsize);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

impl Admission {
    /// `concurrency` analyses at once (at least one), at most `queue` waiting for a slot, and
    /// refusals answered after `reject_delay`.
    pub fn new(concurrency: usize, queue: usize, reject_delay: Duration) -> Self {
        let concurrency = concurrency.max(1);
        Admission {
            slots: Arc::new(Semaphore::new(concurrency)),
            concurrency,
            queue,
            waiting: AtomicUsize::new(0),
            reject_delay,
        }
    }

    /// A slot: at once if one is free, after waiting if the queue has room, otherwise
    /// a 503 `overloaded` error (after the refusal pause). The slot is freed when the permit
    /// is dropped.
    pub async fn admit(&self) -> Result<OwnedSemaphorePermit, ApiError> {
        if let Ok(permit) = Arc::clone(&self.slots).try_acquire_owned() {
            return Ok(permit);
        }
        let place = self.waiting.fetch_add(1, Ordering::AcqRel);
        let waiting = Waiting(&self.waiting);
        if place >= self.queue {
            // Give the place back before pausing: a refused request holds nothing.
            drop(waiting);
            tokio::time::sleep(self.reject_delay).await;
            return Err(ApiError::overloaded(self.concurrency, self.queue));
        }
        let _waiting = waiting;
        Arc::clone(&self.slots)
            .acquire_owned()
            .await
            .map_err(|_| ApiError::overloaded(self.concurrency, self.queue))
    }

    /// Analyses allowed at once.
    pub fn concurrency(&self) -> usize {
        self.concurrency
    }

    /// Requests waiting for a slot now.
    pub fn waiting(&self) -> usize {
        self.waiting.load(Ordering::Acquire)
    }

    /// Slots free now.
    pub fn free(&self) -> usize {
        self.slots.available_permits()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn queue_bounds_waiters_and_frees_places() {
        let admission = Arc::new(Admission::new(1, 1, Duration::from_millis(1)));
        let held = admission.admit().await.expect("a free slot");
        let waiter = {
            let admission = Arc::clone(&admission);
            tokio::spawn(async move { admission.admit().await.map(drop) })
        };
        while admission.waiting() == 0 {
            tokio::task::yield_now().await;
        }
        let refused = admission.admit().await.expect_err("queue is full");
        assert_eq!(refused.code, "overloaded");
        assert_eq!(refused.status.as_u16(), 503);
        drop(held);
        waiter.await.expect("joined").expect("admitted once freed");
        assert_eq!(admission.waiting(), 0);
        assert_eq!(admission.free(), 1);
    }
}
