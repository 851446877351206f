//! Avatar textures of contact photos. A photo is read and decoded on a
//! helper thread the first time a person is drawn (initials show until it
//! arrives), uploaded as a texture on the UI thread, and kept until that
//! person's photo changes. A photo that cannot be read (missing, a link,
//! too large, not an image) shows as initials.

use crate::model::PersonId;
use egui::TextureHandle;
use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, channel};

/// What is known of one person's photo.
enum Slot {
    /// Being read on the helper thread (request number `u64`).
    Loading(u64),
    /// Read: the texture, or None when there is no usable photo.
    Ready(Option<TextureHandle>),
}

/// A decoded photo on its way back from the helper thread.
struct Decoded {
    id: PersonId,
    request: u64,
    image: Option<egui::ColorImage>,
}

/// A photo to read: where, whose, and which request it answers.
struct Request {
    root: PathBuf,
    id: PersonId,
    request: u64,
}

/// The helper thread's two ends, made on first use.
struct Worker {
    requests: Sender<Request>,
    results: Receiver<Decoded>,
}

/// Photo textures by person, loaded off the UI thread.
#[derive(Default)]
pub struct PhotoCache {
    slots: RefCell<HashMap<PersonId, Slot>>,
    worker: RefCell<Option<Worker>>,
    next_request: std::cell::Cell<u64>,
}

/// Read and decode one person's photo (on the helper thread).
fn decode(root: &Path, id: PersonId) -> Option<egui::ColorImage> {
    let bytes = crate::storage::photos::read_photo(root, id)
        .ok()
        .flatten()?;
    let (width, height, pixels) = crate::photo::decode_rgba(&bytes)?;
    Some(egui::ColorImage::from_rgba_unmultiplied(
        [width as usize, height as usize],
        &pixels,
    ))
}

impl PhotoCache {
    /// The avatar texture of a person's stored photo, if there is one and it
    /// has been read; asks for it otherwise (the UI repaints when it arrives).
    pub fn texture(
        &self,
        ctx: &egui::Context,
        data_dir: Option<&Path>,
        id: PersonId,
    ) -> Option<TextureHandle> {
        self.receive(ctx);
        if let Some(slot) = self.slots.borrow().get(&id) {
            return match slot {
                Slot::Ready(texture) => texture.clone(),
                Slot::Loading(_) => None,
            };
        }
        let Some(root) = data_dir else {
            self.slots.borrow_mut().insert(id, Slot::Ready(None));
            return None;
        };
        let request = self.next_request.get() + 1;
        self.next_request.set(request);
        let sent = self.with_worker(ctx, |worker| {
            worker
                .requests
                .send(Request {
                    root: root.to_path_buf(),
                    id,
                    request,
                })
                .is_ok()
        });
        let slot = if sent {
            Slot::Loading(request)
        } else {
            // No helper thread (it could not start): initials, no retry loop.
            Slot::Ready(None)
        };
        self.slots.borrow_mut().insert(id, slot);
        None
    }

    /// Forget what is known of these people's photos (they were just saved):
    /// the next draw reads them again, and answers already on the way for
    /// them are dropped.
    pub fn forget(&self, ids: impl IntoIterator<Item = PersonId>) {
        let mut slots = self.slots.borrow_mut();
        for id in ids {
            slots.remove(&id);
        }
    }

    /// Upload the photos the helper thread has decoded since the last frame.
    fn receive(&self, ctx: &egui::Context) {
        let worker = self.worker.borrow();
        let Some(worker) = worker.as_ref() else {
            return;
        };
        let mut slots = self.slots.borrow_mut();
        while let Ok(decoded) = worker.results.try_recv() {
            // Only the answer to the latest request counts.
            if !matches!(slots.get(&decoded.id), Some(Slot::Loading(r)) if *r == decoded.request) {
                continue;
            }
            let texture = decoded.image.map(|image| {
                ctx.load_texture(
                    format!("photo-{}", decoded.id),
                    image,
                    egui::TextureOptions::LINEAR,
                )
            });
            slots.insert(decoded.id, Slot::Ready(texture));
        }
    }

    /// Run `f` with the helper thread, starting it on first use; false when
    /// it cannot be started.
    fn with_worker(&self, ctx: &egui::Context, f: impl FnOnce(&Worker) -> bool) -> bool {
        let mut worker = self.worker.borrow_mut();
        if worker.is_none() {
            let (requests, inbox) = channel::<Request>();
            let (outbox, results) = channel::<Decoded>();
            let repaint = ctx.clone();
            let started = std::thread::Builder::new()
                .name("kith-photos".into())
                .spawn(move || {
                    // Ends when the cache (the sending side) is dropped.
                    while let Ok(Request { root, id, request }) = inbox.recv() {
                        let image = decode(&root, id);
                        if outbox.send(Decoded { id, request, image }).is_err() {
                            break;
                        }
                        repaint.request_repaint();
                    }
                });
            if started.is_err() {
                return false;
            }
            *worker = Some(Worker { requests, results });
        }
        worker.as_ref().is_some_and(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_data_folder_means_initials_without_a_thread() {
        let cache = PhotoCache::default();
        let ctx = egui::Context::default();
        let id = PersonId(uuid::Uuid::from_u128(7));
        assert!(cache.texture(&ctx, None, id).is_none());
        assert!(cache.worker.borrow().is_none());
    }

    #[test]
    fn a_photo_is_read_off_the_ui_thread_and_forgotten_on_change() {
        let dir = std::env::temp_dir().join(format!("kith-photos-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        let ctx = egui::Context::default();
        let cache = PhotoCache::default();
        let id = PersonId(uuid::Uuid::from_u128(9));
        // No photo stored: first draw asks, then the answer is "none".
        assert!(cache.texture(&ctx, Some(&dir), id).is_none());
        assert!(matches!(
            cache.slots.borrow().get(&id),
            Some(Slot::Loading(_))
        ));
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        while matches!(cache.slots.borrow().get(&id), Some(Slot::Loading(_)))
            && std::time::Instant::now() < deadline
        {
            std::thread::sleep(std::time::Duration::from_millis(5));
            cache.receive(&ctx);
        }
        assert!(matches!(
            cache.slots.borrow().get(&id),
            Some(Slot::Ready(None))
        ));
        cache.forget([id]);
        assert!(cache.slots.borrow().get(&id).is_none());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
