//! The background thread the app talks to: discovery, syncs and keyring
//! calls run here, never on the UI thread. Jobs go in over one channel and
//! results come back over another, in order; the waker (the app's repaint)
//! is called after each result so the UI picks it up at once.
//!
//! A job that panics does not take the thread down: a sync comes back as
//! an outcome with an error (and the state it started from, so nothing is
//! lost), a discovery as an error.

use super::account::Account;
use super::dav::{DavClient, Discovery};
use super::error::SyncError;
use super::run::{SyncJob, SyncOutcome};
use crate::session::Waker;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};

/// Work for the background thread.
pub enum WorkerJob {
    /// Find the address books and calendars behind a URL.
    Discover {
        /// The server URL as typed.
        url: String,
        /// The user name.
        user: String,
        /// The password (kept in memory only).
        password: String,
        /// A pinned certificate fingerprint, if any.
        fingerprint: Option<String>,
    },
    /// One whole sync (prepared on the model thread).
    Sync(Box<SyncJob>),
    /// Look the account's password up (`KITH_DAV_PASSWORD`, then the keyring).
    LookUpPassword(Box<Account>),
    /// Keep a password in the system keyring.
    Remember {
        /// The account it is for.
        account: Box<Account>,
        /// The password.
        password: String,
    },
    /// Take the account's password out of the system keyring.
    Forget(Box<Account>),
}

impl std::fmt::Debug for WorkerJob {
    /// Names the job, never the password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WorkerJob::Discover { url, user, .. } => write!(f, "Discover({user} at {url})"),
            WorkerJob::Sync(job) => write!(f, "Sync({})", job.account.name),
            WorkerJob::LookUpPassword(account) => write!(f, "LookUpPassword({})", account.name),
            WorkerJob::Remember { account, .. } => write!(f, "Remember({})", account.name),
            WorkerJob::Forget(account) => write!(f, "Forget({})", account.name),
        }
    }
}

/// What the background thread answers, one per job.
pub enum WorkerResult {
    /// The collections found (or why not).
    Discovered(Result<Discovery, SyncError>),
    /// A sync's outcome: hand it to [`super::run::finish`] on the model thread.
    Synced(Box<SyncOutcome>),
    /// A password lookup: `Ok(None)` when nobody has one.
    Password {
        /// The account's name.
        account: String,
        /// The password, if the environment or the keyring had one.
        result: Result<Option<String>, SyncError>,
    },
    /// A keyring write or removal finished.
    Keyring {
        /// The account's name.
        account: String,
        /// What the keyring did.
        result: Result<(), SyncError>,
    },
}

impl std::fmt::Debug for WorkerResult {
    /// Names the result, never a password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WorkerResult::Discovered(result) => {
                write!(f, "Discovered(ok: {})", result.is_ok())
            }
            WorkerResult::Synced(outcome) => write!(f, "Synced({})", outcome.account),
            WorkerResult::Password { account, result } => write!(
                f,
                "Password({account}, found: {})",
                matches!(result, Ok(Some(_)))
            ),
            WorkerResult::Keyring { account, result } => {
                write!(f, "Keyring({account}, ok: {})", result.is_ok())
            }
        }
    }
}

/// The one background thread for sync work.
pub struct SyncWorker {
    jobs: Sender<WorkerJob>,
    results: Receiver<WorkerResult>,
    /// Answers jobs here when the thread is gone.
    fallback: Sender<WorkerResult>,
    /// Jobs sent whose results were not polled yet.
    pending: Arc<AtomicUsize>,
}

