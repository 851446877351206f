//! The network-wide introductions, computed on a background thread after a
//! change (0.2 to 0.4 s at 100k people) instead of in the next frame.

use super::Session;
use std::sync::mpsc::{TryRecvError, channel};

impl Session {
    /// Keep the network-wide introductions computed: take a finished
    /// background job's result, and start a job when they are missing (or
    /// compute them at once, without background work).
    pub(super) fn tend_candidates(&mut self) {
        if !self.poll_candidates_job(false) {
            return;
        }
        if !self.background_candidates {
            self.insight.warm();
            return;
        }
        // One job at a time; a result that is out of date by the time it
        // arrives is dropped by `poll_candidates_job`, and the next job
        // starts here.
        if let Some(job) = self.insight.candidates_job() {
            let (sender, receiver) = channel();
            let waker = self.waker.clone();
            std::thread::spawn(move || {
                if sender.send(job.run()).is_ok()
                    && let Some(wake) = waker.get()
                {
                    wake();
                }
            });
            self.candidates_job = Some(receiver);
        }
    }

    /// Compute the network-wide introductions on a background thread after
    /// changes (the default for sessions on a folder) or at once (in-memory
    /// sessions, so every frame is deterministic).
    pub fn set_background_introductions(&mut self, background: bool) {
        self.background_candidates = background;
    }

    /// Block until the network-wide introductions are computed (for tests
    /// and measurements of the background job).
    pub fn wait_for_candidates(&mut self) {
        self.tend_candidates();
        while self.candidates_job.is_some() {
            self.poll_candidates_job(true);
            self.tend_candidates();
        }
    }

    /// Take the background job's introductions once it is done (blocking:
    /// wait for it); a result that went stale meanwhile is dropped. False
    /// while the job still runs.
    fn poll_candidates_job(&mut self, block: bool) -> bool {
        let Some(receiver) = &self.candidates_job else {
            return true;
        };
        let ready = if block {
            receiver.recv().ok()
        } else {
            match receiver.try_recv() {
                Ok(ready) => Some(ready),
                Err(TryRecvError::Empty) => return false,
                Err(TryRecvError::Disconnected) => None,
            }
        };
        self.candidates_job = None;
        if let Some(ready) = ready
            && self.insight.accept_candidates(ready)
        {
            // Views that show introductions recompute.
            self.view_revision += 1;
        }
        true
    }
}
