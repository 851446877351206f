//! Messages for the user, as plain data: the session queues them and the
//! shell shows them (as toasts in the app, as lines in a headless caller).

/// How serious a notice is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoticeKind {
    /// Status.
    Info,
    /// Something to look at.
    Warning,
    /// Something failed.
    Error,
}

/// One message for the user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    /// Severity.
    pub kind: NoticeKind,
    /// What to say.
    pub text: String,
}

/// Notices waiting for the shell, and notices that are over (a problem that
/// went away takes its message down).
#[derive(Default, Debug)]
pub(crate) struct Notices {
    queued: Vec<Notice>,
    withdrawn: Vec<String>,
}

impl Notices {
    /// Queue a message.
    pub(crate) fn push(&mut self, kind: NoticeKind, text: String) {
        self.queued.push(Notice { kind, text });
    }

    /// A message with exactly this text is over.
    pub(crate) fn withdraw(&mut self, text: String) {
        self.queued.retain(|n| n.text != text);
        self.withdrawn.push(text);
    }

    /// Take the queued messages.
    pub(crate) fn take(&mut self) -> Vec<Notice> {
        std::mem::take(&mut self.queued)
    }

    /// Take the texts of messages that are over.
    pub(crate) fn take_withdrawn(&mut self) -> Vec<String> {
        std::mem::take(&mut self.withdrawn)
    }
}
