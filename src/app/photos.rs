//! Avatar textures of contact photos, read from the data folder the first
//! time a person is drawn and kept until their photo changes. A photo that
//! cannot be read (missing, a link, too large, not an image) shows as
//! initials.

use crate::model::PersonId;
use egui::TextureHandle;
use std::cell::RefCell;
use std::collections::HashMap;
use std::path::Path;

/// Photo textures by person (None: no usable photo; looked at once).
#[derive(Default)]
pub struct PhotoCache {
    textures: RefCell<HashMap<PersonId, Option<TextureHandle>>>,
}

impl PhotoCache {
    /// The avatar texture of a person's stored photo, if there is one.
    pub fn texture(
        &self,
        ctx: &egui::Context,
        data_dir: Option<&Path>,
        id: PersonId,
    ) -> Option<TextureHandle> {
        if let Some(known) = self.textures.borrow().get(&id) {
            return known.clone();
        }
        let texture = data_dir
            .and_then(|root| crate::storage::photos::read_photo(root, id).ok().flatten())
            .and_then(|bytes| crate::photo::decode_rgba(&bytes))
            .map(|(width, height, pixels)| {
                let image = egui::ColorImage::from_rgba_unmultiplied(
                    [width as usize, height as usize],
                    &pixels,
                );
                ctx.load_texture(format!("photo-{id}"), image, egui::TextureOptions::LINEAR)
            });
        self.textures.borrow_mut().insert(id, texture.clone());
        texture
    }

    /// Forget what is known of these people's photos (they were just saved).
    pub fn forget(&self, ids: impl IntoIterator<Item = PersonId>) {
        let mut textures = self.textures.borrow_mut();
        for id in ids {
            textures.remove(&id);
        }
    }
}