impl SyncWorker {
    /// Start the thread; `waker` is called after each result.
    pub fn start(waker: Option<Waker>) -> Self {
        let (jobs, job_rx) = channel::<WorkerJob>();
        let (result_tx, results) = channel();
        let fallback = result_tx.clone();
        let spawned = std::thread::Builder::new()
            .name("kith-sync".into())
            .spawn(move || {
                // Ends when the app drops its sender.
                for job in job_rx {
                    let result = run_job(job);
                    if result_tx.send(result).is_err() {
                        break;
                    }
                    if let Some(wake) = &waker {
                        wake();
                    }
                }
            });
        // Without a thread every job is answered at once with the reason (see `send`).
        let jobs = match spawned {
            Ok(_) => jobs,
            Err(_) => channel().0,
        };
        Self {
            jobs,
            results,
            fallback,
            pending: Arc::new(AtomicUsize::new(0)),
        }
    }

    /// Queue a job (jobs run one after the other, in order).
    pub fn send(&self, job: WorkerJob) {
        self.pending.fetch_add(1, Ordering::SeqCst);
        if let Err(std::sync::mpsc::SendError(job)) = self.jobs.send(job) {
            // The thread is gone: answer here so nothing waits forever.
            let _ = self
                .fallback
                .send(failed(job, "the sync thread could not start".into()));
        }
    }

    /// The results that arrived since the last call, oldest first.
    pub fn poll(&self) -> Vec<WorkerResult> {
        let mut out = Vec::new();
        while let Ok(result) = self.results.try_recv() {
            self.pending.fetch_sub(1, Ordering::SeqCst);
            out.push(result);
        }
        out
    }

    /// Whether a job is queued or running (its result not polled yet).
    pub fn busy(&self) -> bool {
        self.pending.load(Ordering::SeqCst) > 0
    }
}

/// Run one job, turning a panic into an error answer.
fn run_job(job: WorkerJob) -> WorkerResult {
    // What a panicking job answers with (a sync keeps the state it started from).
    let fallback = match &job {
        WorkerJob::Sync(sync) => Fallback::Sync {
            account: sync.account.name.clone(),
            state: Box::new(sync.state.clone()),
        },
        WorkerJob::Discover { .. } => Fallback::Discover,
        WorkerJob::LookUpPassword(account) => Fallback::Password(account.name.clone()),
        WorkerJob::Remember { account, .. } | WorkerJob::Forget(account) => {
            Fallback::Keyring(account.name.clone())
        }
    };
    match catch_unwind(AssertUnwindSafe(move || run_unguarded(job))) {
        Ok(result) => result,
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown".into());
            fallback.answer(format!("kith stopped on an internal error ({what})"))
        }
    }
}

fn run_unguarded(job: WorkerJob) -> WorkerResult {
    match job {
        WorkerJob::Discover {
            url,
            user,
            password,
            fingerprint,
        } => WorkerResult::Discovered(
            DavClient::connect(&url, &user, &password, fingerprint.as_deref())
                .and_then(|client| client.discover()),
        ),
        WorkerJob::Sync(job) => WorkerResult::Synced(Box::new(super::run::run(*job))),
        WorkerJob::LookUpPassword(account) => WorkerResult::Password {
            account: account.name.clone(),
            result: super::secret::password(&account),
        },
        WorkerJob::Remember { account, password } => WorkerResult::Keyring {
            account: account.name.clone(),
            result: super::secret::remember(&account, &password),
        },
        WorkerJob::Forget(account) => WorkerResult::Keyring {
            account: account.name.clone(),
            result: super::secret::forget(&account),
        },
    }
}

/// The answer to a job that could not run.
fn failed(job: WorkerJob, why: String) -> WorkerResult {
    let fallback = match job {
        WorkerJob::Sync(sync) => Fallback::Sync {
            account: sync.account.name,
            state: Box::new(sync.state),
        },
        WorkerJob::Discover { .. } => Fallback::Discover,
        WorkerJob::LookUpPassword(account) => Fallback::Password(account.name),
        WorkerJob::Remember { account, .. } | WorkerJob::Forget(account) => {
            Fallback::Keyring(account.name)
        }
    };
    fallback.answer(why)
}

/// Enough of a job to answer it when it failed.
enum Fallback {
    Sync {
        account: String,
        state: Box<super::state::SyncState>,
    },
    Discover,
    Password(String),
    Keyring(String),
}

impl Fallback {
    fn answer(self, why: String) -> WorkerResult {
        let error = SyncError::Local(why);
        match self {
            Fallback::Sync { account, state } => WorkerResult::Synced(Box::new(SyncOutcome {
                account: account.clone(),
                result: Err(error),
                actions: Vec::new(),
                snapshot: Vec::new(),
                interactions: Vec::new(),
                state: *state,
                report: super::run::SyncReport {
                    account: account.clone(),
                    ..Default::default()
                },
            })),
            Fallback::Discover => WorkerResult::Discovered(Err(error)),
            Fallback::Password(account) => WorkerResult::Password {
                account,
                result: Err(error),
            },
            Fallback::Keyring(account) => WorkerResult::Keyring {
                account,
                result: Err(error),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    /// Wait for the worker's answers, with a deadline.
    fn answers(worker: &SyncWorker, n: usize) -> Vec<WorkerResult> {
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut out = Vec::new();
        while out.len() < n {
            assert!(Instant::now() < deadline, "the worker did not answer");
            out.extend(worker.poll());
            std::thread::sleep(Duration::from_millis(5));
        }
        out
    }

    #[test]
    fn discovery_runs_on_the_thread_and_wakes_the_caller_with_the_servers_error() {
        // A port nobody listens on: the connection is refused.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .unwrap_or(9);
        let woken = Arc::new(AtomicUsize::new(0));
        let counter = woken.clone();
        let worker = SyncWorker::start(Some(Arc::new(move || {
            counter.fetch_add(1, Ordering::SeqCst);
        })));
        assert!(!worker.busy());
        worker.send(WorkerJob::Discover {
            url: format!("http://127.0.0.1:{port}/"),
            user: "alice".into(),
            password: "secret".into(),
            fingerprint: None,
        });
        assert!(worker.busy());
        let results = answers(&worker, 1);
        assert!(!worker.busy());
        assert_eq!(woken.load(Ordering::SeqCst), 1);
        match &results[..] {
            [WorkerResult::Discovered(Err(e))] => {
                let text = e.to_string();
                assert!(text.contains(&format!("127.0.0.1:{port}")), "{text}");
                assert!(e.is_transient(), "{e:?}");
            }
            other => panic!("unexpected answer {other:?}"),
        }
    }

    #[test]
    fn jobs_answer_in_order_and_debug_output_never_shows_a_password() {
        let worker = SyncWorker::start(None);
        let job = WorkerJob::Discover {
            url: "http://127.0.0.1:9/".into(),
            user: "alice".into(),
            password: "hunter2".into(),
            fingerprint: None,
        };
        assert!(!format!("{job:?}").contains("hunter2"));
        worker.send(job);
        worker.send(WorkerJob::Discover {
            url: "not a url".into(),
            user: "alice".into(),
            password: "hunter2".into(),
            fingerprint: None,
        });
        let results = answers(&worker, 2);
        assert_eq!(results.len(), 2);
        assert!(
            results
                .iter()
                .all(|r| matches!(r, WorkerResult::Discovered(Err(_))))
        );
        assert!(!format!("{results:?}").contains("hunter2"));
    }

    #[test]
    fn a_panicking_sync_answers_with_an_error_and_the_state_it_started_from() {
        let state = super::super::state::SyncState {
            last_error: Some("before".into()),
            ..Default::default()
        };
        let result = Fallback::Sync {
            account: "fastmail".into(),
            state: Box::new(state.clone()),
        }
        .answer("boom".into());
        match result {
            WorkerResult::Synced(outcome) => {
                assert_eq!(outcome.account, "fastmail");
                assert_eq!(outcome.state, state);
                assert!(outcome.actions.is_empty());
                assert_eq!(outcome.result, Err(SyncError::Local("boom".into())));
            }
            other => panic!("unexpected answer {other:?}"),
        }
    }
}
